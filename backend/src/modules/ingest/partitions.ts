// TimescaleDB-style storage in plain PostgreSQL. Raw tables (`samples`, `probe_results`, `container_events`)
// and the 1-minute rollups have one partition per UTC day, the 1-hour rollups one per UTC month; each is
// created ahead and dropped whole when it falls out of its tier's retention (a DROP is instant; a DELETE
// would rewrite the table). A raw day is kept until every rollup computed from it has passed it.
import pg from 'pg';
import { withTransaction, type Db, type Pool } from '../../db/pool';

const DAY_MS = 86_400_000;
const PARTITION_LOCK = 7_120_405_010;

export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The raw day-partitioned tables, which ingest writes. */
export const PARTITIONED_TABLES = ['samples', 'probe_results', 'container_events'] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];
export const ROLLUP_TABLES = ['samples_1m', 'probe_results_1m', 'samples_1h', 'probe_results_1h'] as const;
export type RollupTable = (typeof ROLLUP_TABLES)[number];
export type StoreTable = PartitionedTable | RollupTable;
export type Tier = 'raw' | '1m' | '1h';

interface TableSpec {
  tier: Tier;
  period: 'day' | 'month';
  /** The rollups computed from this table: a partition is dropped only after each has passed it. */
  feeds: readonly RollupTable[];
}

const TABLES: Readonly<Record<StoreTable, TableSpec>> = {
  samples: { tier: 'raw', period: 'day', feeds: ['samples_1m'] },
  probe_results: { tier: 'raw', period: 'day', feeds: ['probe_results_1m', 'probe_results_1h'] },
  container_events: { tier: 'raw', period: 'day', feeds: [] },
  samples_1m: { tier: '1m', period: 'day', feeds: ['samples_1h'] },
  probe_results_1m: { tier: '1m', period: 'day', feeds: [] },
  samples_1h: { tier: '1h', period: 'month', feeds: [] },
  probe_results_1h: { tier: '1h', period: 'month', feeds: [] },
};
const ALL_TABLES = Object.keys(TABLES) as StoreTable[];

/** Days each tier is kept. */
export interface Retention {
  rawDays: number;
  minuteDays: number;
  hourDays: number;
}

export function retentionDays(retention: Retention, tier: Tier): number {
  return tier === 'raw' ? retention.rawDays : tier === '1m' ? retention.minuteDays : retention.hourDays;
}

/** The start of the period (day or month) of `table` that holds `ms`. */
export function periodStart(table: StoreTable, ms: number): number {
  return TABLES[table].period === 'day' ? dayStart(ms) : monthStart(ms);
}

function periodEnd(table: StoreTable, start: number): number {
  return TABLES[table].period === 'day' ? start + DAY_MS : nextMonth(start);
}

/** samples_p20261126 for a day partition, samples_1h_p202611 for a month partition. */
export function partitionName(startMs: number, table: StoreTable = 'samples'): string {
  const iso = new Date(startMs).toISOString();
  const stamp = TABLES[table].period === 'day' ? iso.slice(0, 10) : iso.slice(0, 7);
  return `${table}_p${stamp.replaceAll('-', '')}`;
}

/** Parses a partition's name back to its period's start; undefined for anything else. */
export function partitionDay(name: string, table: StoreTable = 'samples'): number | undefined {
  const match = new RegExp(`^${table}_p(\\d{4})(\\d{2})(\\d{2})?$`).exec(name);
  if (!match) return undefined;
  const [, y, m, d] = match;
  if ((d === undefined) !== (TABLES[table].period === 'month')) return undefined;
  return Date.UTC(Number(y), Number(m) - 1, Number(d ?? 1));
}

