// /proc/loadavg: "0.52 0.58 0.59 2/1029 12345" (1/5/15-minute averages, running/total tasks, last pid).

export interface LoadAvg {
  load1: number;
  load5: number;
  load15: number;
}

export function parseLoadAvg(text: string): LoadAvg {
  const [load1, load5, load15] = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (
    load1 === undefined ||
    load5 === undefined ||
    load15 === undefined ||
    [load1, load5, load15].some(Number.isNaN)
  ) {
    throw new Error('/proc/loadavg: expected three load averages');
  }
  return { load1, load5, load15 };
}
