// /proc/uptime: "12345.67 45678.90" (seconds since boot, summed idle seconds of all CPUs).

export function parseUptime(text: string): number {
  const first = text.trim().split(/\s+/)[0] ?? '';
  if (!/^\d+(\.\d+)?$/.test(first)) throw new Error('/proc/uptime: no uptime value');
  return Number(first);
}
