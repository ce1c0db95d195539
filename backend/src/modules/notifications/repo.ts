// All SQL of notification channels, deliveries and their attempts.
import { onlyRow, type Db } from '../../db/pool';
import { containing, page, Where } from '../../db/where';

export interface ChannelRow {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  secret_config: string | null;
  enabled: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

const CHANNEL_COLUMNS = `id, name, type, config, secret_config, enabled, created_by, created_at, updated_at, deleted_at`;

export interface ChannelWrite {
  name: string;
  type: string;
  config: Record<string, unknown>;
  secretConfig: string | null;
  enabled: boolean;
}

export async function insertChannel(
  db: Db,
  c: ChannelWrite & { createdBy: string | null },
): Promise<ChannelRow> {
  const result = await db.query<ChannelRow>(
    `INSERT INTO notification_channels (name, type, config, secret_config, enabled, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${CHANNEL_COLUMNS}`,
    [c.name, c.type, JSON.stringify(c.config), c.secretConfig, c.enabled, c.createdBy],
  );
  return onlyRow(result);
}

export async function updateChannel(db: Db, id: string, c: ChannelWrite): Promise<ChannelRow> {
  const result = await db.query<ChannelRow>(
    `UPDATE notification_channels SET name = $2, type = $3, config = $4, secret_config = $5, enabled = $6
     WHERE id = $1 RETURNING ${CHANNEL_COLUMNS}`,
    [id, c.name, c.type, JSON.stringify(c.config), c.secretConfig, c.enabled],
  );
  return onlyRow(result);
}

export async function softDeleteChannel(db: Db, id: string): Promise<void> {
  await db.query('UPDATE notification_channels SET deleted_at = now() WHERE id = $1', [id]);
}

export async function findChannel(db: Db, id: string, forUpdate = false): Promise<ChannelRow | undefined> {
  const result = await db.query<ChannelRow>(
    `SELECT ${CHANNEL_COLUMNS} FROM notification_channels WHERE id = $1 AND deleted_at IS NULL
     ${forUpdate ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return result.rows[0];
}

/** A channel even when deleted: a delivery queued before the delete still names it. */
export async function findChannelAny(db: Db, id: string): Promise<ChannelRow | undefined> {
  const result = await db.query<ChannelRow>(
    `SELECT ${CHANNEL_COLUMNS} FROM notification_channels WHERE id = $1`,
    [id],
  );
  return result.rows[0];
}

export interface ChannelFilter {
  type?: string | undefined;
  enabled?: boolean | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

export async function listChannels(db: Db, filter: ChannelFilter) {
  const where = new Where('deleted_at IS NULL');
  if (filter.type) where.add('type = ?', filter.type);
  if (filter.enabled !== undefined) where.add('enabled = ?', filter.enabled);
  if (filter.q) where.add('name ILIKE ?', containing(filter.q));
  return page<ChannelRow>(db, {
    from: 'notification_channels',
    columns: CHANNEL_COLUMNS,
    where,
    orderBy: 'name, id',
    ...filter,
  });
}

export type DeliveryStatus = 'pending' | 'sending' | 'succeeded' | 'failed';

export interface DeliveryRow {
  id: string;
  channel_id: string;
  incident_id: string | null;
  event: string;
  message: Record<string, unknown>;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  lease_until: Date | null;
  last_error: string | null;
  last_status_code: number | null;
  sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const DELIVERY_COLUMNS = `id, channel_id, incident_id, event, message, status, attempts, next_attempt_at, lease_until,
  last_error, last_status_code, sent_at, created_at, updated_at`;

/**
 * One pending delivery per live, enabled channel among the ids (unknown, deleted and disabled ones are
 * skipped), in the caller's transaction.
 */
export async function enqueue(
  db: Db,
  message: { event: string; incidentId: string | null },
  messageJson: string,
  channelIds: string[],
): Promise<string[]> {
  if (channelIds.length === 0) return [];
  const result = await db.query<{ id: string }>(
    `INSERT INTO notification_deliveries (channel_id, incident_id, event, message)
     SELECT c.id, $2, $3, $4 FROM notification_channels c
     WHERE c.id = ANY($1::uuid[]) AND c.deleted_at IS NULL AND c.enabled
     ORDER BY c.id
     RETURNING id`,
    [[...new Set(channelIds)], message.incidentId, message.event, messageJson],
  );
  return result.rows.map((r) => r.id);
}

/** A delivery being sent right now by this request (channel tests): not visible to workers until commit. */
export async function insertSending(
  db: Db,
  channelId: string,
  message: { event: string; incidentId: string | null },
  messageJson: string,
): Promise<DeliveryRow> {
  const result = await db.query<DeliveryRow>(
    `INSERT INTO notification_deliveries (channel_id, incident_id, event, message, status, attempts, lease_until)
     VALUES ($1, $2, $3, $4, 'sending', 1, now() + interval '5 minutes') RETURNING ${DELIVERY_COLUMNS}`,
    [channelId, message.incidentId, message.event, messageJson],
  );
  return onlyRow(result);
}

/**
 * Takes up to `limit` due deliveries for this worker: pending ones whose time has come, and sending ones
 * whose lease ran out (their worker died) with attempts left. Rows another worker holds are skipped, so
 * each delivery goes to exactly one worker; taking one counts as an attempt.
 */
export async function claimDue(
  db: Db,
  options: { limit: number; leaseMs: number; maxAttempts: number },
): Promise<DeliveryRow[]> {
  const result = await db.query<DeliveryRow>(
    `UPDATE notification_deliveries d
     SET status = 'sending', attempts = d.attempts + 1,
         lease_until = now() + $2 * interval '1 millisecond'
     WHERE d.id IN (
       SELECT id FROM notification_deliveries
       WHERE (status = 'pending' AND next_attempt_at <= now())
          OR (status = 'sending' AND lease_until < now() AND attempts < $3)
       ORDER BY next_attempt_at
       LIMIT $1
       FOR UPDATE SKIP LOCKED)
     RETURNING ${DELIVERY_COLUMNS}`,
    [options.limit, options.leaseMs, options.maxAttempts],
  );
  return result.rows;
}

/** Deliveries whose lease ran out on their last allowed attempt fail for good. */
export async function failExpired(db: Db, maxAttempts: number): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `UPDATE notification_deliveries
     SET status = 'failed', lease_until = NULL,
         last_error = coalesce(last_error || '; ', '') || 'lease expired (worker stopped while sending)'
     WHERE id IN (SELECT id FROM notification_deliveries
                  WHERE status = 'sending' AND lease_until < now() AND attempts >= $1
                  FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    [maxAttempts],
  );
  return result.rows.map((r) => r.id);
}

export interface AttemptWrite {
  deliveryId: string;
  attempt: number;
  startedAt: Date;
  durationMs: number;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

export async function insertAttempt(db: Db, a: AttemptWrite): Promise<void> {
  await db.query(
    `INSERT INTO notification_attempts (delivery_id, attempt, started_at, duration_ms, ok, status_code, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (delivery_id, attempt) DO NOTHING`,
    [a.deliveryId, a.attempt, a.startedAt, a.durationMs, a.ok, a.statusCode, a.error],
  );
}

/**
 * Records the outcome of the attempt this worker holds. `attempt` fences a stale worker: once its lease
 * ran out and another took the delivery, its late result changes nothing.
 */
export async function finish(
  db: Db,
  id: string,
  attempt: number,
  outcome:
    | { status: 'succeeded'; statusCode: number | null }
    | { status: 'failed'; statusCode: number | null; error: string }
    | { status: 'pending'; statusCode: number | null; error: string; retryInMs: number },
): Promise<boolean> {
  const result = await db.query(
    `UPDATE notification_deliveries
     SET status = $3, lease_until = NULL, last_status_code = $4, last_error = $5,
         sent_at = CASE WHEN $3 = 'succeeded' THEN now() ELSE sent_at END,
         next_attempt_at = CASE WHEN $3 = 'pending' THEN now() + $6 * interval '1 millisecond' ELSE next_attempt_at END
     WHERE id = $1 AND attempts = $2 AND status = 'sending'`,
    [
      id,
      attempt,
      outcome.status,
      outcome.statusCode,
      outcome.status === 'succeeded' ? null : outcome.error,
      outcome.status === 'pending' ? outcome.retryInMs : 0,
    ],
  );
  return result.rowCount === 1;
}

export interface DeliveryFilter {
  channelId?: string | undefined;
  incidentId?: string | undefined;
  status?: DeliveryStatus | undefined;
  event?: string | undefined;
  limit: number;
  offset: number;
}

export async function listDeliveries(db: Db, filter: DeliveryFilter) {
  const where = new Where();
  if (filter.channelId) where.add('channel_id = ?', filter.channelId);
  if (filter.incidentId) where.add('incident_id = ?', filter.incidentId);
  if (filter.status) where.add('status = ?', filter.status);
  if (filter.event) where.add('event = ?', filter.event);
  return page<DeliveryRow>(db, {
    from: 'notification_deliveries',
    columns: DELIVERY_COLUMNS,
    where,
    orderBy: 'created_at DESC, id',
    ...filter,
  });
}

export async function findDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  const result = await db.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM notification_deliveries WHERE id = $1`,
    [id],
  );
  return result.rows[0];
}

export interface AttemptRow {
  attempt: number;
  started_at: Date;
  duration_ms: number;
  ok: boolean;
  status_code: number | null;
  error: string | null;
}

export async function attemptsOf(db: Db, deliveryId: string): Promise<AttemptRow[]> {
  const result = await db.query<AttemptRow>(
    `SELECT attempt, started_at, duration_ms, ok, status_code, error FROM notification_attempts
     WHERE delivery_id = $1 ORDER BY attempt`,
    [deliveryId],
  );
  return result.rows;
}

export async function channelNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const result = await db.query<{ id: string; name: string }>(
    'SELECT id, name FROM notification_channels WHERE id = ANY($1::uuid[])',
    [[...new Set(ids)]],
  );
  return new Map(result.rows.map((r) => [r.id, r.name]));
}
