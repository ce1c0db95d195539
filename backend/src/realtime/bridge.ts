// The LISTEN side: one connection per realtime process (pg-listen), reconnecting for ever with backoff.
// NOTIFY is not durable: whatever was sent while the connection was down is gone, so after a reconnect the
// owner tells every client to re-read its state.
import pg from 'pg';
import createSubscriber, { type Subscriber } from 'pg-listen';
import type { Logger } from '../logger';

/** pg_stat_activity shows the LISTEN connection under this name (operators and tests find it by it). */
export const LISTEN_APPLICATION_NAME = 'emma-realtime-listen';

export interface BridgeOptions {
  databaseUrl: string;
  channel: string;
  logger: Logger;
  /** Each payload as sent (pg-listen's JSON parsing is off: a foreign payload must not become an error event). */
  onNotice(payload: string): void;
  /** The connection is back and listening again. */
  onRestored(): void;
  /** Longest wait between reconnection attempts. */
  retryMaxMs?: number;
  /** How often a quiet connection is checked with a query (a half-open TCP connection is noticed by it). */
  checkEveryMs?: number;
  /** The connection's name in pg_stat_activity; default LISTEN_APPLICATION_NAME. */
  applicationName?: string;
}

export interface ListenBridge {
  readonly connected: boolean;
  /** Times the connection was lost. */
  readonly losses: number;
  close(): Promise<void>;
}

export function reconnectDelayMs(attempt: number, maxMs: number): number {
  const base = Math.min(maxMs, 100 * 2 ** Math.min(attempt, 20));
  // Jitter, so that many replicas do not all knock at once when the database comes back.
  return Math.round(base / 2 + (Math.random() * base) / 2);
}

export async function startListenBridge(options: BridgeOptions): Promise<ListenBridge> {
  const { logger, channel } = options;
  const retryMaxMs = options.retryMaxMs ?? 10_000;
  const config: pg.ClientConfig = {
    connectionString: options.databaseUrl,
    application_name: options.applicationName ?? LISTEN_APPLICATION_NAME,
  };
  // pg-listen's first connect() does not retry, and a failed one can leave its reconnect loop running; so the
  // database is reached once with a plain client first, and the process fails to start when it cannot be.
  const probe = new pg.Client(config);
  await probe.connect();
  await probe.end();

  const subscriber: Subscriber = createSubscriber(config, {
    // 0 = retry for ever (pg-listen gives up after 3 s by default and then only emits an error).
    retryTimeout: 0,
    retryLimit: Infinity,
    retryInterval: (attempt) => reconnectDelayMs(attempt, retryMaxMs),
    paranoidChecking: options.checkEveryMs ?? 10_000,
    parse: (text: string) => text,
  });
  let connected = false;
  let losses = 0;
  subscriber.events.on('notification', (notification) => {
    if (notification.channel !== channel || typeof notification.payload !== 'string') return;
    options.onNotice(notification.payload);
  });
  subscriber.events.on('reconnect', (attempt) => {
    if (connected) {
      connected = false;
      losses += 1;
      logger.warn({ channel }, 'the LISTEN connection to PostgreSQL was lost; reconnecting');
    } else if (attempt % 10 === 0) {
      logger.warn({ channel, attempt }, 'still reconnecting the LISTEN connection');
    }
  });
  let closed = false;
  subscriber.events.on('connected', () => {
    // pg-listen's reconnect loop does not stop at close(); a connection it makes afterwards is closed here.
    if (closed) {
      void subscriber.close().catch(() => undefined);
      return;
    }
    const restored = losses > 0 && !connected;
    connected = true;
    if (restored) {
      logger.info({ channel }, 'the LISTEN connection is back; clients are told to re-sync');
      options.onRestored();
    }
  });
  subscriber.events.on('error', (err) => {
    logger.error({ err, channel }, 'LISTEN connection error');
  });
  try {
    await subscriber.connect();
    await subscriber.listenTo(channel);
  } catch (err) {
    await subscriber.close().catch(() => undefined);
    throw err;
  }
  connected = true;
  logger.debug({ channel }, 'listening');
  return {
    get connected() {
      return connected;
    },
    get losses() {
      return losses;
    },
    close: async () => {
      closed = true;
      connected = false;
      await subscriber.close().catch((err: unknown) => {
        logger.debug({ err }, 'closing the LISTEN connection failed');
      });
    },
  };
}
