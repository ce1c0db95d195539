// TimescaleDB-style storage in plain PostgreSQL: `samples`, `probe_results` and `container_events` have one partition per UTC
// day, created ahead and dropped whole when it falls out of retention (a DROP is instant; a DELETE would
// rewrite the table).
import pg from 'pg';
import { withTransaction, type Db, type Pool } from '../../db/pool';

const DAY_MS = 86_400_000;
const PARTITION_LOCK = 7_120_405_010;

export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The day-partitioned tables. */
export const PARTITIONED_TABLES = ['samples', 'probe_results', 'container_events'] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

export function partitionName(dayMs: number, table: PartitionedTable = 'samples'): string {
  return `${table}_p${new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** Parses <table>_pYYYYMMDD back to the day's start; undefined for anything else. */
export function partitionDay(name: string, table: PartitionedTable = 'samples'): number | undefined {
  const match = new RegExp(`^${table}_p(\\d{4})(\\d{2})(\\d{2})$`).exec(name);
  if (!match) return undefined;
  const [, y, m, d] = match;
  return Date.UTC(Number(y), Number(m) - 1, Number(d));
}

export async function listPartitions(db: Db, table: PartitionedTable = 'samples'): Promise<string[]> {
  const result = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1 ORDER BY c.relname`,
    [table],
  );
  return result.rows.map((row) => row.name);
}

/** Remembers which day partitions exist so the ingest path only asks PostgreSQL about new days. */
export class PartitionManager {
  private readonly known = new Set<number>();

  constructor(
    private readonly pool: Pool,
    private readonly retentionDays: number,
  ) {}

  /** Creates the partitions for these days if missing (idempotent, safe across processes). */
  async ensureDays(days: Iterable<number>): Promise<void> {
    const missing = [...new Set(days)].filter((day) => !this.known.has(day));
    if (missing.length === 0) return;
    await withTransaction(this.pool, async (db) => {
      await db.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      for (const table of PARTITIONED_TABLES) {
        const existing = new Set(await listPartitions(db, table));
        for (const day of missing) {
          const name = partitionName(day, table);
          if (!existing.has(name)) {
            await db.query(
              `CREATE TABLE ${pg.escapeIdentifier(name)} PARTITION OF ${table}
               FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + DAY_MS).toISOString()}')`,
            );
          }
        }
      }
    });
    for (const day of missing) this.known.add(day);
  }

  /** The window of days a sample may belong to: retention behind, one day ahead (clock skew). */
  acceptedRange(now: number): { fromMs: number; toMs: number } {
    return { fromMs: dayStart(now) - this.retentionDays * DAY_MS, toMs: now + DAY_MS };
  }

  /** Creates today's and the coming days' partitions, and drops those past retention. */
  async maintain(now: number, daysAhead = 3): Promise<{ created: number; dropped: string[] }> {
    const today = dayStart(now);
    const before = this.known.size;
    await this.ensureDays(Array.from({ length: daysAhead + 1 }, (_, i) => today + i * DAY_MS));
    const dropped = await this.dropExpired(now);
    return { created: Math.max(0, this.known.size - before), dropped };
  }

  async dropExpired(now: number): Promise<string[]> {
    const oldestKept = dayStart(now) - this.retentionDays * DAY_MS;
    return withTransaction(this.pool, async (db) => {
      await db.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      const dropped: string[] = [];
      for (const table of PARTITIONED_TABLES) {
        for (const name of await listPartitions(db, table)) {
          const day = partitionDay(name, table);
          if (day !== undefined && day < oldestKept) {
            await db.query(`DROP TABLE ${pg.escapeIdentifier(name)}`);
            this.known.delete(day);
            dropped.push(name);
          }
        }
      }
      await db.query(`DELETE FROM ingest_batches WHERE created_at < $1`, [new Date(oldestKept)]);
      return dropped;
    });
  }
}
