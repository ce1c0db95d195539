// The bare-database reference: the same rows (same series, same batch shape, same count) written into
// the same `samples` table by the fastest paths available with `pg` alone, on a single connection:
// INSERT … SELECT FROM unnest(...) with 10k-row arrays (the SQL the server uses), and binary
// COPY FROM STDIN driven through pg's Submittable interface (pg-copy-streams is not installed).
import pg from 'pg';
import { DAY_MS, STEP_MS, pointsPerSeries } from './payload';
import { machineCpu, readProcStat } from './procstat';

export interface BareRows {
  ids: number[];
  /** Unix ms relative to a method's base. */
  ts: number[];
  values: number[];
  /** Milliseconds from the first to the last timestamp. */
  spanMs: number;
}

/**
 * `rows` rows shaped like the API run: batches of `batchSamples` per agent, agents in turn, each batch
 * series-major (every point of series 1, then series 2, …) as the server inserts them.
 */
export function bareRows(seriesIds: number[][], batchSamples: number, rows: number): BareRows {
  const seriesCount = seriesIds[0]?.length ?? 1;
  const points = pointsPerSeries(batchSamples, seriesCount);
  const ids: number[] = [];
  const ts: number[] = [];
  const values: number[] = [];
  let batch = 0;
  let spanMs = 0;
  outer: for (;;) {
    for (const agentSeries of seriesIds) {
      const first = batch * points * STEP_MS;
      for (const id of agentSeries) {
        for (let j = 0; j < points; j++) {
          if (ids.length >= rows) break outer;
          ids.push(id);
          ts.push(first + j * STEP_MS);
          values.push(Math.random() * 100);
          spanMs = Math.max(spanMs, first + j * STEP_MS);
        }
      }
    }
    batch += 1;
  }
  return { ids, ts, values, spanMs };
}

export interface BareResult {
  method: string;
  rows: number;
  seconds: number;
  rowsPerS: number;
  /** WAL generated per row, when the server tells. */
  walBytesPerRow: number | undefined;
  /** CPU seconds of this process (the client) and of every process of the PostgreSQL cluster. */
  clientCpuS: number;
  postgresCpuS: number;
  /** Share of the machine's CPU in use meanwhile, by anything. */
  machineBusyPct: number | undefined;
}

function ownCpuS(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function cpuOfPids(pids: number[]): Map<number, number> {
  const map = new Map<number, number>();
  for (const pid of pids) {
    const stat = readProcStat(pid);
    if (stat) map.set(pid, stat.cpuS);
  }
  return map;
}

async function walLsn(client: pg.Client): Promise<string | undefined> {
  try {
    return (await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]?.lsn;
  } catch {
    return undefined;
  }
}

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);

function writeInt64(buf: Buffer, offset: number, value: number): void {
  const hi = Math.floor(value / 4_294_967_296);
  buf.writeInt32BE(hi, offset);
  buf.writeUInt32BE(value - hi * 4_294_967_296, offset + 4);
}

/** Rows [from, to) in PostgreSQL's binary COPY format, one buffer per `perBuffer` rows. */
function encodeBinary(rows: BareRows, baseMs: number, from: number, to: number): Buffer {
  const tuple = 2 + 3 * 12;
  const buf = Buffer.allocUnsafe((to - from) * tuple);
  let o = 0;
  for (let i = from; i < to; i++) {
    buf.writeInt16BE(3, o);
    buf.writeInt32BE(8, o + 2);
    writeInt64(buf, o + 6, rows.ids[i] ?? 0);
    buf.writeInt32BE(8, o + 14);
    writeInt64(buf, o + 18, ((rows.ts[i] ?? 0) + baseMs - PG_EPOCH_MS) * 1000);
    buf.writeInt32BE(8, o + 26);
    buf.writeDoubleBE(rows.values[i] ?? 0, o + 30);
    o += tuple;
  }
  return buf;
}

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** COPY … FROM STDIN as a pg Submittable: pg hands over the connection, we stream the data. */
class CopyIn implements pg.Submittable {
  private rowCount = 0;

  constructor(
    private readonly text: string,
    private readonly chunks: () => Iterable<Buffer>,
    private readonly done: (err: Error | undefined, rows: number) => void,
  ) {}

  submit(connection: pg.Connection): void {
    (connection as unknown as CopyConnection).query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (const chunk of this.chunks()) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rowCount = Number(/\d+$/.exec(message.text ?? '')?.[0] ?? 0);
  }

  handleReadyForQuery(): void {
    this.done(undefined, this.rowCount);
  }

  handleError(err: Error): void {
    this.done(err, 0);
  }

