-- Up Migration
-- History: rollup tiers beside the raw tables (continuous aggregates in plain PostgreSQL), their progress,
-- the hours late data asks to roll up again, and per-user dashboards.
--
-- samples_1m / samples_1h: one row per series and bucket with min, max, avg, count and the bucket's last
-- value. 1-minute rows are partitioned by UTC day (samples_1m_pYYYYMMDD), 1-hour rows by UTC month
-- (samples_1h_pYYYYMM); both are dropped whole by their tier's retention. Rows are written by the worker
-- with INSERT ... ON CONFLICT DO UPDATE, so rolling a bucket up again gives the same row.
CREATE TABLE samples_1m (
  series_id bigint NOT NULL,
  bucket timestamptz NOT NULL,
  min double precision NOT NULL,
  max double precision NOT NULL,
  avg double precision NOT NULL,
  count integer NOT NULL,
  last double precision NOT NULL,
  PRIMARY KEY (series_id, bucket)
) PARTITION BY RANGE (bucket);

-- Same columns and primary key.
CREATE TABLE samples_1h (LIKE samples_1m INCLUDING ALL) PARTITION BY RANGE (bucket);

-- Probe results per probe, agent and bucket: checks by status, and the latency of the checks that were
-- not down (as /probes/:id/uptime counts them). Both tiers are computed from raw results, so the p95 of a
-- bucket is exact.
CREATE TABLE probe_results_1m (
  probe_id uuid NOT NULL,
  agent_id uuid NOT NULL,
  bucket timestamptz NOT NULL,
  checks integer NOT NULL,
  up integer NOT NULL,
  degraded integer NOT NULL,
  down integer NOT NULL,
  latency_count integer NOT NULL,
  latency_avg double precision,
  latency_min double precision,
  latency_max double precision,
  latency_p95 double precision,
  PRIMARY KEY (probe_id, agent_id, bucket)
) PARTITION BY RANGE (bucket);

CREATE TABLE probe_results_1h (LIKE probe_results_1m INCLUDING ALL) PARTITION BY RANGE (bucket);

-- The rollups read raw rows by time across all series: a BRIN index (a few pages per partition, as rows
-- arrive in time order) lets a one-minute chunk skip the rest of the day instead of scanning it.
CREATE INDEX samples_ts_brin_idx ON samples USING brin (ts);
CREATE INDEX probe_results_ts_brin_idx ON probe_results USING brin (ts);

-- How far each rollup has come: every bucket that ends at or before done_until is rolled up. Raw
-- partitions are dropped only once every rollup computed from them has passed their day.
CREATE TABLE rollup_progress (
  rollup text PRIMARY KEY,
  done_until timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER rollup_progress_touch BEFORE UPDATE ON rollup_progress FOR EACH ROW EXECUTE FUNCTION emma_touch_updated_at();

-- Hours of an agent that received data after they may have been rolled up (an agent replaying its spool
-- after an outage); the worker rolls those hours up again and deletes the row.
CREATE TABLE rollup_backfill (
  agent_id uuid NOT NULL,
  hour timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, hour)
);

-- A user's own dashboard: a list of widgets (validated by the API), optionally shared read-only.
CREATE TABLE dashboards (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id uuid NOT NULL REFERENCES users (id),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  widgets jsonb NOT NULL DEFAULT '[]',
  shared boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX dashboards_owner_idx ON dashboards (owner_id, name) WHERE deleted_at IS NULL;
CREATE INDEX dashboards_shared_idx ON dashboards (name) WHERE deleted_at IS NULL AND shared;
CREATE TRIGGER dashboards_touch BEFORE UPDATE ON dashboards FOR EACH ROW EXECUTE FUNCTION emma_touch_updated_at();

-- Down Migration
DROP TABLE dashboards;
DROP INDEX probe_results_ts_brin_idx;
DROP INDEX samples_ts_brin_idx;
DROP TABLE rollup_backfill;
DROP TABLE rollup_progress;
DROP TABLE probe_results_1h;
DROP TABLE probe_results_1m;
DROP TABLE samples_1h;
DROP TABLE samples_1m;
