// The delivery pipeline: samples → Batcher (seq from StateStore) → Sender → ingest API, with the Spool
// holding whatever cannot go out right now.
import type { HttpFailure } from './http';
import { Batcher, type BatcherLimits } from './batcher';
import { silentLogger, type PipelineLogger } from './logger';
import { Sender, type BackoffOptions } from './sender';
import { Spool } from './spool';
import type { StateStore } from './state';

export * from './batcher';
export * from './http';
export * from './logger';
export * from './sender';
export * from './spool';
export * from './state';

export interface PipelineOptions extends BatcherLimits {
  state: StateStore;
  spoolDir: string;
  /** Default 64 MiB. */
  spoolMaxBytes?: number;
  spoolMaxCount?: number;
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  pendingRetryMs?: number;
  onFatal?: (failure: HttpFailure) => void;
  logger?: PipelineLogger;
}

export interface Pipeline {
  batcher: Batcher;
  sender: Sender;
  spool: Spool;
  /** Hands on the open batch, then stops; anything unsent stays in the spool for the next start. */
  stop(): Promise<void>;
}

export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const logger = options.logger ?? silentLogger;
  const { serverUrl, credential } = options.state.identity;
  const spool = await Spool.open({
    dir: options.spoolDir,
    maxBytes: options.spoolMaxBytes ?? 64 * 1024 * 1024,
    maxCount: options.spoolMaxCount,
    logger,
  });
  const sender = new Sender({
    serverUrl,
    credential,
    spool,
    logger,
    requestTimeoutMs: options.requestTimeoutMs,
    backoff: options.backoff,
    pendingRetryMs: options.pendingRetryMs,
    onFatal: options.onFatal,
  });
  const batcher = new Batcher({
    maxSamples: options.maxSamples,
    maxDelayMs: options.maxDelayMs,
    heartbeatMs: options.heartbeatMs,
    nextSeq: () => options.state.allocateSeq(),
    onBatch: (batch) => sender.enqueue(batch),
    logger,
  });
  sender.start();
  batcher.start();
  return {
    batcher,
    sender,
    spool,
    async stop() {
      await batcher.stop();
      await sender.stop();
    },
  };
}
