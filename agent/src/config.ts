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
  EMMA_DOCKER: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['auto', 'on', 'off']))
    .default('auto')
    .describe('auto: watch when the engine answers; on: the same, warning on each failed retry; off: never'),
  EMMA_DOCKER_SOCKET: z.string().min(1).optional(),
  DOCKER_HOST: z.string().optional(),
  EMMA_CONTAINER_ACTIONS: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
    .transform((value) => value === 'true' || value === '1' || value === 'yes')
    .default(true)
    .describe('false: read-only, the server may not start, stop or restart containers here'),
  EMMA_INVENTORY_FULL_S: z.coerce.number().int().min(30).max(86_400).default(300),
  EMMA_STATS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  EMMA_COMMAND_WAIT_S: z.coerce.number().int().min(1).max(30).default(25),
});

/** Where the Docker API answers: a unix socket, or plain TCP (DOCKER_HOST=tcp://host:port). */
export type DockerEndpoint = { socketPath: string } | { host: string; port: number };

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** EMMA_DOCKER_SOCKET, else DOCKER_HOST (unix:///path or tcp://host:port), else /var/run/docker.sock. */
export function dockerEndpoint(socket: string | undefined, dockerHost: string | undefined): DockerEndpoint {
  if (socket !== undefined) return { socketPath: socket.replace(/^unix:\/\//, '') };
  const host = dockerHost?.trim();
  if (!host) return { socketPath: DEFAULT_DOCKER_SOCKET };
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new Error('DOCKER_HOST: expected unix:///absolute/path');
    return { socketPath };
  }
  const tcp = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[^:/\s]+):(\d{1,5})\/?$/.exec(host);
  const port = Number(tcp?.[2]);
  if (!tcp?.[1] || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error('DOCKER_HOST: expected unix:///path or tcp://host:port');
  }
  return { host: tcp[1].replace(/^\[|\]$/g, ''), port };
}

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
  /** off: never touch Docker; auto: watch containers when the engine answers; on: like auto, louder. */
  docker: 'auto' | 'on' | 'off';
  dockerEndpoint: DockerEndpoint;
  /** False: read-only, no command poller, every inventory says actionsEnabled: false. */
  containerActions: boolean;
  /** Seconds between full container inventories (events keep it current in between). */
  inventoryFullS: number;
  /** Engine requests (stats, inspect) in flight at once. */
  statsConcurrency: number;
  /** The command long-poll's waitS. */
  commandWaitS: number;
}

export function loadAgentSettings(env: NodeJS.ProcessEnv = process.env): AgentSettings {
  // An empty value means unset: compose files pass `EMMA_X: ${EMMA_X:-}` for settings left out of .env.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = EnvSchema.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid agent configuration:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  let docker: DockerEndpoint = { socketPath: DEFAULT_DOCKER_SOCKET };
  if (e.EMMA_DOCKER !== 'off') {
    try {
      docker = dockerEndpoint(e.EMMA_DOCKER_SOCKET, e.DOCKER_HOST);
    } catch (err) {
      throw new Error(
        `Invalid agent configuration:\n  - ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
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
    docker: e.EMMA_DOCKER,
    dockerEndpoint: docker,
    containerActions: e.EMMA_CONTAINER_ACTIONS,
    inventoryFullS: e.EMMA_INVENTORY_FULL_S,
    statsConcurrency: e.EMMA_STATS_CONCURRENCY,
    commandWaitS: e.EMMA_COMMAND_WAIT_S,
  };
}
