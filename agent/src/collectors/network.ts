// /proc/net/dev: two header lines, then "iface: 8 receive counters 8 transmit counters". Old
// kernels glue a wide first number to the colon ("eth0:123456"), so split on the colon, not spaces.

export interface NetDevStat {
  iface: string;
  rxBytes: number;
  txBytes: number;
}

export function parseNetDev(text: string): NetDevStat[] {
  const out: NetDevStat[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.includes('|')) continue;
    const iface = line.slice(0, colon).trim();
    const counters = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    const rxBytes = counters[0];
    const txBytes = counters[8];
    // Loopback traffic never leaves the host; it would only inflate the totals.
    if (iface === 'lo' || iface === '' || rxBytes === undefined || txBytes === undefined) continue;
    if (!Number.isFinite(rxBytes) || !Number.isFinite(txBytes)) continue;
    out.push({ iface, rxBytes, txBytes });
  }
  return out;
}
