// The history query benchmark's data: a fleet of agents with a host's metrics each, raw samples at a 10 s
// interval for the newest hours, and 1-minute and 1-hour rollup rows for the days before them, all generated
// in SQL (INSERT ... SELECT generate_series) one hour per statement. Values are smooth daily curves with a
// weekly drift and noise, different per series; rollup rows have the shapes the worker writes
// (min ≤ avg ≤ max, count = samples in the bucket, last within [min, max]).
import type pg from 'pg';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** The agents' sampling interval. */
export const RAW_INTERVAL_S = 10;

interface MetricSpec {
  metric: string;
  labels: Record<string, string>;
  /** Level around which the value moves, its daily swing, its noise (± half), an upper bound. */
  base: number;
  amp: number;
  noise: number;
  cap?: number;
}

const GIB = 2 ** 30;
const MIB = 2 ** 20;

/** A host's metrics, the five a host view charts first (so BENCH_METRICS=5 still has them all). */
export const METRICS: readonly MetricSpec[] = [
  { metric: 'cpu.percent', labels: {}, base: 35, amp: 20, noise: 12, cap: 100 },
  { metric: 'mem.used.bytes', labels: {}, base: 6 * GIB, amp: 1.5 * GIB, noise: 200 * MIB, cap: 16 * GIB },
  { metric: 'load.1m', labels: {}, base: 1.4, amp: 0.9, noise: 0.8 },
  { metric: 'net.rx.bytes_per_s', labels: { iface: 'eth0' }, base: 4 * MIB, amp: 3 * MIB, noise: 2 * MIB },
  { metric: 'disk.read.bytes_per_s', labels: { device: 'sda' }, base: 2 * MIB, amp: MIB, noise: 3 * MIB },
  { metric: 'cpu.user.percent', labels: {}, base: 25, amp: 15, noise: 8, cap: 100 },
  { metric: 'cpu.system.percent', labels: {}, base: 7, amp: 4, noise: 3, cap: 100 },
  { metric: 'cpu.iowait.percent', labels: {}, base: 2, amp: 1.5, noise: 2, cap: 100 },
  { metric: 'cpu.steal.percent', labels: {}, base: 0.5, amp: 0.3, noise: 0.5, cap: 100 },
  { metric: 'load.5m', labels: {}, base: 1.4, amp: 0.8, noise: 0.3 },
  { metric: 'load.15m', labels: {}, base: 1.4, amp: 0.7, noise: 0.1 },
  { metric: 'mem.total.bytes', labels: {}, base: 16 * GIB, amp: 0, noise: 0 },
  { metric: 'mem.available.bytes', labels: {}, base: 10 * GIB, amp: 1.5 * GIB, noise: 200 * MIB },
  { metric: 'swap.total.bytes', labels: {}, base: 2 * GIB, amp: 0, noise: 0 },
  { metric: 'swap.used.bytes', labels: {}, base: 120 * MIB, amp: 40 * MIB, noise: 4 * MIB },
  { metric: 'fs.total.bytes', labels: { mount: '/' }, base: 200 * GIB, amp: 0, noise: 0 },
  { metric: 'fs.used.bytes', labels: { mount: '/' }, base: 80 * GIB, amp: 2 * GIB, noise: 50 * MIB },
  {
    metric: 'disk.write.bytes_per_s',
    labels: { device: 'sda' },
    base: 3 * MIB,
    amp: 2 * MIB,
    noise: 3 * MIB,
  },
  { metric: 'net.tx.bytes_per_s', labels: { iface: 'eth0' }, base: 2 * MIB, amp: 1.5 * MIB, noise: MIB },
  { metric: 'uptime.seconds', labels: {}, base: 3_000_000, amp: 0, noise: 0 },
];

/** The first `n` metrics; past the 20 host metrics, one CPU series per core (`cpu.percent{cpu=N}`). */
export function metricCatalogue(n: number): MetricSpec[] {
  const specs = METRICS.slice(0, n);
  for (let core = 0; specs.length < n; core += 1) {
    specs.push({
      metric: 'cpu.percent',
      labels: { cpu: String(core) },
      base: 35,
      amp: 20,
      noise: 15,
      cap: 100,
    });
  }
  return specs;
}

/** The smooth part of a series' value at `$t` (SQL over bench_params p): daily swing and weekly drift. */
const SMOOTH = (t: string): string =>
  `p.base * (1 + 0.1 * sin(2 * pi() * (extract(epoch FROM ${t}) / 604800 + p.phase)))
   + p.amp * sin(2 * pi() * (extract(epoch FROM ${t}) / 86400 + p.phase))`;
const CLAMP = (v: string): string => `least(p.cap, greatest(0::float8, ${v}))`;

/**
 * Inserts the agents (online, a credential no one can log in with) and their series, and a helper table of
 * each series' curve (bench_params). Returns the agents' ids in name order.
 */
