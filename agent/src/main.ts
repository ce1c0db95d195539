// `npm run agent` / the container's entrypoint.
import { AgentFatalError, createAgentLogger, loadAgentSettings, runAgent } from './index';

async function main(): Promise<void> {
  let settings;
  try {
    settings = loadAgentSettings();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const logger = createAgentLogger(settings.logLevel);
  const agent = await runAgent(settings, logger);
  const shutdown = () => {
    agent.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  await agent.done;
}

main().catch((err: unknown) => {
  const fatal = err instanceof AgentFatalError;
  process.stderr.write(`eMMA agent stopped: ${err instanceof Error ? err.message : String(err)}\n`);
  // 78 (EX_CONFIG): a restart alone will not help; someone must give the agent a new token or identity.
  process.exit(fatal ? 78 : 1);
});
