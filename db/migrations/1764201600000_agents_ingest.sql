-- Up Migration
-- Agents and their enrolment, and the time-series store: series + samples partitioned by day.

CREATE TABLE enrollment_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  token_hash text NOT NULL,
  labels jsonb NOT NULL DEFAULT '{}',
  max_uses integer NOT NULL CHECK (max_uses >= 1),
  uses integer NOT NULL DEFAULT 0,
  requires_approval boolean NOT NULL DEFAULT false,
  expires_at timestamptz NOT NULL,
  created_by uuid REFERENCES users (id),
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE TRIGGER enrollment_tokens_touch BEFORE UPDATE ON enrollment_tokens FOR EACH ROW EXECUTE FUNCTION emma_touch_updated_at();

CREATE TABLE agents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  labels jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('pending', 'online', 'offline', 'revoked')),
  host jsonb NOT NULL DEFAULT '{}',
  credential_hash text NOT NULL,
  rotate_credential boolean NOT NULL DEFAULT false,
  credential_rotated_at timestamptz,
  enrollment_token_id uuid REFERENCES enrollment_tokens (id),
  interval_s integer NOT NULL DEFAULT 10 CHECK (interval_s BETWEEN 1 AND 3600),
  approved_at timestamptz,
  approved_by uuid REFERENCES users (id),
  last_seen_at timestamptz,
  last_seq bigint NOT NULL DEFAULT 0,
  dropped_batches bigint NOT NULL DEFAULT 0,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX agents_live_status_idx ON agents (status) WHERE deleted_at IS NULL;
CREATE TRIGGER agents_touch BEFORE UPDATE ON agents FOR EACH ROW EXECUTE FUNCTION emma_touch_updated_at();

-- What happened to an agent over time: enrolled, approved, online, offline, revoked, credential_rotated.
CREATE TABLE agent_events (
  id bigserial PRIMARY KEY,
  agent_id uuid NOT NULL REFERENCES agents (id),
  kind text NOT NULL,
  details jsonb,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_events_agent_idx ON agent_events (agent_id, occurred_at DESC);

-- One row per accepted batch: (agent, seq) makes a replayed batch a no-op. Pruned with raw retention.
CREATE TABLE ingest_batches (
  agent_id uuid NOT NULL,
  seq bigint NOT NULL,
  samples integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, seq)
);
CREATE INDEX ingest_batches_created_idx ON ingest_batches (created_at);

-- A series is one metric with one label set on one agent; samples refer to it by id.
CREATE TABLE series (
  id bigserial PRIMARY KEY,
  agent_id uuid NOT NULL REFERENCES agents (id),
  metric text NOT NULL,
  labels jsonb NOT NULL DEFAULT '{}',
  last_ts timestamptz,
  last_value double precision,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agent_id, metric, labels)
);
CREATE INDEX series_metric_idx ON series (metric);

-- Raw samples, one partition per UTC day (samples_pYYYYMMDD), created ahead and dropped whole by
-- retention. Samples carry their own time (ts) instead of created_at/updated_at: they are never updated,
-- and two more timestamps would double the row.
CREATE TABLE samples (
  series_id bigint NOT NULL,
  ts timestamptz NOT NULL,
  value double precision NOT NULL
) PARTITION BY RANGE (ts);
CREATE INDEX samples_series_ts_idx ON samples (series_id, ts);

-- Down Migration
DROP TABLE samples;
DROP TABLE series;
DROP TABLE ingest_batches;
DROP TABLE agent_events;
DROP TABLE agents;
DROP TABLE enrollment_tokens;
