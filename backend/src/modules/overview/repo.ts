// Counts for the overview, each one GROUP BY over the live rows; no row is sent to the application.
import type { Db } from '../../db/pool';
import { PROBE_STATE_SQL } from '../probes/repo';

export interface CountRow {
  key: string;
  n: number;
}

export interface PairCountRow {
  /** Which grouping the row belongs to (GROUPING SETS): the first column's or the second's. */
  by: 'first' | 'second';
  key: string;
  n: number;
}

/** Agents not deleted, by status (agents_live_status_idx). */
export async function agentsByStatus(db: Db): Promise<CountRow[]> {
  const result = await db.query<CountRow>(
    `SELECT status AS key, count(*)::int AS n FROM agents WHERE deleted_at IS NULL GROUP BY status`,
  );
  return result.rows;
}

/** Probes not deleted, by the state the probe list shows (PROBE_STATE_SQL in probes/repo.ts). */
export async function probesByState(db: Db): Promise<CountRow[]> {
  // Compiling this expression costs more than running it.
  await db.query(`SET LOCAL jit = off`);
  const result = await db.query<CountRow>(
    `SELECT ${PROBE_STATE_SQL} AS key, count(*)::int AS n FROM probes p WHERE p.deleted_at IS NULL GROUP BY 1`,
  );
  return result.rows;
}

/** Containers not removed, of agents not deleted: by state and by health in one pass. */
export async function containersByStateAndHealth(db: Db): Promise<PairCountRow[]> {
  const result = await db.query<PairCountRow>(
    `SELECT CASE WHEN GROUPING(c.state) = 0 THEN 'first' ELSE 'second' END AS by,
            coalesce(c.state, c.health) AS key, count(*)::int AS n
     FROM containers c JOIN agents a ON a.id = c.agent_id
     WHERE c.removed_at IS NULL AND a.deleted_at IS NULL
     GROUP BY GROUPING SETS ((c.state), (c.health))`,
  );
  return result.rows;
}

/** Incidents not resolved: by status and by severity in one pass (incidents_status_idx). */
export async function liveIncidentsByStatusAndSeverity(db: Db): Promise<PairCountRow[]> {
  const result = await db.query<PairCountRow>(
    `SELECT CASE WHEN GROUPING(status) = 0 THEN 'first' ELSE 'second' END AS by,
            coalesce(status, severity) AS key, count(*)::int AS n
     FROM incidents
     WHERE status IN ('open', 'acknowledged')
     GROUP BY GROUPING SETS ((status), (severity))`,
  );
  return result.rows;
}
