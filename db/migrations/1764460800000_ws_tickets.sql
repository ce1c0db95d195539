-- Up Migration
-- Single-use tickets for the realtime WebSocket (`/ws?ticket=…`): browsers cannot set an Authorization
-- header on a WebSocket, so an authenticated client asks for a ticket and puts it in the URL. Only the
-- ticket's SHA-256 is stored; the upgrade consumes it with DELETE … RETURNING, so it works once.

CREATE TABLE ws_tickets (
  token_hash text PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  -- The expiry of the access token the ticket was issued with: the connection's deadline.
  access_expires_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Rows are never updated (a ticket is consumed by deleting it); the column keeps the house convention.
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ws_tickets_expires_idx ON ws_tickets (expires_at);

-- Down Migration
DROP TABLE ws_tickets;
