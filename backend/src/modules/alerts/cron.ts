// A small 5-field cron matcher (minute hour day-of-month month day-of-week, UTC): `*`, lists, ranges and
// steps. As in Vixie cron, when both day fields are restricted a day matching either one matches.

const FIELDS = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12 },
  { min: 0, max: 7 },
] as const;

export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

function parseField(text: string, min: number, max: number): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in '${part}'`);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else {
      const [a = '', b] = range.split('-');
      from = Number(a);
      to = b === undefined ? (stepText === undefined ? from : max) : Number(b);
    }
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < min || to > max || from > to) {
      throw new Error(`'${part}' is outside ${String(min)}-${String(max)}`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Parses a 5-field expression; throws with a readable message on a bad one. */
export function parseCron(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error('five fields: minute hour day-of-month month day-of-week');
  const sets = fields.map((f, i) => {
    const spec = FIELDS[i];
    if (!spec) throw new Error('too many fields');
    return parseField(f, spec.min, spec.max);
  });
  const [minutes, hours, days, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (weekdays.has(7)) weekdays.add(0);
  return {
    minutes,
    hours,
    days,
    months,
    weekdays,
    daysRestricted: fields[2] !== '*',
    weekdaysRestricted: fields[4] !== '*',
  };
}

/** Whether the schedule fires in the UTC minute containing `at`. */
export function cronMatches(schedule: CronSchedule, at: Date): boolean {
  if (!schedule.minutes.has(at.getUTCMinutes())) return false;
  if (!schedule.hours.has(at.getUTCHours())) return false;
  if (!schedule.months.has(at.getUTCMonth() + 1)) return false;
  const dayOk = schedule.days.has(at.getUTCDate());
  const weekdayOk = schedule.weekdays.has(at.getUTCDay());
  if (schedule.daysRestricted && schedule.weekdaysRestricted) return dayOk || weekdayOk;
  return dayOk && weekdayOk;
}

/** The latest start at or before `at` within `lookbackMs` (whole minutes), or undefined. */
export function lastFiring(schedule: CronSchedule, at: Date, lookbackMs: number): Date | undefined {
  const start = Math.floor(at.getTime() / 60_000) * 60_000;
  for (let t = start; t > at.getTime() - lookbackMs; t -= 60_000) {
    const minute = new Date(t);
    if (cronMatches(schedule, minute)) return minute;
  }
  return undefined;
}
