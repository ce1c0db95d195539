// What every notification channel provides: a zod config, the names of its secret fields, a pure payload
// builder (tested on its own) and one async send.
import type { z } from 'zod';
import type { NotificationMessageData, Severity } from '@emma/protocol';

export interface SendContext {
  /** Aborted when the channel's time is up. */
  signal: AbortSignal;
  /** Tests and proxies may swap the HTTP client; the global fetch otherwise. */
  fetch?: typeof fetch;
}

export interface SendResult {
  /** The HTTP status (or SMTP reply code) of the accepted request. */
  statusCode: number | null;
  /** A short, secret-free note on what the receiver said (message id, …). */
  info?: string;
}

export interface ChannelDefinition<C extends Record<string, unknown> = Record<string, unknown>> {
  type: string;
  /** A human name for the dashboard. */
  label: string;
  configSchema: z.ZodType<C>;
  /** Top-level config fields that are secrets: stored encrypted, never returned, never logged. */
  secretFields: readonly string[];
  /** Pure: what is sent for this message (a JSON body, or the mail's parts). */
  buildPayload(message: NotificationMessageData, config: C): unknown;
  send(message: NotificationMessageData, config: C, ctx: SendContext): Promise<SendResult>;
}

/** An error from the receiving side with its status; its message never holds a URL or a secret. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Identity with the config type inferred from the schema, so each channel file stays typed. */
export function defineChannel<C extends Record<string, unknown>>(
  definition: ChannelDefinition<C>,
): ChannelDefinition<C> {
  return definition;
}

export const SEVERITY_COLOURS: Readonly<Record<Severity | 'resolved', string>> = {
  critical: '#d32f2f',
  warning: '#f9a825',
  info: '#1e88e5',
  resolved: '#2e7d32',
};

/** The colour of a message: green once resolved, else by severity. */
export function colourOf(message: NotificationMessageData): string {
  return message.event === 'resolved' ? SEVERITY_COLOURS.resolved : SEVERITY_COLOURS[message.severity];
}

const EVENT_LABELS: Readonly<Record<NotificationMessageData['event'], string>> = {
  opened: 'Alert',
  repeat: 'Still firing',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  test: 'Test',
};

/** "[CRITICAL] Alert: web down" – the one-line form used as subject, title and fallback text. */
export function headline(message: NotificationMessageData): string {
  const tag = message.event === 'resolved' ? 'RESOLVED' : message.severity.toUpperCase();
  return `[${tag}] ${EVENT_LABELS[message.event]}: ${message.title}`;
}

/** The message's facts as [name, value] pairs: the subject first, then the given fields. */
export function facts(message: NotificationMessageData): [string, string][] {
  return [
    ['Subject', message.subject],
    ['Severity', message.severity],
    ['Time', new Date(message.occurredAt).toISOString()],
    ...Object.entries(message.fields),
  ];
}

/**
 * POSTs a JSON body and throws a DeliveryError on a non-2xx answer or a network failure. Messages name the
 * status and a little of the answer, never the URL (webhook URLs are secrets).
 */
export async function postJson(
  url: string,
  body: unknown,
  ctx: SendContext,
  options: { headers?: Record<string, string>; rawBody?: string; method?: 'POST' | 'PUT' } = {},
): Promise<SendResult> {
  const doFetch = ctx.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: options.method ?? 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'eMMA-notifier', ...options.headers },
      body: options.rawBody ?? JSON.stringify(body),
      signal: ctx.signal,
      redirect: 'manual',
    });
  } catch (err) {
    throw new DeliveryError(networkMessage(err, ctx.signal));
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new DeliveryError(`HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`, response.status);
  }
  return { statusCode: response.status };
}

/** "timed out" or the network error's code: no URL, no host path. */
export function networkMessage(err: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timed out';
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return `request failed${code ? `: ${code}` : ''}`;
}

/** Text for HTML bodies. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
