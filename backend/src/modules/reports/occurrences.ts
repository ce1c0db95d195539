// Maintenance window occurrences over a range: a one-off window is one occurrence, a recurring one (cron,
// UTC) lasts duration_s from each firing, both within the window's starts_at/ends_at bounds. Pure.
import { cronMatches, parseCron, type CronSchedule } from '../alerts/cron';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface WindowTiming {
  starts_at: Date | null;
  ends_at: Date | null;
  cron: string | null;
  duration_s: number | null;
  /** A deleted window was in effect until it was deleted. */
  deleted_at?: Date | null;
}

/** A half-open interval [start, end) in epoch ms. */
export interface Interval {
  start: number;
  end: number;
}

/**
 * The occurrences of a window that overlap [fromMs, toMs), oldest first, each cut to the window's bounds
 * (and to its deletion) but not to the range. A cron the server cannot parse has none.
 */
export function expandOccurrences(window: WindowTiming, fromMs: number, toMs: number): Interval[] {
  const lower = window.starts_at?.getTime() ?? -Infinity;
  let upper = window.ends_at?.getTime() ?? Infinity;
  if (window.deleted_at) upper = Math.min(upper, window.deleted_at.getTime());
  const clip = (o: Interval): Interval | undefined => {
    const start = Math.max(o.start, lower);
    const end = Math.min(o.end, upper);
    return start < end && start < toMs && end > fromMs ? { start, end } : undefined;
  };
  if (window.cron === null || window.duration_s === null) {
    const one = clip({ start: lower, end: upper });
    return one && Number.isFinite(one.start) && Number.isFinite(one.end) ? [one] : [];
  }
  let schedule: CronSchedule;
  try {
    schedule = parseCron(window.cron);
  } catch {
    return [];
  }
  const durationMs = window.duration_s * 1000;
  // Firings in [fromMs − duration, toMs) can overlap the range; none before the window starts matters.
  const first = Math.max(fromMs - durationMs, lower === -Infinity ? -Infinity : lower - durationMs);
  const last = Math.min(toMs, upper);
  const out: Interval[] = [];
  if (!(first < last)) return out;
  const hours = [...schedule.hours].sort((a, b) => a - b);
  const minutes = [...schedule.minutes].sort((a, b) => a - b);
  for (let day = Math.floor(first / DAY_MS) * DAY_MS; day < last; day += DAY_MS) {
    if (!dayMatches(schedule, new Date(day))) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const at = day + h * HOUR_MS + m * MINUTE_MS;
        if (at < first || at >= last || !cronMatches(schedule, new Date(at))) continue;
        const occurrence = clip({ start: at, end: at + durationMs });
        if (occurrence) out.push(occurrence);
      }
    }
  }
  return out;
}

/** The day part of the cron rule: the month, and day-of-month / day-of-week as Vixie cron combines them. */
function dayMatches(schedule: CronSchedule, day: Date): boolean {
  if (!schedule.months.has(day.getUTCMonth() + 1)) return false;
  const dayOk = schedule.days.has(day.getUTCDate());
  const weekdayOk = schedule.weekdays.has(day.getUTCDay());
  if (schedule.daysRestricted && schedule.weekdaysRestricted) return dayOk || weekdayOk;
  return dayOk && weekdayOk;
}