  handleEmptyQuery(): void {
    // not expected for COPY
  }

  handleRowDescription(): void {
    // not expected for COPY
  }

  handleDataRow(): void {
    // not expected for COPY
  }

  handleCopyData(): void {
    // COPY FROM sends no data back
  }

  handlePortalSuspended(): void {
    // not expected for COPY
  }
}

function copyBinary(client: pg.Client, chunks: () => Iterable<Buffer>): Promise<number> {
  return new Promise((resolve, reject) => {
    client.query(
      new CopyIn('COPY samples (series_id, ts, value) FROM STDIN (FORMAT binary)', chunks, (err, rows) => {
        if (err) reject(err);
        else resolve(rows);
      }),
    );
  });
}

export type BareMethod = 'unnest-10k' | 'copy-binary-10k' | 'copy-binary-single';

export const BARE_METHODS: { method: BareMethod; label: string }[] = [
  { method: 'unnest-10k', label: 'INSERT … SELECT FROM unnest(), 10k rows/statement' },
  { method: 'copy-binary-10k', label: 'COPY FROM STDIN (binary), 10k rows/statement' },
  { method: 'copy-binary-single', label: 'COPY FROM STDIN (binary), all rows in one statement' },
];

/** Writes all rows with one method on one connection (each statement autocommits); returns the rate. */
export async function runBare(
  databaseUrl: string,
  method: BareMethod,
  rows: BareRows,
  baseMs: number,
): Promise<BareResult> {
  const chunk = 10_000;
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'emma-bench-bare' });
  await client.connect();
  try {
    await client.query('CHECKPOINT').catch(() => undefined);
    const total = rows.ids.length;
    let written = 0;
    const lsn0 = await walLsn(client);
    const pids = (await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity')).rows.map(
      (r) => r.pid,
    );
    const pgCpu0 = cpuOfPids(pids);
    const machine0 = machineCpu();
    const client0 = ownCpuS();
    const started = performance.now();
    if (method === 'unnest-10k') {
      for (let from = 0; from < total; from += chunk) {
        const to = Math.min(total, from + chunk);
        const result = await client.query(
          `INSERT INTO samples (series_id, ts, value)
           SELECT s, to_timestamp(t / 1000.0), v FROM unnest($1::int8[], $2::float8[], $3::float8[]) AS u(s, t, v)`,
          [
            rows.ids.slice(from, to),
            rows.ts.slice(from, to).map((t) => t + baseMs),
            rows.values.slice(from, to),
          ],
        );
        written += result.rowCount ?? 0;
      }
    } else if (method === 'copy-binary-10k') {
      for (let from = 0; from < total; from += chunk) {
        const to = Math.min(total, from + chunk);
        written += await copyBinary(client, () => [
          COPY_HEADER,
          encodeBinary(rows, baseMs, from, to),
          Buffer.from([0xff, 0xff]),
        ]);
      }
    } else {
      written += await copyBinary(client, function* () {
        yield COPY_HEADER;
        for (let from = 0; from < total; from += chunk) {
          yield encodeBinary(rows, baseMs, from, Math.min(total, from + chunk));
        }
        yield Buffer.from([0xff, 0xff]);
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const clientCpuS = ownCpuS() - client0;
    const machine1 = machineCpu();
    let postgresCpuS = 0;
    for (const [pid, cpu] of cpuOfPids(pids)) postgresCpuS += cpu - (pgCpu0.get(pid) ?? cpu);
    const machineBusyPct =
      machine0 && machine1 && machine1.total > machine0.total
        ? ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * 100
        : undefined;
    if (written !== total) throw new Error(`${method} wrote ${written} rows, expected ${total}`);
    const lsn1 = await walLsn(client);
    let walBytesPerRow: number | undefined;
    if (lsn0 && lsn1) {
      const diff = await client.query<{ d: string }>('SELECT pg_wal_lsn_diff($1, $2)::text AS d', [
        lsn1,
        lsn0,
      ]);
      walBytesPerRow = Number(diff.rows[0]?.d) / written;
    }
    return {
      method,
      rows: written,
      seconds,
      rowsPerS: written / seconds,
      walBytesPerRow,
      clientCpuS,
      postgresCpuS,
      machineBusyPct,
    };
  } finally {
    await client.end();
  }
}

/** The days a method's rows fall on, for creating their partitions first. */
export function daysOf(baseMs: number, spanMs: number): number[] {
  const days: number[] = [];
  for (let day = Math.floor(baseMs / DAY_MS) * DAY_MS; day <= baseMs + spanMs; day += DAY_MS) days.push(day);
  return days;
}