export async function listPartitions(db: Db, table: StoreTable = 'samples'): Promise<string[]> {
  const result = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1 ORDER BY c.relname`,
    [table],
  );
  return result.rows.map((row) => row.name);
}

/** The start of the oldest partition of `table` (where its tier's data begins); undefined without any. */
export async function oldestPartitionStart(db: Db, table: StoreTable): Promise<number | undefined> {
  const starts = (await listPartitions(db, table))
    .map((name) => partitionDay(name, table))
    .filter((start): start is number => start !== undefined);
  return starts.length === 0 ? undefined : Math.min(...starts);
}

/**
 * Creates the partitions of `table` holding these instants if missing. Takes the partition lock, so it is
 * safe across processes; call it inside a transaction.
 */
export async function createPartitions(
  db: Db,
  table: StoreTable,
  instants: Iterable<number>,
): Promise<number> {
  const starts = [...new Set([...instants].map((ms) => periodStart(table, ms)))];
  if (starts.length === 0) return 0;
  await db.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
  const existing = new Set(await listPartitions(db, table));
  let created = 0;
  for (const start of starts) {
    const name = partitionName(start, table);
    if (existing.has(name)) continue;
    await db.query(
      `CREATE TABLE ${pg.escapeIdentifier(name)} PARTITION OF ${table}
       FOR VALUES FROM ('${new Date(start).toISOString()}') TO ('${new Date(periodEnd(table, start)).toISOString()}')`,
    );
    created += 1;
  }
  return created;
}

/** How far each rollup has come (rollup_progress); rollups that never ran are missing. */
async function rolledUntil(db: Db): Promise<Map<string, number>> {
  const result = await db.query<{ rollup: string; done_until: Date }>(
    'SELECT rollup, done_until FROM rollup_progress',
  );
  return new Map(result.rows.map((row) => [row.rollup, row.done_until.getTime()]));
}

/** Remembers which partitions exist so the ingest path only asks PostgreSQL about new days. */
export class PartitionManager {
  private readonly known = new Set<string>();
  readonly retention: Retention;

  constructor(
    private readonly pool: Pool,
    retention: number | Retention,
  ) {
    this.retention =
      typeof retention === 'number' ? { rawDays: retention, minuteDays: 90, hourDays: 730 } : retention;
  }

  /** Creates the raw tables' partitions for these days if missing (idempotent, safe across processes). */
  async ensureDays(days: Iterable<number>): Promise<void> {
    await this.ensure(PARTITIONED_TABLES, days);
  }

  /** Creates the partitions of these tables holding these instants if missing. */
  async ensure(tables: readonly StoreTable[], instants: Iterable<number>): Promise<number> {
    const wanted: [StoreTable, number][] = [];
    for (const ms of new Set(instants)) {
      for (const table of tables) {
        const start = periodStart(table, ms);
        if (!this.known.has(`${table}:${start}`)) wanted.push([table, start]);
      }
    }
    if (wanted.length === 0) return 0;
    const created = await withTransaction(this.pool, async (db) => {
      let n = 0;
      for (const table of tables) {
        n += await createPartitions(
          db,
          table,
          wanted.filter(([t]) => t === table).map(([, start]) => start),
        );
      }
      return n;
    });
    for (const [table, start] of wanted) this.known.add(`${table}:${start}`);
    return created;
  }

  /** The window of days a sample may belong to: retention behind, one day ahead (clock skew). */
  acceptedRange(now: number): { fromMs: number; toMs: number } {
    return { fromMs: dayStart(now) - this.retention.rawDays * DAY_MS, toMs: now + DAY_MS };
  }

  /** The oldest instant a tier still holds (its oldest kept period may start later if nothing was stored). */
  oldestKept(tier: Tier, now: number): number {
    return dayStart(now) - retentionDays(this.retention, tier) * DAY_MS;
  }

  /** Creates today's and the coming days' (and this and next month's) partitions, and drops expired ones. */
  async maintain(now: number, daysAhead = 3): Promise<{ created: number; dropped: string[] }> {
    const today = dayStart(now);
    const days = Array.from({ length: daysAhead + 1 }, (_, i) => today + i * DAY_MS);
    const created = await this.ensure(ALL_TABLES, [...days, nextMonth(now)]);
    const dropped = await this.dropExpired(now);
    return { created, dropped };
  }

  async dropExpired(now: number): Promise<string[]> {
    return withTransaction(this.pool, async (db) => {
      await db.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      const progress = await rolledUntil(db);
      const dropped: string[] = [];
      for (const table of ALL_TABLES) {
        const spec = TABLES[table];
        const oldestKept = this.oldestKept(spec.tier, now);
        for (const name of await listPartitions(db, table)) {
          const start = partitionDay(name, table);
          if (start === undefined || periodEnd(table, start) > oldestKept) continue;
          // A rollup that has not yet passed this period still needs it (it was down, or is catching up).
          const needed = spec.feeds.some((rollup) => {
            const until = progress.get(rollup);
            return until !== undefined && until < periodEnd(table, start);
          });
          if (needed) continue;
          await db.query(`DROP TABLE ${pg.escapeIdentifier(name)}`);
          this.known.delete(`${table}:${start}`);
          dropped.push(name);
        }
      }
      await db.query(`DELETE FROM ingest_batches WHERE created_at < $1`, [
        new Date(this.oldestKept('raw', now)),
      ]);
      return dropped;
    });
  }
}
