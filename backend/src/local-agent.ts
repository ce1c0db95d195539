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
    ...(enrollToken === undefined ? {} : { EMMA_ENROLL_TOKEN: enrollToken }),
  });
  const agent = await runAgent(settings, log);
  agent.done.catch((err: unknown) => {
    log.error({ err }, 'local agent stopped');
  });
  return agent;
}
