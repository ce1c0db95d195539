// At start every role waits for its database: in a compose stack or on Kubernetes the roles start together
// with PostgreSQL, and engines that ignore `depends_on` conditions (podman-compose, plain `docker run`)
// would otherwise see each role fail and restart until the database is up and migrated.
import pg from 'pg';
import type { Logger } from '../logger';
import { pendingMigrations } from './migrate';

export interface WaitOptions {
  role: string;
  logger: Logger;
  /** Seconds to keep trying (EMMA_DB_WAIT_S); 0 tries once. */
  timeoutS: number;
  /** Also wait until every migration on disk is applied (realtime and worker never migrate themselves). */
  migrated: boolean;
  /** Test seam: time between attempts. */
  retryMs?: number;
}

/** Migrations on disk that this database lacks; the role must not serve an older schema. */
export class NotMigratedError extends Error {
  constructor(
    readonly role: string,
    readonly pending: string[],
  ) {
    super(
      `emma ${role} refuses to start: the database at DATABASE_URL lacks ${pending.length} migration(s) ` +
        `(${pending.join(', ')}); run \`emma migrate\` (or start \`emma api\`) first`,
    );
    this.name = 'NotMigratedError';
  }
}

/** One attempt: connects, and when asked checks the migrations; throws what is missing. */
async function check(databaseUrl: string, options: WaitOptions): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  // A server that goes away mid-check emits 'error' on the client; the failed query already reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    if (!options.migrated) return;
    const pending = await pendingMigrations(client);
    if (pending.length > 0) throw new NotMigratedError(options.role, pending);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Resolves once the database accepts connections (and is migrated, when asked); throws the last reason
 * after timeoutS. Logs what it waits for when it starts waiting and every 10 s after, never the URL.
 */
export async function waitForDatabase(databaseUrl: string, options: WaitOptions): Promise<void> {
  await retrying(
    () => check(databaseUrl, options),
    () => true,
    options,
    'waiting for the database',
  );
}

/**
 * Runs `work` (e.g. the migrations) and runs it again while it fails to reach the database, up to
 * timeoutS: the database answering once (waitForDatabase) does not mean the next connection gets through,
 * as when a container network's DNS drops lookups while a stack starts. A statement's own error is final.
 */
export async function retryWhileUnreachable<T>(
  work: () => Promise<T>,
  options: Omit<WaitOptions, 'migrated'>,
): Promise<T> {
  return retrying(work, isUnreachable, options, 'the database could not be reached; trying again');
}

/** Errors of reaching or keeping the connection, as opposed to errors of a statement. */
export function isUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // A socket or DNS error (ECONNREFUSED, EPIPE, EAI_AGAIN...; no SQLSTATE class starts with E), not Node's ERR_*.
    if (/^E[A-Z_]+$/.test(code)) return !code.startsWith('ERR_');
    // SQLSTATE: connection exceptions (class 08), shutting down or starting up (57P0x), too many clients.
    return code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300';
  }
  return /connection terminated|timeout expired|connection timeout/i.test(err.message);
}

async function retrying<T>(
  attempt: () => Promise<T>,
  retryable: (err: unknown) => boolean,
  options: Omit<WaitOptions, 'migrated'>,
  waitingMessage: string,
): Promise<T> {
  const deadline = Date.now() + options.timeoutS * 1000;
  const retryMs = options.retryMs ?? 1_000;
  let lastLog = 0;
  for (;;) {
    try {
      const result = await attempt();
      if (lastLog > 0) options.logger.info({ role: options.role }, 'the database is ready');
      return result;
    } catch (err) {
      if (!retryable(err) || Date.now() + retryMs > deadline) throw err;
      if (Date.now() - lastLog >= 10_000) {
        lastLog = Date.now();
        const reason =
          err instanceof NotMigratedError
            ? `${err.pending.length} migration(s) not applied yet`
            : err instanceof Error
              ? err.message
              : String(err);
        options.logger.info({ role: options.role, reason, waitS: options.timeoutS }, waitingMessage);
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}
