-- Up Migration
-- Containers on the agents' hosts: the current inventory (one row per container and agent, marked removed,
-- never deleted), their state history partitioned by day like samples, and the actions operators queue.

ALTER TABLE agents
  -- What the agent last said about its container engine; null until it reports one.
  ADD COLUMN container_engine jsonb,
  -- False when the agent runs read-only (EMMA_CONTAINER_ACTIONS=false); null until it reports.
  ADD COLUMN container_actions_enabled boolean,
  ADD COLUMN containers_reported_at timestamptz;

CREATE TABLE containers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agent_id uuid NOT NULL REFERENCES agents (id),
  -- The engine's id (64 hex digits).
  container_id text NOT NULL,
  name text NOT NULL,
  image text NOT NULL,
  image_id text,
  command text,
  labels jsonb NOT NULL DEFAULT '{}',
  state text NOT NULL,
  health text NOT NULL DEFAULT 'none',
  exit_code integer,
  restart_count integer NOT NULL DEFAULT 0,
  ports jsonb NOT NULL DEFAULT '[]',
  engine_created_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  -- Since when state and health have been what they are.
  state_since timestamptz NOT NULL DEFAULT now(),
  -- The agent's time of the report this row reflects; older reports (spool replays) do not overwrite it.
  reported_at timestamptz NOT NULL,
  -- The newest stats (ContainerStats without id and ts) and their time.
  stats jsonb,
  stats_at timestamptz,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agent_id, container_id)
);
-- Engine-id prefixes (`docker ps` shows 12 digits) are looked up with LIKE 'prefix%'.
CREATE INDEX containers_container_id_idx ON containers (container_id text_pattern_ops);
CREATE INDEX containers_name_idx ON containers (name);
CREATE INDEX containers_state_idx ON containers (state) WHERE removed_at IS NULL;
CREATE INDEX containers_labels_idx ON containers USING gin (labels);
-- No touch trigger: ingest rewrites these rows with every report and sets updated_at itself (as for series).

-- State changes and engine events, one partition per UTC day (container_events_pYYYYMMDD), never updated.
CREATE TABLE container_events (
  container_ref uuid NOT NULL,
  agent_id uuid NOT NULL,
  ts timestamptz NOT NULL,
  -- An engine event's action (start, die, oom, health_status...) or 'state' for an observed change.
  action text NOT NULL,
  state text,
  health text,
  exit_code integer,
  message text
) PARTITION BY RANGE (ts);
CREATE INDEX container_events_ref_ts_idx ON container_events (container_ref, ts);

CREATE TABLE container_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  container_ref uuid NOT NULL REFERENCES containers (id),
  agent_id uuid NOT NULL REFERENCES agents (id),
  action text NOT NULL CHECK (action IN ('start', 'stop', 'restart')),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'expired')),
  stop_timeout_s integer NOT NULL DEFAULT 10,
  requested_by uuid REFERENCES users (id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  taken_at timestamptz,
  finished_at timestamptz,
  message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX container_actions_queue_idx ON container_actions (agent_id, requested_at) WHERE status = 'queued';
CREATE INDEX container_actions_container_idx ON container_actions (container_ref, requested_at DESC);
CREATE INDEX container_actions_running_idx ON container_actions (taken_at) WHERE status = 'running';
CREATE TRIGGER container_actions_touch BEFORE UPDATE ON container_actions FOR EACH ROW EXECUTE FUNCTION emma_touch_updated_at();

-- Down Migration
DROP TABLE container_actions;
DROP TABLE container_events;
DROP TABLE containers;
ALTER TABLE agents DROP COLUMN containers_reported_at, DROP COLUMN container_actions_enabled,
  DROP COLUMN container_engine;
