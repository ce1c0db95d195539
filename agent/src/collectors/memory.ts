// /proc/meminfo: "Key:   value kB" lines; the kernel's "kB" means KiB.

export interface MemInfo {
  totalBytes: number;
  availableBytes: number;
  /** False when the kernel (before 3.14) has no MemAvailable and it was estimated. */
  availableReported: boolean;
  swapTotalBytes: number;
  swapFreeBytes: number;
}

export function parseMemInfo(text: string): MemInfo {
  const bytes = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([^:\s]+):\s+(\d+)(\s+kB)?\s*$/.exec(line);
    if (m?.[1] && m[2]) bytes.set(m[1], Number(m[2]) * (m[3] ? 1024 : 1));
  }
  const get = (key: string): number => bytes.get(key) ?? 0;
  const totalBytes = bytes.get('MemTotal');
  if (totalBytes === undefined) throw new Error('/proc/meminfo: no MemTotal');
  const available = bytes.get('MemAvailable');
  return {
    totalBytes,
    // Old kernels: free + buffers + page cache is the classic estimate (what `free` showed then).
    availableBytes: available ?? get('MemFree') + get('Buffers') + get('Cached'),
    availableReported: available !== undefined,
    swapTotalBytes: get('SwapTotal'),
    swapFreeBytes: get('SwapFree'),
  };
}
