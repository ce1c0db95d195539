// `npm run migrate -- up|down [count]` against DATABASE_URL (or the embedded database).
import { loadConfig, loadDotEnv } from '../config';
import { createLogger } from '../logger';
import { startEmbeddedPostgres } from './embedded';
import { migrate } from './migrate';

await loadDotEnv();
const config = loadConfig();
const logger = createLogger(config.logLevel);
const direction = process.argv[2] === 'down' ? 'down' : 'up';
const count = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const embedded = config.database.url
  ? undefined
  : await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, logger);
try {
  const url = config.database.url ?? embedded?.url ?? '';
  const names = await migrate(url, direction, logger, count);
  logger.info(
    { direction, count: names.length },
    names.length ? `migrated ${direction}: ${names.join(', ')}` : 'nothing to migrate',
  );
} finally {
  await embedded?.stop();
}
