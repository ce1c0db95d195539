-- Up Migration
-- A probe's state is the worst of its agents' states (probes/state.ts). The overview counts probes by that
-- state; walking each probe's states worst first lets it stop at the first row of an agent that still runs the
-- probe, so a probe selected by labels on hundreds of agents costs one index probe, not hundreds of rows.
-- The expression must stay exactly the one in PROBE_STATE_SQL (modules/probes/repo.ts), or the index is not used.
CREATE INDEX probe_states_worst_idx ON probe_states
  (probe_id, (CASE state WHEN 'down' THEN 3 WHEN 'degraded' THEN 2 WHEN 'up' THEN 1 ELSE 0 END) DESC);

-- Down Migration
DROP INDEX probe_states_worst_idx;
