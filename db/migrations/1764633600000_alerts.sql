-- Up Migration
-- Alerting: rules, the conditions the worker is watching (since when each subject violates a rule),
-- incidents with their full history, and maintenance windows that hold notifications.

CREATE TABLE alert_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('probe_down', 'probe_degraded', 'agent_offline', 'container_exited',
    'container_unhealthy', 'container_restarting', 'metric_threshold', 'tls_expiry')),
  severity text NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
  for_s integer NOT NULL DEFAULT 0 CHECK (for_s >= 0),
  channel_ids uuid[] NOT NULL DEFAULT '{}',
  repeat_interval_s integer NOT NULL DEFAULT 3600 CHECK (repeat_interval_s >= 0),
  notify_on_resolve boolean NOT NULL DEFAULT true,
  enabled boolean NOT NULL DEFAULT true,
  -- The kind's own fields (probeId, labels, metric, op, value, ...), as validated by the protocol schema.
  params jsonb NOT NULL DEFAULT '{}',
  last_evaluated_at timestamptz,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX alert_rules_live_idx ON alert_rules (id) WHERE deleted_at IS NULL;
-- No touch trigger: each evaluation stamps last_evaluated_at, which is no change of the rule; writes set
-- updated_at themselves.

-- One row per rule and subject currently violating it: the "for" duration counts from since.
CREATE TABLE alert_conditions (
  rule_id uuid NOT NULL REFERENCES alert_rules (id),
  subject text NOT NULL,
  since timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rule_id, subject)
);
CREATE TRIGGER alert_conditions_touch BEFORE UPDATE ON alert_conditions FOR EACH ROW EXECUTE FUNCTION emma_touch_updated_at();

CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  rule_id uuid NOT NULL REFERENCES alert_rules (id),
  -- What the incident is about: probe:<id>, agent:<id>, container:<id>, series:<id>, tls:<probe id>.
  subject text NOT NULL,
  -- Where the subject lives, for maintenance windows: {agentIds, agentLabels, probeId, containerId}.
  scope jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  severity text NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
  title text NOT NULL,
  summary text NOT NULL DEFAULT '',
  opened_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by uuid REFERENCES users (id),
  resolved_at timestamptz,
  resolved_by uuid REFERENCES users (id),
  assignee_id uuid REFERENCES users (id),
  last_notified_at timestamptz,
  -- A notification held by a maintenance window ('opened' or 'repeat'), sent when the window ends.
  held_event text CHECK (held_event IN ('opened', 'repeat')),
  reopen_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- At most one live incident per rule and subject: the deduplication the worker relies on.
CREATE UNIQUE INDEX incidents_live_uq ON incidents (rule_id, subject) WHERE status <> 'resolved';
CREATE INDEX incidents_rule_subject_idx ON incidents (rule_id, subject, resolved_at DESC);
CREATE INDEX incidents_status_idx ON incidents (status, opened_at DESC);
CREATE TRIGGER incidents_touch BEFORE UPDATE ON incidents FOR EACH ROW EXECUTE FUNCTION emma_touch_updated_at();

CREATE TABLE incident_events (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  kind text NOT NULL CHECK (kind IN ('opened', 'reopened', 'acknowledged', 'commented', 'assigned', 'resolved',
    'notified', 'held')),
  actor_id uuid REFERENCES users (id),
  actor_email text,
  comment text,
  details jsonb NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, id);

CREATE TABLE maintenance_windows (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  reason text NOT NULL DEFAULT '',
  agent_id uuid REFERENCES agents (id),
  probe_id uuid REFERENCES probes (id),
  container_id uuid REFERENCES containers (id),
  labels jsonb,
  -- One-off: starts_at .. ends_at. Recurring: each cron match (UTC) lasts duration_s, within the bounds.
  starts_at timestamptz,
  ends_at timestamptz,
  cron text,
  duration_s integer,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CHECK ((cron IS NULL) = (duration_s IS NULL)),
  CHECK (cron IS NOT NULL OR (starts_at IS NOT NULL AND ends_at IS NOT NULL)),
  CHECK (num_nonnulls(agent_id, probe_id, container_id, labels) = 1)
);
CREATE TRIGGER maintenance_windows_touch BEFORE UPDATE ON maintenance_windows FOR EACH ROW EXECUTE FUNCTION emma_touch_updated_at();

-- Down Migration
DROP TABLE maintenance_windows;
DROP TABLE incident_events;
DROP TABLE incidents;
DROP TABLE alert_conditions;
DROP TABLE alert_rules;
