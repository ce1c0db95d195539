// One attempt at one delivery: open the channel's secrets, validate its config, send with a timeout, and
// turn any failure into a secret-free error text. Shared by the worker and the test endpoint.
import { NotificationMessageSchema } from '@emma/protocol';
import type { Logger } from '../../logger';
import { channelFor } from './channels';
import { DeliveryError, type SendContext } from './channels/types';
import type { ChannelRow } from './repo';
import { openSecrets, redact, secretStrings } from './secrets';

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  startedAt: Date;
  durationMs: number;
  /** False when retrying cannot help (deleted channel, invalid config or message). */
  retryable: boolean;
}

export interface SendOptions {
  serverSecret: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  logger?: Logger;
}

export async function attemptDelivery(
  options: SendOptions,
  channel: ChannelRow | undefined,
  rawMessage: unknown,
  deliveryId: string,
): Promise<AttemptOutcome> {
  const startedAt = new Date();
  const done = (ok: boolean, statusCode: number | null, error: string | null, retryable = true) => ({
    ok,
    statusCode,
    error,
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    retryable,
  });
  if (!channel || channel.deleted_at !== null) return done(false, null, 'channel deleted', false);
  if (!channel.enabled) return done(false, null, 'channel disabled', false);
  let secrets: string[] = [];
  try {
    const definition = channelFor(channel.type);
    const opened = openSecrets(options.serverSecret, channel.secret_config);
    secrets = secretStrings(opened);
    const config = definition.configSchema.safeParse({ ...channel.config, ...opened });
    if (!config.success) return done(false, null, 'channel config is invalid', false);
    const message = NotificationMessageSchema.safeParse(rawMessage);
    if (!message.success) return done(false, null, 'message is invalid', false);
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort();
    }, options.timeoutMs);
    const ctx: SendContext = {
      signal: controller.signal,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    try {
      const result = await definition.send(message.data, config.data, ctx);
      return done(true, result.statusCode, null);
    } finally {
      clearTimeout(timer);
    }
  } catch (err) {
    const statusCode = err instanceof DeliveryError ? err.statusCode : null;
    const raw = err instanceof Error ? err.message : String(err);
    const error = redact(raw, secrets).slice(0, 1000);
    // The channel's id and the status, never its URL or config.
    options.logger?.warn(
      { channelId: channel.id, deliveryId, channelType: channel.type, statusCode, error },
      'notification attempt failed',
    );
    // Any refusal may be passing (a 404 while a webhook is redeployed, SMTP 4xx): retry within the limit.
    return done(false, statusCode, error);
  }
}
