// A bounded on-disk FIFO of batches, so data survives an unreachable server and agent restarts.
//
// One gzip JSON file per batch, named by zero-padded seq so the directory sorts in send order. Files are
// written through temp file + rename (a crash leaves a whole file or none). The index (seq, size) lives
// in memory and is rebuilt from the directory at start. When a bound is exceeded the oldest batches are
// deleted; those drops are counted in `dropped.json` until the server has been told (droppedBatches).
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { IngestBatchSchema, type IngestBatch } from '@emma/protocol';
import { TEMP_SUFFIX, writeFileAtomic } from './fsutil';
import { silentLogger, type PipelineLogger } from './logger';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const BATCH_FILE = /^(\d{16})\.json\.gz$/;
const DROPS_FILE = 'dropped.json';

export interface SpoolOptions {
  dir: string;
  /** Upper bound of the batch files' total size on disk. */
  maxBytes: number;
  /** Optional upper bound of the number of batches. */
  maxCount?: number;
  logger?: PipelineLogger;
}

interface Entry {
  seq: number;
  bytes: number;
}

const fileName = (seq: number): string => `${String(seq).padStart(16, '0')}.json.gz`;

export class Spool {
  private readonly entries: Entry[] = []; // ascending seq
  private totalBytes = 0;
  private droppedTotal = 0;
  private corruptTotal = 0;
  private pending = 0;
  private inFlight: number | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly logger: PipelineLogger;

  private constructor(private readonly options: SpoolOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Opens (creating if needed) the spool directory and indexes the batches already in it. */
  static async open(options: SpoolOptions): Promise<Spool> {
    const spool = new Spool(options);
    await spool.load();
    return spool;
  }

  /** Batches waiting to be sent. */
  get count(): number {
    return this.entries.length;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Batches lost since this instance opened (evicted by the bounds, corrupt or unwritable). */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** Corrupt files found (and deleted) since this instance opened; also counted in `dropped`. */
  get corrupt(): number {
    return this.corruptTotal;
  }

  /** Drops the server has not been told about yet (persisted across restarts). */
  get pendingDrops(): number {
    return this.pending;
  }

  /** Marks the batch being sent, so eviction spares it (a delivered batch must not count as dropped). */
  setInFlight(seq: number | undefined): void {
    this.inFlight = seq;
  }

  /** Stores a batch in seq order, evicting the oldest when a bound is exceeded. Never throws. */
  push(batch: IngestBatch): Promise<void> {
    return this.serial(async () => {
      const data = await gzipAsync(JSON.stringify(batch));
      const existing = this.entries.findIndex((e) => e.seq === batch.seq);
      if (existing >= 0) this.forget(existing);
      let at = this.entries.length;
      while (at > 0 && (this.entries[at - 1]?.seq ?? 0) > batch.seq) at--;
      const entry = { seq: batch.seq, bytes: data.byteLength };
      this.entries.splice(at, 0, entry);
      this.totalBytes += entry.bytes;
      const evicted = await this.enforceBounds();
      if (evicted.includes(entry.seq)) return; // the new batch was itself the oldest: never written
      try {
        await writeFileAtomic(this.file(entry.seq), data, 0o600);
      } catch (err) {
        this.forget(this.entries.indexOf(entry));
        this.logger.error({ err, seq: entry.seq }, 'spool write failed; batch dropped');
        await this.countDrops(1);
      }
    });
  }

  /** The oldest readable batch; corrupt files on the way are deleted and counted as drops. */
  head(): Promise<IngestBatch | undefined> {
    return this.serial(async () => {
      for (let entry = this.entries[0]; entry; entry = this.entries[0]) {
        const batch = await this.read(entry.seq);
        if (batch) return batch;
        this.forget(0);
        this.corruptTotal++;
        await rm(this.file(entry.seq), { force: true });
        await this.countDrops(1);
      }
      return undefined;
    });
  }

  /** Deletes a batch once it has been delivered or rejected. Unknown seqs are ignored. */
  remove(seq: number): Promise<void> {
    return this.serial(async () => {
      const index = this.entries.findIndex((e) => e.seq === seq);
      if (index < 0) return;
      this.forget(index);
      await rm(this.file(seq), { force: true });
    });
  }

  /** The server accepted a batch that reported `count` drops. */
  ackDrops(count: number): Promise<void> {
    return this.serial(async () => {
      if (count <= 0 || this.pending === 0) return;
      this.pending = Math.max(0, this.pending - count);
      await this.saveDrops();
    });
  }

  private async load(): Promise<void> {
    const { dir } = this.options;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(dir)) {
      if (name.endsWith(TEMP_SUFFIX)) {
        await rm(path.join(dir, name), { force: true }); // a write interrupted by a crash
        continue;
      }
      const seq = BATCH_FILE.exec(name)?.[1];
      if (seq === undefined) continue;
      const { size } = await stat(path.join(dir, name));
      this.entries.push({ seq: Number(seq), bytes: size });
      this.totalBytes += size;
    }
    this.entries.sort((a, b) => a.seq - b.seq);
    try {
      const saved = JSON.parse(await readFile(path.join(dir, DROPS_FILE), 'utf8')) as { pending?: unknown };
      if (typeof saved.pending === 'number' && saved.pending > 0) this.pending = Math.floor(saved.pending);
    } catch {
      // No drops recorded yet (or an unreadable record: losing a drop count is harmless).
    }
    await this.enforceBounds(); // the bounds may have shrunk since the last run
  }

  private async read(seq: number): Promise<IngestBatch | undefined> {
    try {
      const json: unknown = JSON.parse((await gunzipAsync(await readFile(this.file(seq)))).toString('utf8'));
      const parsed = IngestBatchSchema.safeParse(json);
      if (parsed.success && parsed.data.seq === seq) return parsed.data;
      this.logger.warn({ seq }, 'spooled batch is not a valid batch; deleting it');
    } catch (err) {
      this.logger.warn({ err, seq }, 'spooled batch is unreadable; deleting it');
    }
    return undefined;
  }

  /** Evicts oldest-first (sparing the batch in flight) until within bounds; returns the evicted seqs. */
  private async enforceBounds(): Promise<number[]> {
    const { maxBytes, maxCount = Infinity } = this.options;
    const evicted: number[] = [];
    let index = 0;
    while ((this.totalBytes > maxBytes || this.entries.length > maxCount) && index < this.entries.length) {
      const entry = this.entries[index];
      if (!entry || entry.seq === this.inFlight) {
        index++;
        continue;
      }
      this.forget(index);
      evicted.push(entry.seq);
      await rm(this.file(entry.seq), { force: true });
    }
    if (evicted.length > 0) {
      this.logger.warn({ seqs: evicted, maxBytes, maxCount }, 'spool full; dropped the oldest batches');
      await this.countDrops(evicted.length);
    }
    return evicted;
  }

  private async countDrops(count: number): Promise<void> {
    this.droppedTotal += count;
    this.pending += count;
    await this.saveDrops();
  }

  private async saveDrops(): Promise<void> {
    try {
      await writeFileAtomic(
        path.join(this.options.dir, DROPS_FILE),
        JSON.stringify({ pending: this.pending }),
      );
    } catch (err) {
      this.logger.warn({ err }, 'could not record the spool drop count');
    }
  }

  private forget(index: number): void {
    if (index < 0) return;
    const [entry] = this.entries.splice(index, 1);
    if (entry) this.totalBytes -= entry.bytes;
  }

  private file(seq: number): string {
    return path.join(this.options.dir, fileName(seq));
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
