// Every agent setting comes from the environment, validated once at start.
import path from 'node:path';
import { z } from 'zod';

const EnvSchema = z.object({
  EMMA_URL: z.url().describe('How the agent reaches the eMMA server, e.g. https://emma.example.com'),
  EMMA_ENROLL_TOKEN: z.string().min(1).optional(),
  EMMA_HOST_PROC: z.string().default('/proc'),
  EMMA_HOST_ROOT: z.string().default('/'),
  EMMA_STATE_DIR: z.string().default('./agent-state'),
  EMMA_INTERVAL_S: z.coerce.number().int().min(1).max(3600).optional(),
  EMMA_SPOOL_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .default(64 * 1024 * 1024),
  EMMA_AGENT_NAME: z.string().min(1).max(200).optional(),
  EMMA_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  EMMA_CONFIG_PULL_S: z.coerce.number().int().min(5).max(3600).default(60),
  EMMA_PROBE_CONCURRENCY: z.coerce.number().int().min(1).max(4096).default(256),
});

export interface AgentSettings {
  serverUrl: string;
  enrollToken: string | undefined;
  procRoot: string;
  hostRoot: string;
  stateDir: string;
  /** Overrides the server's interval when set. */
  intervalS: number | undefined;
  spoolMaxBytes: number;
  name: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  configPullS: number;
  /** Probe checks in flight at once; checks/s can reach at most this ÷ the average check time. */
  probeConcurrency: number;
}

export function loadAgentSettings(env: NodeJS.ProcessEnv = process.env): AgentSettings {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid agent configuration:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  return {
    serverUrl: e.EMMA_URL.replace(/\/+$/, ''),
    enrollToken: e.EMMA_ENROLL_TOKEN,
    procRoot: e.EMMA_HOST_PROC,
    hostRoot: e.EMMA_HOST_ROOT,
    stateDir: path.resolve(e.EMMA_STATE_DIR),
    intervalS: e.EMMA_INTERVAL_S,
    spoolMaxBytes: e.EMMA_SPOOL_MAX_BYTES,
    name: e.EMMA_AGENT_NAME,
    logLevel: e.EMMA_LOG_LEVEL,
    configPullS: e.EMMA_CONFIG_PULL_S,
    probeConcurrency: e.EMMA_PROBE_CONCURRENCY,
  };
}
