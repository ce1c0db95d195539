// The report page's pure parts: the range presets (in the browser's time zone for the calendar months) and
// the availability tone against the threshold.
export const PRESETS = ['24h', '7d', '30d', '90d', 'thisMonth', 'lastMonth', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];
export const GROUPS = ['probe', 'agent', 'label'] as const;
export type Group = (typeof GROUPS)[number];

const DAY_MS = 86_400_000;
const SPANS: Record<'24h' | '7d' | '30d' | '90d', number> = {
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
  '90d': 90 * DAY_MS,
};

export interface Range {
  from: string;
  to: string;
}

/** The range of a preset at `now`; months start at local midnight of their first day. */
export function presetRange(preset: Exclude<Preset, 'custom'>, now: Date = new Date()): Range {
  if (preset === 'thisMonth' || preset === 'lastMonth') {
    const monthStart = new Date(now.getFullYear(), now.getMonth(), 1);
    if (preset === 'thisMonth') return { from: monthStart.toISOString(), to: now.toISOString() };
    const previous = new Date(now.getFullYear(), now.getMonth() - 1, 1);
    return { from: previous.toISOString(), to: monthStart.toISOString() };
  }
  return { from: new Date(now.getTime() - SPANS[preset]).toISOString(), to: now.toISOString() };
}

/** A `datetime-local` value (local time) as ISO, or undefined when it is not a date. */
export function fromLocalInput(value: string): string | undefined {
  const date = new Date(value);
  return value === '' || Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** ok at or above the threshold, bad below it, muted without checks. */
export function availabilityTone(pct: number | null | undefined, threshold: number): 'ok' | 'bad' | 'muted' {
  if (pct === null || pct === undefined) return 'muted';
  return pct >= threshold ? 'ok' : 'bad';
}

/** The file name of a downloaded CSV: emma-uptime-<group>-<from day>-<to day>.csv */
export function csvFileName(group: Group, range: Range): string {
  return `emma-uptime-${group}-${range.from.slice(0, 10)}-${range.to.slice(0, 10)}.csv`;
}
