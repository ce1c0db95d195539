// The realtime WebSocket (`ws://<host>:<EMMA_WS_PORT>/ws`): topics, the messages both sides send, the
// close codes, and which permission each topic needs. The server fans out the compact `emma_changes`
// notices (ids, not data); clients re-read what they show over REST.
import { z } from 'zod';
import { hasPermission, type Permission, type Role } from './roles';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Topics without an id, and the prefixes of topics about one entity (`agent:<uuid>` …). */
export const REALTIME_TOPICS = ['overview', 'alerts', 'audit'] as const;
export const REALTIME_TOPIC_PREFIXES = ['agent', 'container', 'probe'] as const;
export type RealtimeTopicKind = (typeof REALTIME_TOPICS)[number] | (typeof REALTIME_TOPIC_PREFIXES)[number];

/** The permission a role needs to subscribe to each kind of topic. */
export const TOPIC_PERMISSIONS: Readonly<Record<RealtimeTopicKind, Permission>> = {
  overview: 'agents:read',
  agent: 'agents:read',
  container: 'containers:read',
  probe: 'probes:read',
  alerts: 'alerts:read',
  audit: 'audit:read',
};

export interface ParsedTopic {
  kind: RealtimeTopicKind;
  /** The entity's uuid for `agent:`, `container:` and `probe:` topics. */
  id?: string;
}

/** `overview`, `alerts`, `audit`, or `agent|container|probe:<lowercase uuid>`; undefined for anything else. */
export function parseTopic(topic: string): ParsedTopic | undefined {
  if ((REALTIME_TOPICS as readonly string[]).includes(topic)) return { kind: topic as RealtimeTopicKind };
  const colon = topic.indexOf(':');
  if (colon < 0) return undefined;
  const prefix = topic.slice(0, colon);
  const id = topic.slice(colon + 1);
  if (!(REALTIME_TOPIC_PREFIXES as readonly string[]).includes(prefix) || !UUID.test(id)) return undefined;
  return { kind: prefix as RealtimeTopicKind, id };
}

export function topicPermission(topic: ParsedTopic): Permission {
  return TOPIC_PERMISSIONS[topic.kind];
}

export function mayReadTopic(role: Role, topic: ParsedTopic): boolean {
  return hasPermission(role, topicPermission(topic));
}

const TopicSchema = z.string().min(1).max(128);

/** Where a client left off: the server's epoch (one per process start) and the last seq it saw of a topic. */
export const ResumePointSchema = z.object({
  epoch: z.string().min(1).max(64),
  seq: z.number().int().nonnegative(),
});
export type ResumePoint = z.infer<typeof ResumePointSchema>;

export const ClientMessageSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('subscribe'), topic: TopicSchema, since: ResumePointSchema.optional() }),
  z.object({ op: z.literal('unsubscribe'), topic: TopicSchema }),
  /** A fresh access token of the same user extends the connection's lifetime to its expiry. */
  z.object({ op: z.literal('auth'), token: z.string().min(1).max(4096) }),
  z.object({ op: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** One compact `emma_changes` notice, e.g. `{t: 'samples', a: <agent id>, s, n}`; `t` names its kind. */
export const ChangeSchema = z.looseObject({ t: z.string() });
export type Change = z.infer<typeof ChangeSchema>;

/**
 * What one topic message carries: the changes of one coalescing window (one per subject, the latest), or
 * `resync` when there were too many to list (re-read the topic's state over REST).
 */
export const TopicDataSchema = z.union([
  z.object({ changes: z.array(ChangeSchema) }),
  z.object({ resync: z.literal(true) }),
]);
export type TopicData = z.infer<typeof TopicDataSchema>;

export const TopicMessageSchema = z.object({
  topic: TopicSchema,
  /** Consecutive per topic and epoch: the first after `subscribed` has its seq + 1; a gap means a loss. */
  seq: z.number().int().positive(),
  epoch: z.string(),
  data: TopicDataSchema,
});
export type TopicMessage = z.infer<typeof TopicMessageSchema>;

/** Codes of `{op: 'error'}`; the connection stays open after each. */
export const REALTIME_ERROR_CODES = [
  'bad_message',
  'bad_topic',
  'forbidden',
  'too_many_subscriptions',
  'invalid_token',
  'token_expired',
  'session_revoked',
  'wrong_user',
  'internal',
] as const;

export const ServerControlMessageSchema = z.discriminatedUnion('op', [
  /** Subscribed; the next message of the topic will have `seq + 1`. */
  z.object({ op: z.literal('subscribed'), topic: TopicSchema, epoch: z.string(), seq: z.number().int() }),
  z.object({
    op: z.literal('error'),
    code: z.enum(REALTIME_ERROR_CODES),
    message: z.string(),
    topic: TopicSchema.optional(),
  }),
  /** Changes may have been missed (the server's database connection came back): re-read state over REST. */
  z.object({ op: z.literal('resync'), reason: z.string() }),
  /** A resume (`since`) cannot be replayed (another epoch, or too far behind): re-read the topic over REST. */
  z.object({ op: z.literal('snapshot_required'), topic: TopicSchema }),
  /** The answer to `{op: 'auth'}`: the connection now lasts until the new token's expiry. */
  z.object({ op: z.literal('authenticated'), expiresAt: z.iso.datetime() }),
  z.object({ op: z.literal('pong') }),
]);
export type ServerControlMessage = z.infer<typeof ServerControlMessageSchema>;

export const ServerMessageSchema = z.union([TopicMessageSchema, ServerControlMessageSchema]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

/**
 * `POST /api/v1/auth/ws-ticket`: a single-use ticket for `/ws?ticket=…`, valid for 30 seconds, and where the
 * WebSocket is: `url` when the server knows its public URL (a path such as `/ws` meaning the page's own origin),
 * else `ws(s)://<the page's host>:<port>/ws`.
 */
export const WsTicketSchema = z
  .object({
    ticket: z.string(),
    expiresAt: z.iso.datetime(),
    url: z
      .string()
      .nullable()
      .describe(
        "EMMA_WS_PUBLIC_URL: a full ws:// or wss:// URL, or an absolute path such as /ws on the page's own origin " +
          '(connect to ws(s)://<page host and port><path>, wss on an https page); null: connect to ' +
          'ws(s)://<page host>:<port>/ws',
      ),
    port: z
      .number()
      .int()
      .describe("The realtime port: the one this process's WebSocket server listens on, else EMMA_WS_PORT"),
  })
  .meta({ id: 'WsTicket' });
export type WsTicket = z.infer<typeof WsTicketSchema>;

/** WebSocket close codes the server uses (besides 1009 for a client message over the size limit). */
export const WS_CLOSE = {
  /** The server is shutting down; reconnect (to any replica) and resume. */
  goingAway: 1001,
  /** The access token behind the connection expired, or its session ended: authenticate again. */
  unauthorized: 4401,
  /** The user was disabled. */
  forbidden: 4403,
  /** The client read too slowly and its send buffer passed the server's limit. */
  tooSlow: 4008,
  /** The client sent more messages than EMMA_WS_MAX_MESSAGES_PER_S allows (policy violation). */
  tooManyMessages: 1008,
} as const;
