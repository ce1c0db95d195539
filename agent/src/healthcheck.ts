// The container's HEALTHCHECK: healthy while the collect loop wrote its health file recently.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HEALTH_FILE } from './health-file';

const dir = process.env.EMMA_STATE_DIR ?? './agent-state';
const maxAgeMs = Number(process.env.EMMA_HEALTH_MAX_AGE_S ?? 120) * 1000;
try {
  const health = JSON.parse(readFileSync(path.join(dir, HEALTH_FILE), 'utf8')) as { at: number };
  process.exit(Date.now() - health.at <= maxAgeMs ? 0 : 1);
} catch {
  process.exit(1);
}
