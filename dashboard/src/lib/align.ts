// Points of several series ([unix ms, value] each) joined on one time axis, as uPlot wants them:
// seconds, oldest first, null where a series has no point at a time.
import type uPlot from 'uplot';

/** `[unix ms, value]`; the generated API types give tuples as plain arrays. */
export type Point = readonly (number | null)[];

export function alignSeries(series: readonly (readonly Point[])[]): uPlot.AlignedData {
  const times = [
    ...new Set(series.flatMap((points) => points.map((p) => p[0]).filter((x) => typeof x === 'number'))),
  ].sort((a, b) => a - b);
  const index = new Map(times.map((time, i) => [time, i]));
  const columns = series.map((points) => {
    const column: (number | null)[] = times.map(() => null);
    for (const [time, value] of points) {
      const i = typeof time === 'number' ? index.get(time) : undefined;
      if (i !== undefined) column[i] = value ?? null;
    }
    return column;
  });
  return [times.map((ms) => ms / 1000), ...columns];
}
