// Every setting comes from the environment (plus a git-ignored .env), validated once at start.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Retention } from './modules/ingest/partitions';
import { PasswordSchema } from '@emma/protocol';

/** The repository (or image) root: backend/src/.. /.. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const DEFAULT_SECRETS = new Set(['', 'changeme', 'change-me', 'secret', 'emma', 'dev-secret']);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

/**
 * An absolute path (`/ws`) means "the dashboard page's own origin": behind a proxy that serves both (compose's
 * nginx) the server cannot know the host browsers use. Not `//…`, which a browser reads as another host.
 */
const SAME_ORIGIN_WS_PATH = z.string().regex(/^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/);
const WS_PUBLIC_URL_ERROR =
  "must be a ws:// or wss:// URL (e.g. wss://emma.example.com/ws) or an absolute path on the dashboard's " +
  'own origin (e.g. /ws)';

/** The prefix of enrolment tokens made in the dashboard (see modules/agents/credentials.ts). */
const ENROLLMENT_TOKEN_PREFIX = 'emmaet_';

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    EMMA_HTTP_PORT: port.default(8080),
    EMMA_WS_PORT: port.default(8081),
    EMMA_WS_PUBLIC_URL: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      z
        .union([SAME_ORIGIN_WS_PATH, z.url({ protocol: /^wss?$/ })], { error: WS_PUBLIC_URL_ERROR })
        .optional(),
    ),
    EMMA_DASHBOARD_DIR: optionalString,
    EMMA_HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: optionalString,
    EMMA_DATA_DIR: z.string().default('./data'),
    EMMA_EMBEDDED_PG_PORT: port.default(54329),
    EMMA_DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
    EMMA_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    EMMA_DB_WAIT_S: z.coerce.number().int().min(0).max(3600).default(60),
    EMMA_JWT_SECRET: optionalString,
    EMMA_ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(60).max(1800).default(900),
    EMMA_REFRESH_TOKEN_TTL_S: z.coerce
      .number()
      .int()
      .min(300)
      .max(90 * 86400)
      .default(14 * 86400),
    EMMA_BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(15).default(12),
    EMMA_ADMIN_EMAIL: optionalString,
    EMMA_ADMIN_PASSWORD: optionalString,
    EMMA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    EMMA_SHUTDOWN_TIMEOUT_S: z.coerce.number().int().min(1).max(600).default(20),
    EMMA_CORS_ORIGINS: z.string().default(''),
    EMMA_TRUST_PROXY: bool.default(false),
    EMMA_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    EMMA_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    EMMA_LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).max(100000).default(50),
    EMMA_LOGIN_WINDOW_S: z.coerce.number().int().min(1).max(86400).default(900),
    EMMA_LOGIN_LOCKOUT_S: z.coerce.number().int().min(1).max(86400).default(900),
    EMMA_METRICS_TOKEN: optionalString,
    EMMA_PUBLIC_URL: z.url().optional(),
    EMMA_AGENT_IMAGE: z.string().min(1).default('emma-agent:latest'),
    EMMA_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
    EMMA_ROLLUP_1M_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    EMMA_ROLLUP_1H_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(730),
    EMMA_ROLLUP_INTERVAL_S: z.coerce.number().min(1).max(3600).default(30),
    EMMA_INGEST_MAX_BATCH_SAMPLES: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
    EMMA_INGEST_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(256 * 1024 * 1024)
      .default(16 * 1024 * 1024),
    EMMA_INGEST_MAX_BATCHES_PER_S: z.coerce.number().min(0.1).max(100_000).default(50),
    EMMA_LOCAL_AGENT: bool.optional(),
    // The agent sends it as it is (max 512 characters in an enrol request); no whitespace, which .env files and
    // compose would trim on one side and not the other.
    EMMA_AGENT_ENROLL_TOKEN: optionalString.pipe(
      z
        .string()
        .min(32, 'must be at least 32 characters, e.g. `openssl rand -base64 48`')
        .max(512, 'must be at most 512 characters')
        .regex(/^\S+$/, 'must not contain whitespace')
        .refine((value) => !value.startsWith(ENROLLMENT_TOKEN_PREFIX), {
          message:
            'must be a random secret of your own (e.g. `openssl rand -base64 48`), not a token made in the dashboard',
        })
        .optional(),
    ),
    EMMA_COMMAND_CHECK_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
    EMMA_WS_MAX_BACKPRESSURE_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(256 * 1024 * 1024)
      .default(1024 * 1024),
    EMMA_WS_COALESCE_MS: z.coerce.number().int().min(0).max(10_000).default(150),
    EMMA_WS_RECHECK_S: z.coerce.number().min(0.1).max(3600).default(15),
    EMMA_WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(100_000).default(256),
    EMMA_WS_MAX_MESSAGES_PER_S: z.coerce.number().min(0.1).max(100_000).default(20),
    EMMA_WS_IDLE_TIMEOUT_S: z.coerce.number().int().min(8).max(960).default(120),
    EMMA_ALERT_EVAL_INTERVAL_S: z.coerce.number().min(0.1).max(3600).default(5),
    EMMA_ALERT_REOPEN_WINDOW_S: z.coerce.number().int().min(0).max(86_400).default(600),
    EMMA_ALERT_METRIC_STALE_S: z.coerce.number().int().min(10).max(86_400).default(600),
    EMMA_NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
    EMMA_NOTIFY_BACKOFF_BASE_S: z.coerce.number().min(0.01).max(3600).default(10),
    EMMA_NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
    EMMA_NOTIFY_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(1_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (env.EMMA_JWT_SECRET === undefined || DEFAULT_SECRETS.has(env.EMMA_JWT_SECRET.toLowerCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['EMMA_JWT_SECRET'],
        message: 'production needs a real secret (32+ random characters), e.g. `openssl rand -base64 48`',
      });
    } else if (env.EMMA_JWT_SECRET.length < 32) {
      ctx.addIssue({ code: 'custom', path: ['EMMA_JWT_SECRET'], message: 'must be at least 32 characters' });
    }
    if (env.EMMA_BCRYPT_ROUNDS < 10) {
      ctx.addIssue({
        code: 'custom',
        path: ['EMMA_BCRYPT_ROUNDS'],
        message: 'must be at least 10 in production',
      });
    }
  })
  .superRefine((env, ctx) => {
    if (env.EMMA_ADMIN_PASSWORD === undefined) return;
    const result = PasswordSchema.safeParse(env.EMMA_ADMIN_PASSWORD);
    if (!result.success) {
      ctx.addIssue({
        code: 'custom',
        path: ['EMMA_ADMIN_PASSWORD'],
        message: result.error.issues.map((issue) => issue.message).join('; '),
      });
    }
  });