export async function createFleet(db: pg.ClientBase, agents: number, metrics: number): Promise<string[]> {
  const specs = metricCatalogue(metrics);
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO agents (name, labels, status, host, credential_hash, approved_at, last_seen_at)
     SELECT 'bench-host-' || lpad(i::text, 4, '0'), '{"env":"bench"}', 'online',
       jsonb_build_object('hostname', 'bench-host-' || i, 'os', 'linux', 'arch', 'x64', 'cpus', 8),
       'bench-no-login', now(), now()
     FROM generate_series(1, $1) AS i ORDER BY i RETURNING id`,
    [agents],
  );
  await db.query(
    `INSERT INTO series (agent_id, metric, labels)
     SELECT a.id, m.metric, m.labels FROM agents a
     CROSS JOIN unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS m (metric, labels, ord)
     WHERE a.credential_hash = 'bench-no-login' ORDER BY a.name, m.ord`,
    [specs.map((s) => s.metric), specs.map((s) => JSON.stringify(s.labels))],
  );
  await db.query(
    `CREATE UNLOGGED TABLE bench_params (series_id bigint PRIMARY KEY, base float8 NOT NULL, amp float8 NOT NULL,
       noise float8 NOT NULL, cap float8 NOT NULL, phase float8 NOT NULL)`,
  );
  // Each agent gets its own phase and level (±30 %): the fleet does not move in lockstep.
  await db.query(
    `INSERT INTO bench_params (series_id, base, amp, noise, cap, phase)
     SELECT s.id, m.base * (0.7 + 0.6 * random()), m.amp * (0.7 + 0.6 * random()), m.noise, m.cap, random()
     FROM series s JOIN unnest($1::text[], $2::jsonb[], $3::float8[], $4::float8[], $5::float8[], $6::float8[])
       AS m (metric, labels, base, amp, noise, cap) ON m.metric = s.metric AND m.labels = s.labels
     ORDER BY s.id`,
    [
      specs.map((s) => s.metric),
      specs.map((s) => JSON.stringify(s.labels)),
      specs.map((s) => s.base),
      specs.map((s) => s.amp),
      specs.map((s) => s.noise),
      specs.map((s) => s.cap ?? Number.POSITIVE_INFINITY),
    ],
  );
  await db.query('ANALYZE bench_params');
  return inserted.rows.map((row) => row.id);
}

/**
 * Raw samples of every series at the 10 s interval in [from, to), time-major like ingest writes them
 * (each instant's samples of all series together). One statement; call it per hour.
 */
export async function insertRaw(db: pg.ClientBase, from: number, to: number): Promise<number> {
  const result = await db.query(
    `INSERT INTO samples (series_id, ts, value)
     SELECT p.series_id, t, ${CLAMP(`${SMOOTH('t')} + p.noise * (random() - 0.5)`)}
     FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 microsecond',
       make_interval(secs => $3)) AS t
     CROSS JOIN bench_params p ORDER BY t, p.series_id`,
    [new Date(from), new Date(to), RAW_INTERVAL_S],
  );
  return result.rowCount ?? 0;
}

/**
 * Rollup rows of every series for the buckets in [from, to) of one tier, as the worker writes them from an
 * hour (1m) or a day (1h) of data: grouped by series, buckets in order. The average follows the curve with a
 * little noise; min and max spread around it by the series' noise; count is the raw samples per bucket.
 */
export async function insertRollup(
  db: pg.ClientBase,
  tier: '1m' | '1h',
  from: number,
  to: number,
): Promise<number> {
  const widthS = tier === '1m' ? 60 : 3600;
  const result = await db.query(
    `INSERT INTO ${tier === '1m' ? 'samples_1m' : 'samples_1h'} (series_id, bucket, min, max, avg, count, last)
     SELECT series_id, b, lo, hi, v, $4::int, lo + (hi - lo) * random()
     FROM (
       SELECT p.series_id, b, v, ${CLAMP('v - p.noise * $5 * random()')} AS lo,
         ${CLAMP('v + p.noise * $5 * random()')} AS hi
       FROM bench_params p
       CROSS JOIN generate_series($1::timestamptz, $2::timestamptz - interval '1 microsecond',
         make_interval(secs => $3)) AS b
       CROSS JOIN LATERAL (
         SELECT ${CLAMP(`${SMOOTH(`(b + make_interval(secs => $3 / 2))`)} + p.noise * $6 * (random() - 0.5)`)} AS v
       ) AS x
     ) AS rows ORDER BY series_id, b`,
    [
      new Date(from),
      new Date(to),
      widthS,
      widthS / RAW_INTERVAL_S,
      tier === '1m' ? 0.5 : 0.8,
      tier === '1m' ? 0.4 : 0.1,
    ],
  );
  return result.rowCount ?? 0;
}

export interface TableStorage {
  table: string;
  partitions: number;
  rows: number;
  /** Heap, indexes and TOAST of every partition. */
  bytes: number;
  indexBytes: number;
}

/** The size of all partitions of a partitioned table, and its exact row count. */
export async function storageOf(db: pg.ClientBase, table: string): Promise<TableStorage> {
  const size = await db.query<{ partitions: string; bytes: string; index_bytes: string }>(
    `SELECT count(*) AS partitions, coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes,
       coalesce(sum(pg_indexes_size(c.oid)), 0) AS index_bytes
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1`,
    [table],
  );
  const count = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  const row = size.rows[0];
  return {
    table,
    partitions: Number(row?.partitions ?? 0),
    rows: Number(count.rows[0]?.n ?? 0),
    bytes: Number(row?.bytes ?? 0),
    indexBytes: Number(row?.index_bytes ?? 0),
  };
}
