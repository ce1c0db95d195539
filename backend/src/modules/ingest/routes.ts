import { IngestBatchSchema, IngestResultSchema } from '@emma/protocol';
import { requireAgent } from '../../http/context';
import { AppError, tooManyRequests } from '../../http/errors';
import type { ApiRouter } from '../../http/route';
import type { RateLimiter } from './rate-limit';
import * as ingest from './service';

export const INGEST_PATH = '/api/v1/ingest';

export function registerIngestRoutes(
  api: ApiRouter,
  deps: ingest.IngestDeps & { limiter: RateLimiter },
): void {
  api.route({
    method: 'post',
    path: INGEST_PATH,
    access: 'agent',
    tags: ['ingest'],
    summary: 'An agent delivers a batch of samples',
    description:
      'Body: the IngestBatch JSON, optionally gzip-compressed (Content-Encoding: gzip). A batch whose (agent, seq) ' +
      'was stored before is acknowledged as a duplicate and not stored again, so agents may replay safely.',
    body: IngestBatchSchema,
    invalidBodyStatus: 422,
    responses: {
      200: { description: 'Stored (or recognised as a replay)', schema: IngestResultSchema },
      403: { description: 'The agent waits for approval (agent_pending)' },
      413: { description: 'Body or sample count over the limit' },
      422: { description: 'The batch does not match the schema' },
      429: { description: 'Batches arrive too fast; see Retry-After' },
    },
    handler: (ctx, { body }) => {
      const agent = requireAgent(ctx);
      if (agent.status === 'pending') {
        throw new AppError(
          403,
          'agent_pending',
          'This agent waits for approval; keep the data and retry later',
        );
      }
      const waitS = deps.limiter.take(agent.agentId);
      if (waitS > 0) throw tooManyRequests('Batches arrive too fast', waitS);
      return ingest.ingest(deps, ctx.state.db, agent, body);
    },
  });
}