export interface Config {
  env: 'development' | 'production' | 'test';
  http: { host: string; port: number; trustProxy: boolean; corsOrigins: string[]; bodyLimitBytes: number };
  wsPort: number;
  /**
   * Where browsers connect the WebSocket: a full ws(s):// URL, or an absolute path (`/ws`) on the dashboard page's
   * own origin (behind a proxy serving both); unset: the page's host on the realtime port.
   */
  wsPublicUrl: string | undefined;
  /** The built dashboard (index.html and assets/) served on the HTTP port. */
  dashboardDir: string;
  realtime: {
    /** Bytes a WebSocket may have queued; a client that lets more pile up is dropped (4008). */
    maxBackpressureBytes: number;
    /** Changes to one topic within this window go out as one message. */
    coalesceMs: number;
    /** How often every connection's session and user are checked again. */
    recheckMs: number;
    maxSubscriptions: number;
    /** Client messages per second a connection may send on average (twice that in a burst). */
    maxMessagesPerS: number;
    /** uWS closes a connection silent this long; it pings automatically before. */
    idleTimeoutS: number;
  };
  /** waitS: how long a role waits at start for its database (and, for realtime/worker, the migrations). */
  database: { url: string | undefined; poolMax: number; connectTimeoutMs: number; waitS: number };
  dataDir: string;
  embeddedPgPort: number;
  auth: {
    /** Undefined outside production: a random secret is then kept in the data directory. */
    jwtSecret: string | undefined;
    accessTokenTtlS: number;
    refreshTokenTtlS: number;
    bcryptRounds: number;
    login: { maxFailures: number; ipMaxFailures: number; windowS: number; lockoutS: number };
  };
  bootstrapAdmin: { email: string | undefined; password: string | undefined };
  logLevel: string;
  /** Longest graceful shutdown (SIGTERM/SIGINT) before the process exits anyway, with code 1. */
  shutdownTimeoutS: number;
  metricsToken: string | undefined;
  /** The URL agents use to reach this server; default: the origin of the request that asks. */
  publicUrl: string | undefined;
  agentImage: string;
  ingest: {
    maxBatchSamples: number;
    bodyLimitBytes: number;
    maxBatchesPerS: number;
    rawRetentionDays: number;
  };
  /** Days each storage tier is kept, and how often the worker rolls up closed buckets. */
  history: {
    retention: Retention;
    rollupEveryMs: number;
  };
  /** `emma all` enrols and runs an agent for its own host, so a first start shows data at once. */
  localAgent: boolean;
  /**
   * EMMA_AGENT_ENROLL_TOKEN: the api roles make sure an enrolment token with this secret exists (once; see
   * modules/agents/bootstrap-token.ts), so compose can hand the same value to its agent container.
   */
  agentEnrollToken: string | undefined;
  /** How often waiting command polls are checked against the database (the backstop to LISTEN). */
  commandCheckMs: number;
  alerts: {
    /** How often workers evaluate the alert rules. */
    evaluateEveryMs: number;
    /** A resolved incident whose condition returns within this time reopens instead of a new one. */
    reopenWindowS: number;
    /** Metric series without a sample for this long no longer count for threshold rules. */
    metricStaleS: number;
  };
  notifications: {
    /** Attempts per delivery, the first one included. */
    maxAttempts: number;
    /** First retry delay; later ones: ×3, ×12, ×60, ×180. */
    backoffBaseMs: number;
    /** Time limit of one send. */
    timeoutMs: number;
    /** How often workers look for due deliveries. */
    pollMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    http: {
      host: e.EMMA_HOST,
      port: e.EMMA_HTTP_PORT,
      trustProxy: e.EMMA_TRUST_PROXY,
      corsOrigins: e.EMMA_CORS_ORIGINS.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
      bodyLimitBytes: e.EMMA_BODY_LIMIT_BYTES,
    },
    wsPort: e.EMMA_WS_PORT,
    wsPublicUrl: e.EMMA_WS_PUBLIC_URL,
    dashboardDir: path.resolve(e.EMMA_DASHBOARD_DIR ?? path.join(ROOT, 'dashboard/dist')),
    realtime: {
      maxBackpressureBytes: e.EMMA_WS_MAX_BACKPRESSURE_BYTES,
      coalesceMs: e.EMMA_WS_COALESCE_MS,
      recheckMs: Math.round(e.EMMA_WS_RECHECK_S * 1000),
      maxSubscriptions: e.EMMA_WS_MAX_SUBSCRIPTIONS,
      maxMessagesPerS: e.EMMA_WS_MAX_MESSAGES_PER_S,
      idleTimeoutS: e.EMMA_WS_IDLE_TIMEOUT_S,
    },
    database: {
      url: e.DATABASE_URL,
      poolMax: e.EMMA_DB_POOL_MAX,
      connectTimeoutMs: e.EMMA_DB_CONNECT_TIMEOUT_MS,
      waitS: e.EMMA_DB_WAIT_S,
    },
    dataDir: path.resolve(e.EMMA_DATA_DIR),
    embeddedPgPort: e.EMMA_EMBEDDED_PG_PORT,
    auth: {
      jwtSecret: e.EMMA_JWT_SECRET,
      accessTokenTtlS: e.EMMA_ACCESS_TOKEN_TTL_S,
      refreshTokenTtlS: e.EMMA_REFRESH_TOKEN_TTL_S,
      bcryptRounds: e.EMMA_BCRYPT_ROUNDS,
      login: {
        maxFailures: e.EMMA_LOGIN_MAX_FAILURES,
        ipMaxFailures: e.EMMA_LOGIN_IP_MAX_FAILURES,
        windowS: e.EMMA_LOGIN_WINDOW_S,
        lockoutS: e.EMMA_LOGIN_LOCKOUT_S,
      },
    },
    bootstrapAdmin: { email: e.EMMA_ADMIN_EMAIL, password: e.EMMA_ADMIN_PASSWORD },
    logLevel: e.EMMA_LOG_LEVEL,
    shutdownTimeoutS: e.EMMA_SHUTDOWN_TIMEOUT_S,
    metricsToken: e.EMMA_METRICS_TOKEN,
    publicUrl: e.EMMA_PUBLIC_URL?.replace(/\/+$/, ''),
    agentImage: e.EMMA_AGENT_IMAGE,
    ingest: {
      maxBatchSamples: e.EMMA_INGEST_MAX_BATCH_SAMPLES,
      bodyLimitBytes: e.EMMA_INGEST_BODY_LIMIT_BYTES,
      maxBatchesPerS: e.EMMA_INGEST_MAX_BATCHES_PER_S,
      rawRetentionDays: e.EMMA_RAW_RETENTION_DAYS,
    },
    history: {
      retention: {
        rawDays: e.EMMA_RAW_RETENTION_DAYS,
        minuteDays: e.EMMA_ROLLUP_1M_RETENTION_DAYS,
        hourDays: e.EMMA_ROLLUP_1H_RETENTION_DAYS,
      },
      rollupEveryMs: Math.round(e.EMMA_ROLLUP_INTERVAL_S * 1000),
    },
    // On by default for a first start; in production the host's own agent container does this job.
    localAgent: e.EMMA_LOCAL_AGENT ?? e.NODE_ENV !== 'production',
    agentEnrollToken: e.EMMA_AGENT_ENROLL_TOKEN,
    commandCheckMs: e.EMMA_COMMAND_CHECK_MS,
    alerts: {
      evaluateEveryMs: Math.round(e.EMMA_ALERT_EVAL_INTERVAL_S * 1000),
      reopenWindowS: e.EMMA_ALERT_REOPEN_WINDOW_S,
      metricStaleS: e.EMMA_ALERT_METRIC_STALE_S,
    },
    notifications: {
      maxAttempts: e.EMMA_NOTIFY_MAX_ATTEMPTS,
      backoffBaseMs: Math.round(e.EMMA_NOTIFY_BACKOFF_BASE_S * 1000),
      timeoutMs: e.EMMA_NOTIFY_TIMEOUT_MS,
      pollMs: e.EMMA_NOTIFY_POLL_MS,
    },
  };
}

/** Loads `.env` from the working directory without overriding variables already set. */
export async function loadDotEnv(cwd: string = process.cwd()): Promise<void> {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return;
  const dotenv = await import('dotenv');
  dotenv.config({ path: file, quiet: true });
}
