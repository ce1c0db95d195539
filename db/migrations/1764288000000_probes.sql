-- Up Migration
-- Service probes: definitions, per-agent state with the retries rule, state changes, and raw results
-- partitioned by day like samples.

CREATE TABLE probes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('http', 'tcp', 'icmp', 'sql', 'dns', 'tls')),
  -- The configuration without secrets; secrets (e.g. a SQL password) are in secret_config, encrypted.
  config jsonb NOT NULL,
  secret_config text,
  interval_s integer NOT NULL CHECK (interval_s BETWEEN 5 AND 86400),
  timeout_ms integer NOT NULL CHECK (timeout_ms BETWEEN 100 AND 120000),
  retries integer NOT NULL DEFAULT 0 CHECK (retries BETWEEN 0 AND 10),
  agent_id uuid REFERENCES agents (id),
  labels jsonb,
  paused boolean NOT NULL DEFAULT false,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  -- Where it runs: one agent, or every agent whose labels contain the selector.
  CHECK ((agent_id IS NULL) <> (labels IS NULL))
);
CREATE INDEX probes_agent_idx ON probes (agent_id) WHERE deleted_at IS NULL;
CREATE INDEX probes_labels_idx ON probes USING gin (labels) WHERE deleted_at IS NULL;
CREATE TRIGGER probes_touch BEFORE UPDATE ON probes FOR EACH ROW EXECUTE FUNCTION emma_touch_updated_at();

-- Current state of a probe as seen by one agent; the probe's state is the worst over its agents.
CREATE TABLE probe_states (
  probe_id uuid NOT NULL REFERENCES probes (id),
  agent_id uuid NOT NULL REFERENCES agents (id),
  state text NOT NULL CHECK (state IN ('up', 'down', 'degraded', 'pending')),
  consecutive_failures integer NOT NULL DEFAULT 0,
  state_since timestamptz NOT NULL DEFAULT now(),
  last_result_at timestamptz,
  last_latency_ms double precision,
  last_message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (probe_id, agent_id)
);

CREATE TABLE probe_events (
  id bigserial PRIMARY KEY,
  probe_id uuid NOT NULL REFERENCES probes (id),
  agent_id uuid REFERENCES agents (id),
  from_state text NOT NULL,
  to_state text NOT NULL,
  message text,
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX probe_events_probe_idx ON probe_events (probe_id, occurred_at DESC);

-- Raw results, one partition per UTC day (probe_results_pYYYYMMDD), never updated (see samples).
CREATE TABLE probe_results (
  probe_id uuid NOT NULL,
  agent_id uuid NOT NULL,
  ts timestamptz NOT NULL,
  status text NOT NULL,
  latency_ms double precision,
  message text NOT NULL,
  details jsonb
) PARTITION BY RANGE (ts);
CREATE INDEX probe_results_probe_ts_idx ON probe_results (probe_id, ts);

-- Partitions of samples that already exist keep working; probe_results gets its own from the worker.

-- Down Migration
DROP TABLE probe_results;
DROP TABLE probe_events;
DROP TABLE probe_states;
DROP TABLE probes;
