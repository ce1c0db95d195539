import type { ApiRouter } from '../../http/route';
import { OverviewSchema } from './schemas';
import * as service from './service';

export function registerOverviewRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/api/v1/overview',
    access: 'agents:read',
    tags: ['overview'],
    summary: 'Counts by state of agents, probes, containers and live incidents',
    description:
      'What the dashboard shows first: how many agents, probes and containers are in each state, and how many ' +
      'incidents are open or acknowledged by severity. Every known state appears, with 0 when none is in it. ' +
      'Live changes arrive on the `overview` WebSocket topic; re-read this after a reconnect.',
    responses: { 200: { description: 'The counts', schema: OverviewSchema } },
    handler: (ctx) => service.overview(ctx.state.db),
  });
}
