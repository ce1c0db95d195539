import { NotificationMessageSchema, type NotificationMessageData } from '@emma/protocol';
import type { Db } from '../../db/pool';
import type { RequestOrigin } from '../../http/context';
import { AppError, notFound, validationError } from '../../http/errors';
import type { Logger } from '../../logger';
import * as audit from '../audit/service';
import { channelFor } from './channels';
import { attemptDelivery } from './deliver';
import * as repo from './repo';
import type { Channel, CreateChannelInput, Delivery, DeliveryDetail, UpdateChannelInput } from './schemas';
import { openSecrets, sealSecrets, splitSecrets } from './secrets';

export interface NotificationDeps {
  serverSecret: string;
  /** Per-attempt time limit of a send. */
  timeoutMs: number;
  publicUrl?: string | undefined;
  logger?: Logger;
  fetch?: typeof fetch;
}

function toChannel(row: repo.ChannelRow, serverSecret: string): Channel {
  const secrets = openSecrets(serverSecret, row.secret_config);
  return {
    id: row.id,
    name: row.name,
    type: row.type as Channel['type'],
    enabled: row.enabled,
    config: row.config,
    secretsSet: Object.keys(secrets).sort(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Validates a whole config against its type and splits off the secrets. */
function prepare(type: string, config: Record<string, unknown>) {
  const definition = channelFor(type);
  const parsed = definition.configSchema.safeParse(config);
  if (!parsed.success) throw validationError(parsed.error, 'body.config');
  // Stored as given (defaults applied when sending), so a later change of a default applies everywhere.
  return splitSecrets(definition.secretFields, config);
}

export async function createChannel(
  deps: NotificationDeps,
  db: Db,
  origin: RequestOrigin,
  input: CreateChannelInput,
): Promise<Channel> {
  const { config, secrets } = prepare(input.type, input.config);
  const row = await repo.insertChannel(db, {
    name: input.name,
    type: input.type,
    config,
    secretConfig: sealSecrets(deps.serverSecret, secrets),
    enabled: input.enabled,
    createdBy: origin.actorId,
  });
  const channel = toChannel(row, deps.serverSecret);
  await audit.record(db, origin, {
    action: 'notification_channel.created',
    targetType: 'notification_channel',
    targetId: row.id,
    after: channel,
  });
  return channel;
}

export async function getChannel(deps: NotificationDeps, db: Db, id: string): Promise<Channel> {
  const row = await repo.findChannel(db, id);
  if (!row) throw notFound('Notification channel');
  return toChannel(row, deps.serverSecret);
}

export async function listChannels(deps: NotificationDeps, db: Db, filter: repo.ChannelFilter) {
  const { rows, total } = await repo.listChannels(db, filter);
  return {
    items: rows.map((row) => toChannel(row, deps.serverSecret)),
    total,
    limit: filter.limit,
    offset: filter.offset,
  };
}

export async function updateChannel(
  deps: NotificationDeps,
  db: Db,
  origin: RequestOrigin,
  id: string,
  input: UpdateChannelInput,
): Promise<Channel> {
  const current = await repo.findChannel(db, id, true);
  if (!current) throw notFound('Notification channel');
  let config = current.config;
  let secretConfig = current.secret_config;
  if (input.config !== undefined) {
    // A secret left out keeps its stored value: clients never see it to send it back.
    const merged = { ...openSecrets(deps.serverSecret, current.secret_config), ...input.config };
    const split = prepare(current.type, merged);
    config = split.config;
    secretConfig = sealSecrets(deps.serverSecret, split.secrets);
  }
  const row = await repo.updateChannel(db, id, {
    name: input.name ?? current.name,
    type: current.type,
    config,
    secretConfig,
    enabled: input.enabled ?? current.enabled,
  });
  const after = toChannel(row, deps.serverSecret);
  await audit.record(db, origin, {
    action: 'notification_channel.updated',
    targetType: 'notification_channel',
    targetId: id,
    before: toChannel(current, deps.serverSecret),
    after,
  });
  return after;
}

export async function removeChannel(
  deps: NotificationDeps,
  db: Db,
  origin: RequestOrigin,
  id: string,
): Promise<void> {
  const current = await repo.findChannel(db, id, true);
  if (!current) throw notFound('Notification channel');
  await repo.softDeleteChannel(db, id);
  await audit.record(db, origin, {
    action: 'notification_channel.deleted',
    targetType: 'notification_channel',
    targetId: id,
    before: toChannel(current, deps.serverSecret),
  });
}

/** The message a channel test sends. */
export function testMessage(
  channel: { id: string; name: string },
  origin: RequestOrigin,
  publicUrl?: string,
) {
  return NotificationMessageSchema.parse({
    event: 'test',
    incidentId: null,
    ruleId: null,
    severity: 'info',
    title: `Test notification for channel "${channel.name}"`,
    summary: 'This is a test message from eMMA. If you can read it, the channel works.',
    subject: `channel:${channel.id}`,
    fields: { 'Requested by': origin.actorEmail ?? 'system' },
    ...(publicUrl ? { url: publicUrl } : {}),
    occurredAt: Date.now(),
  });
}

/**
 * Sends a test message through the channel now, in this request, and records it as a delivery (event
 * 'test'; no retries): the answer is that delivery with its one attempt.
 */
export async function testChannel(
  deps: NotificationDeps,
  db: Db,
  origin: RequestOrigin,
  id: string,
): Promise<DeliveryDetail> {
  const channel = await repo.findChannel(db, id);
  if (!channel) throw notFound('Notification channel');
  if (!channel.enabled) throw new AppError(409, 'channel_disabled', 'The channel is disabled');
  const message: NotificationMessageData = testMessage(channel, origin, deps.publicUrl);
  const delivery = await repo.insertSending(db, channel.id, message, JSON.stringify(message));
  const outcome = await attemptDelivery(deps, channel, message, delivery.id);
  await repo.insertAttempt(db, {
    deliveryId: delivery.id,
    attempt: 1,
    startedAt: outcome.startedAt,
    durationMs: outcome.durationMs,
    ok: outcome.ok,
    statusCode: outcome.statusCode,
    error: outcome.error,
  });
  await repo.finish(
    db,
    delivery.id,
    1,
    outcome.ok
      ? { status: 'succeeded', statusCode: outcome.statusCode }
      : { status: 'failed', statusCode: outcome.statusCode, error: outcome.error ?? 'failed' },
  );
  await audit.record(db, origin, {
    action: 'notification_channel.tested',
    targetType: 'notification_channel',
    targetId: id,
    after: { deliveryId: delivery.id, ok: outcome.ok, statusCode: outcome.statusCode, error: outcome.error },
  });
  return getDelivery(db, delivery.id);
}

function toDelivery(row: repo.DeliveryRow, names: Map<string, string>): Delivery {
  const message = row.message;
  return {
    id: row.id,
    channelId: row.channel_id,
    channelName: names.get(row.channel_id) ?? null,
    incidentId: row.incident_id,
    event: row.event as Delivery['event'],
    severity: typeof message.severity === 'string' ? (message.severity as Delivery['severity']) : null,
    title: typeof message.title === 'string' ? message.title : null,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    lastError: row.last_error,
    lastStatusCode: row.last_status_code,
    sentAt: row.sent_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function listDeliveries(db: Db, filter: repo.DeliveryFilter) {
  const { rows, total } = await repo.listDeliveries(db, filter);
  const names = await repo.channelNames(
    db,
    rows.map((r) => r.channel_id),
  );
  return { items: rows.map((r) => toDelivery(r, names)), total, limit: filter.limit, offset: filter.offset };
}

export async function getDelivery(db: Db, id: string): Promise<DeliveryDetail> {
  const row = await repo.findDelivery(db, id);
  if (!row) throw notFound('Notification delivery');
  const names = await repo.channelNames(db, [row.channel_id]);
  const attempts = await repo.attemptsOf(db, id);
  return {
    ...toDelivery(row, names),
    message: row.message,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: a.started_at.toISOString(),
      durationMs: a.duration_ms,
      ok: a.ok,
      statusCode: a.status_code,
      error: a.error,
    })),
  };
}
