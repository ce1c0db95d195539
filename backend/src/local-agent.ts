// `emma all` watches its own host too: it enrols a local agent on first start (identity kept under
// EMMA_DATA_DIR/agent) and runs it in-process, so a newcomer sees data the moment eMMA is up.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadAgentSettings, runAgent, type RunningAgent } from '@emma/agent';
import type { Config } from './config';
import { withTransaction, type Pool } from './db/pool';
import type { Logger } from './logger';
import { SYSTEM_ORIGIN } from './modules/audit/service';
import { createEnrollmentToken } from './modules/agents/service';

/**
 * The container settings of the agent (docs/configuration.md) as this process's environment sets them, so
 * `emma all` watches the host's Docker the way a separate agent would. A DOCKER_HOST the agent cannot use
 * (ssh://) is left out rather than stopping the server.
 */
export function localAgentContainerEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of [
    'EMMA_DOCKER',
    'EMMA_DOCKER_SOCKET',
    'EMMA_CONTAINER_ACTIONS',
    'EMMA_INVENTORY_FULL_S',
  ]) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost && /^(unix|tcp):\/\//.test(dockerHost)) picked.DOCKER_HOST = dockerHost;
  return picked;
}

export async function startLocalAgent(
  config: Config,
  pool: Pool,
  logger: Logger,
  serverUrl: string,
  serverSecret: string,
): Promise<RunningAgent> {
  const stateDir = path.join(config.dataDir, 'agent');
  let enrollToken: string | undefined;
  if (!existsSync(path.join(stateDir, 'agent.json'))) {
    const created = await withTransaction(pool, (db) =>
      createEnrollmentToken(
        {
          serverSecret,
          agentImage: config.agentImage,
          publicUrl: serverUrl,
          maxBatchSamples: config.ingest.maxBatchSamples,
        },
        db,
        SYSTEM_ORIGIN,
        serverUrl,
        {
          name: 'local agent of emma all',
          expiresInS: 600,
          maxUses: 1,
          labels: { local: 'true' },
          requiresApproval: false,
        },
      ),
    );
    enrollToken = created.token;
  }
  const log = logger.child({ component: 'local-agent' });
  // The agent's own settings loader, so its defaults live in one place.
  const settings = loadAgentSettings({
    EMMA_URL: serverUrl,
    EMMA_STATE_DIR: stateDir,
    EMMA_SPOOL_MAX_BYTES: String(16 * 1024 * 1024),
    ...localAgentContainerEnv(process.env),
    ...(enrollToken === undefined ? {} : { EMMA_ENROLL_TOKEN: enrollToken }),
  });
  const agent = await runAgent(settings, log);
  agent.done.catch((err: unknown) => {
    log.error({ err }, 'local agent stopped');
  });
  return agent;
}
