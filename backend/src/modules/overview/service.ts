import {
  AgentStatusSchema,
  ContainerHealthSchema,
  ContainerStateSchema,
  ProbeStateSchema,
  SeveritySchema,
} from '@emma/protocol';
import type { Db } from '../../db/pool';
import * as repo from './repo';
import type { Overview } from './schemas';

/** A count for every known value (0 when absent); values the enum does not know count in totals only. */
function counts<K extends string>(values: readonly K[], rows: readonly repo.CountRow[]): Record<K, number> {
  const out = Object.fromEntries(values.map((value) => [value, 0])) as Record<K, number>;
  for (const row of rows) {
    if ((values as readonly string[]).includes(row.key)) out[row.key as K] += row.n;
  }
  return out;
}

const total = (rows: readonly repo.CountRow[]) => rows.reduce((sum, row) => sum + row.n, 0);
const side = (rows: readonly repo.PairCountRow[], by: repo.PairCountRow['by']) =>
  rows.filter((row) => row.by === by);

export async function overview(db: Db): Promise<Overview> {
  // One after the other: they share the request's transaction (one connection).
  const agents = await repo.agentsByStatus(db);
  const probes = await repo.probesByState(db);
  const containers = await repo.containersByStateAndHealth(db);
  const incidents = await repo.liveIncidentsByStatusAndSeverity(db);
  const containerStates = side(containers, 'first');
  const incidentStatuses = counts(['open', 'acknowledged'] as const, side(incidents, 'first'));
  const probeStates = counts(ProbeStateSchema.options, probes);
  return {
    agents: { total: total(agents), byStatus: counts(AgentStatusSchema.options, agents) },
    probes: { total: total(probes), byState: probeStates, paused: probeStates.paused },
    containers: {
      total: total(containerStates),
      byState: counts(ContainerStateSchema.options, containerStates),
      byHealth: counts(ContainerHealthSchema.options, side(containers, 'second')),
    },
    incidents: {
      ...incidentStatuses,
      bySeverity: counts(SeveritySchema.options, side(incidents, 'second')),
    },
    generatedAt: new Date().toISOString(),
  };
}
