import { z } from 'zod';
import {
  AgentStatusSchema,
  ContainerHealthSchema,
  ContainerStateSchema,
  ProbeStateSchema,
  SeveritySchema,
} from '@emma/protocol';

const Count = z.number().int().nonnegative();

/** An object with a count for every value of an enum (0 when there is none), so clients need no defaults. */
function countsOf<const K extends string>(values: readonly K[]) {
  return z.object(Object.fromEntries(values.map((value) => [value, Count])) as Record<K, typeof Count>);
}

export const OverviewSchema = z
  .object({
    agents: z
      .object({ total: Count, byStatus: countsOf(AgentStatusSchema.options) })
      .describe('Agents that are not deleted (revoked ones included, as in the agent list)'),
    probes: z
      .object({
        total: Count,
        byState: countsOf(ProbeStateSchema.options).describe(
          'Each probe counted once, by its state as the probe list shows it: `paused` when paused, else the worst of the agents that run it now, `pending` before any result',
        ),
        paused: Count.describe('Paused probes (the same as byState.paused)'),
      })
      .describe('Probes that are not deleted'),
    containers: z
      .object({
        total: Count,
        byState: countsOf(ContainerStateSchema.options),
        byHealth: countsOf(ContainerHealthSchema.options),
      })
      .describe('Containers not removed, on agents that are not deleted (as the container list shows them)'),
    incidents: z
      .object({
        open: Count,
        acknowledged: Count,
        bySeverity: countsOf(SeveritySchema.options).describe('Open and acknowledged incidents together'),
      })
      .describe('Incidents not resolved'),
    generatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Overview' });
export type Overview = z.infer<typeof OverviewSchema>;
