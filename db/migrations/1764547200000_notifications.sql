-- Up Migration
-- Notification channels (email, Slack, Teams, webhook, PagerDuty, Telegram, ntfy) and the deliveries sent
-- through them. Deliveries form a queue that workers take with row leases (FOR UPDATE SKIP LOCKED); every
-- attempt is kept so the API shows what happened.

CREATE TABLE notification_channels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  type text NOT NULL,
  -- The channel's config without its secrets.
  config jsonb NOT NULL DEFAULT '{}',
  -- The secret fields (webhook URLs, passwords, tokens), AES-256-GCM under a key from the server secret.
  secret_config text,
  enabled boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX notification_channels_name_idx ON notification_channels (name) WHERE deleted_at IS NULL;
CREATE TRIGGER notification_channels_touch BEFORE UPDATE ON notification_channels FOR EACH ROW EXECUTE FUNCTION emma_touch_updated_at();

CREATE TABLE notification_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL REFERENCES notification_channels (id),
  -- The incident this message is about (no foreign key: incidents live in the alerting module).
  incident_id uuid,
  event text NOT NULL CHECK (event IN ('opened', 'repeat', 'acknowledged', 'resolved', 'test')),
  message jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'succeeded', 'failed')),
  -- Attempts started so far (a taken lease counts, so a worker that dies mid-send uses up an attempt).
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- While status = 'sending': the worker's lease; once past, the delivery is due again.
  lease_until timestamptz,
  last_error text,
  last_status_code integer,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_deliveries_lease_idx ON notification_deliveries (lease_until) WHERE status = 'sending';
CREATE INDEX notification_deliveries_channel_idx ON notification_deliveries (channel_id, created_at DESC);
CREATE INDEX notification_deliveries_incident_idx ON notification_deliveries (incident_id, created_at DESC)
  WHERE incident_id IS NOT NULL;
CREATE INDEX notification_deliveries_created_idx ON notification_deliveries (created_at DESC);
CREATE TRIGGER notification_deliveries_touch BEFORE UPDATE ON notification_deliveries FOR EACH ROW EXECUTE FUNCTION emma_touch_updated_at();

CREATE TABLE notification_attempts (
  delivery_id uuid NOT NULL REFERENCES notification_deliveries (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  started_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  ok boolean NOT NULL,
  status_code integer,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (delivery_id, attempt)
);

-- Down Migration
DROP TABLE notification_attempts;
DROP TABLE notification_deliveries;
DROP TABLE notification_channels;
