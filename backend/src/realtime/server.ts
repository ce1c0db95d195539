// The realtime role: WebSocket clients authenticated at the upgrade, topics checked against their role, and
// the `emma_changes` notices of every process (one LISTEN connection here) coalesced and fanned out to them.
// Any number of these processes can run on one database: each listens and serves its own clients.
import { randomUUID } from 'node:crypto';
import {
  ClientMessageSchema,
  mayReadTopic,
  parseTopic,
  ROLE_PERMISSIONS,
  WS_CLOSE,
  type ClientMessage,
  type REALTIME_ERROR_CODES,
  type ServerControlMessage,
} from '@emma/protocol';
import type { Config } from '../config';
import { createPool, type Pool } from '../db/pool';
import type { Principal } from '../http/context';
import { AppError, unauthorized } from '../http/errors';
import type { Logger } from '../logger';
import { authenticateToken, consumeWsTicket } from '../modules/auth/service';
import { sessionStates } from '../modules/auth/sessions-repo';
import { CHANGES_CHANNEL } from '../modules/ingest/repo';
import { startListenBridge, type ListenBridge } from './bridge';
import { TopicHub, type Subscriber } from './hub';
import { routeNotice } from './routing';
import {
  listenWs,
  requireNativeUws,
  type UpgradeDecision,
  type UpgradeRequest,
  type UwsBuild,
  type WsServer,
  type WsSocket,
} from './uws';

export const WS_PATH = '/ws';

/** Knobs that are not settings: tests and benchmarks turn them. */
export interface RealtimeTuning {
  /** Messages kept per topic for resuming. */
  ringSize: number;
  ringMaxAgeMs: number;
  /** More distinct changes to one topic in one window go out as `{resync: true}`. */
  maxChangesPerMessage: number;
  listenRetryMaxMs: number;
  listenCheckMs: number;
}

const DEFAULT_TUNING: RealtimeTuning = {
  ringSize: 256,
  ringMaxAgeMs: 5 * 60_000,
  maxChangesPerMessage: 200,
  listenRetryMaxMs: 10_000,
  listenCheckMs: 10_000,
};

/** Room above the drop limit in uWS's own buffer, so uWS never skips a message before eMMA drops the client. */
const BACKPRESSURE_HEADROOM_BYTES = 4 * 1024 * 1024;
const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;
/** Re-checks of the sessions, however often audit notices ask for one. */
const MIN_RECHECK_GAP_MS = 1000;

export interface RealtimeOptions {
  config: Config;
  logger: Logger;
  databaseUrl: string;
  jwtSecret: string;
  /** The process's pool (`emma all`); otherwise the realtime server opens a small one of its own. */
  pool?: Pool;
  tuning?: Partial<RealtimeTuning>;
}

export interface RealtimeStats {
  connections: number;
  subscriptions: number;
  topics: number;
  /** Frames written to sockets: topic messages (once per subscriber) and replies. */
  messagesSent: number;
  /** Topic messages made (each goes to all of its subscribers). */
  topicMessages: number;
  /** `emma_changes` notices received. */
  notices: number;
  droppedSlowClients: number;
  refusedUpgrades: number;
  listening: boolean;
  listenLosses: number;
}

export interface RealtimeServer {
  /** The port it listens on (EMMA_WS_PORT=0 picks a free one). */
  port: number;
  /** Changes with every start; resume points of another epoch get `snapshot_required`. */
  epoch: string;
  build: UwsBuild;
  stats(): RealtimeStats;
  /** Publishes the open coalescing window now. */
  flush(): void;
  /** Checks every connection's session and user now. */
  recheck(): Promise<void>;
  /** Ends every socket (1001) and stops listening. */
  close(): Promise<void>;
}

interface ConnectionData {
  principal: Principal;
  ip: string;
  connection?: Connection;
}

type ErrorCode = (typeof REALTIME_ERROR_CODES)[number];

class Connection implements Subscriber {
  readonly topics = new Set<string>();
  deadline: NodeJS.Timeout | undefined;
  closed = false;
  /** A token bucket for the client's own messages: a flood must not cost the server its CPU. */
  private tokens = Number.NaN;
  private refilledAt = 0;

  constructor(
    readonly socket: WsSocket<ConnectionData>,
    public principal: Principal,
    private readonly deliverTo: (connection: Connection, frame: Buffer) => void,
  ) {}

  deliver(frame: Buffer): void {
    this.deliverTo(this, frame);
  }

  /** Takes one message from the bucket (rate per second, twice that as burst); false when it is empty. */
  allowMessage(ratePerS: number, now: number): boolean {
    const burst = Math.max(1, 2 * ratePerS);
    if (Number.isNaN(this.tokens)) this.tokens = burst;
    else this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) / 1000) * ratePerS);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export async function startRealtime(options: RealtimeOptions): Promise<RealtimeServer> {
  const realtime = new Realtime(options);
  try {
    await realtime.start();
  } catch (err) {
    await realtime.close();
    throw err;
  }
  return realtime;
}

class Realtime implements RealtimeServer {
  port = 0;
  readonly build: UwsBuild;
  private readonly config: Config;
  private readonly logger: Logger;
  private readonly pool: Pool;
  private readonly ownPool: boolean;
  private readonly hub: TopicHub;
  private readonly tuning: RealtimeTuning;
  private readonly connections = new Set<Connection>();
  private readonly pending = new Set<Promise<unknown>>();
  private transport: WsServer | undefined;
  private bridge: ListenBridge | undefined;
  private recheckTimer: NodeJS.Timeout | undefined;
  private recheckQueued = false;
  private recheckRunning: Promise<void> = Promise.resolve();
  private lastRecheckAt = 0;
  private closing = false;
  private counters = { messagesSent: 0, notices: 0, droppedSlowClients: 0, refusedUpgrades: 0 };

  constructor(private readonly options: RealtimeOptions) {
    this.config = options.config;
    this.logger = options.logger.child({ role: 'realtime' });
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.ownPool = options.pool === undefined;
    this.pool =
      options.pool ?? createPool(options.databaseUrl, 3, this.logger, this.config.database.connectTimeoutMs);
    this.hub = new TopicHub({
      coalesceMs: this.config.realtime.coalesceMs,
      maxChangesPerMessage: this.tuning.maxChangesPerMessage,
      ringSize: this.tuning.ringSize,
      ringMaxAgeMs: this.tuning.ringMaxAgeMs,
    });
    this.build = { native: false, binary: undefined, version: '' };
  }

  get epoch(): string {
    return this.hub.epoch;
  }

  async start(): Promise<void> {
    const { realtime } = this.config;
    requireNativeUws();
    this.bridge = await startListenBridge({
      databaseUrl: this.options.databaseUrl,
      channel: CHANGES_CHANNEL,
      logger: this.logger,
      retryMaxMs: this.tuning.listenRetryMaxMs,
      checkEveryMs: this.tuning.listenCheckMs,
      onNotice: (payload) => {
        this.onNotice(payload);
      },
      onRestored: () => {
        this.onListenRestored();
      },
    });
    this.transport = await listenWs<ConnectionData>(
      {
        host: this.config.http.host,
        port: this.config.wsPort,
        path: WS_PATH,
        maxBackpressure: realtime.maxBackpressureBytes + BACKPRESSURE_HEADROOM_BYTES,
        maxPayloadLength: MAX_CLIENT_MESSAGE_BYTES,
        idleTimeoutS: realtime.idleTimeoutS,
      },
      {
        upgrade: (request) => this.track(this.upgrade(request)),
        open: (socket) => {
          this.open(socket);
        },
        message: (socket, text) => {
          this.message(socket, text);
        },
        close: (socket) => {
          this.closed(socket);
        },
        health: () => ({
          status: 200,
          body: {
            status: 'ok',
            role: 'realtime',
            connections: this.connections.size,
            listening: this.bridge?.connected ?? false,
            epoch: this.epoch,
          },
        }),
        upgradeFailed: (err) => {
          this.logger.error({ err }, 'a WebSocket upgrade failed');
        },
      },
    );
    this.port = this.transport.port;
    Object.assign(this.build, this.transport.build);
    this.recheckTimer = setInterval(() => {
      this.hub.prune();
      this.requestRecheck();
    }, realtime.recheckMs);
    this.recheckTimer.unref();
    this.logger.info(
      { port: this.port, path: WS_PATH, epoch: this.epoch, uws: this.build },
      `realtime listening on port ${this.port} (uWebSockets.js ${this.build.version}, native binary ${this.build.binary ?? '?'})`,
    );
  }

  stats(): RealtimeStats {
    const hub = this.hub.stats();
    return {
      connections: this.connections.size,
      subscriptions: hub.subscriptions,
      topics: hub.topics,
      topicMessages: hub.published,
      listening: this.bridge?.connected ?? false,
      listenLosses: this.bridge?.losses ?? 0,
      ...this.counters,
    };
  }

  flush(): void {
    this.hub.flush();
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    this.hub.close();
    await this.bridge?.close();
    for (const connection of [...this.connections]) {
      this.disconnect(connection, WS_CLOSE.goingAway, 'server shutting down');
    }
    this.transport?.close();
    await Promise.allSettled([...this.pending, this.recheckRunning]);
    if (this.ownPool) await this.pool.end();
  }

  // ---- upgrade and connections ----

  private async upgrade(request: UpgradeRequest): Promise<UpgradeDecision<ConnectionData>> {
    const requestId = saneRequestId(request.headers['x-request-id']) ?? randomUUID();
    const ip = this.clientIp(request);
    if (this.closing) {
      return refusal(503, 'Service Unavailable', 'shutting_down', 'The server is shutting down', requestId);
    }
    const params = new URLSearchParams(request.query);
    const ticket = params.get('ticket');
    const token =
      params.get('access_token') ?? /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    try {
      let principal: Principal;
      if (ticket !== null) principal = await consumeWsTicket(this.pool, ticket);
      else if (token !== undefined) principal = await authenticateToken(this.options, this.pool, token);
      else {
        throw unauthorized(
          'Connect with ?ticket=<ticket> (POST /api/v1/auth/ws-ticket) or an access token',
          'unauthorized',
        );
      }
      return { accept: true, data: { principal, ip } };
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      this.counters.refusedUpgrades += 1;
      this.logger.info({ ip, code: err.code, requestId }, 'WebSocket upgrade refused');
      return refusal(err.status, STATUS_TEXT[err.status] ?? 'Refused', err.code, err.message, requestId);
    }
  }

  private open(socket: WsSocket<ConnectionData>): void {
    if (this.closing) {
      socket.end(WS_CLOSE.goingAway, 'server shutting down');
      return;
    }
    const connection = new Connection(socket, socket.data.principal, (c, frame) => {
      this.send(c, frame);
    });
    socket.data.connection = connection;
    this.connections.add(connection);
    this.armDeadline(connection);
    this.logger.debug({ userId: connection.principal.userId, ip: socket.data.ip }, 'WebSocket connected');
  }

  private closed(socket: WsSocket<ConnectionData>): void {
    const connection = socket.data.connection;
    if (!connection) return;
    connection.closed = true;
    if (connection.deadline) clearTimeout(connection.deadline);
    for (const topic of connection.topics) this.hub.unsubscribe(topic, connection);
    connection.topics.clear();
    this.connections.delete(connection);
  }

  private disconnect(connection: Connection, code: number, reason: string): void {
    if (connection.closed) return;
    this.logger.debug({ userId: connection.principal.userId, code, reason }, 'closing a WebSocket');
    connection.socket.end(code, reason);
  }

  /** The connection lasts as long as its access token; `{op: 'auth'}` with a fresh one moves this. */
  private armDeadline(connection: Connection): void {
    if (connection.deadline) clearTimeout(connection.deadline);
    const delay = Math.max(0, connection.principal.tokenExpiresAt.getTime() - Date.now());
    connection.deadline = setTimeout(() => {
      this.disconnect(connection, WS_CLOSE.unauthorized, 'token expired');
    }, delay);
    connection.deadline.unref();
  }

  // ---- sending ----

  private send(connection: Connection, frame: Buffer | string): void {
    if (connection.closed) return;
    const queued = connection.socket.send(frame);
    if (queued >= 0) this.counters.messagesSent += 1;
    if (queued < 0 || queued > this.config.realtime.maxBackpressureBytes) {
      // Never let a client that does not read grow this process: it reconnects and resumes, or re-reads.
      this.counters.droppedSlowClients += 1;
      this.logger.warn(
        { userId: connection.principal.userId, queuedBytes: connection.socket.bufferedAmount() },
        'dropping a WebSocket client that reads too slowly',
      );
      this.disconnect(connection, WS_CLOSE.tooSlow, 'too slow');
    }
  }

  private reply(connection: Connection, message: ServerControlMessage): void {
    this.send(connection, JSON.stringify(message));
  }

  private error(connection: Connection, code: ErrorCode, message: string, topic?: string): void {
    this.reply(connection, { op: 'error', code, message, ...(topic === undefined ? {} : { topic }) });
  }

  // ---- client messages ----

  private message(socket: WsSocket<ConnectionData>, text: string | undefined): void {
    const connection = socket.data.connection;
    if (!connection || connection.closed) return;
    if (!connection.allowMessage(this.config.realtime.maxMessagesPerS, Date.now())) {
      this.disconnect(connection, WS_CLOSE.tooManyMessages, 'too many messages');
      return;
    }
    let raw: unknown;
    try {
      if (text === undefined) throw new Error('binary');
      raw = JSON.parse(text);
    } catch {
      this.error(connection, 'bad_message', 'Send JSON text messages');
      return;
    }
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.error(
        connection,
        'bad_message',
        'Expected {"op": "subscribe"|"unsubscribe", "topic"}, {"op": "auth", "token"} or {"op": "ping"}',
      );
      return;
    }
    this.handle(connection, parsed.data);
  }

  private handle(connection: Connection, message: ClientMessage): void {
    switch (message.op) {
      case 'subscribe':
        this.subscribe(connection, message.topic, message.since);
        return;
      case 'unsubscribe':
        if (connection.topics.delete(message.topic)) this.hub.unsubscribe(message.topic, connection);
        return;
      case 'ping':
        this.reply(connection, { op: 'pong' });
        return;
      case 'auth':
        void this.track(this.reauthenticate(connection, message.token));
        return;
    }
  }

  private subscribe(
    connection: Connection,
    topic: string,
    since: { epoch: string; seq: number } | undefined,
  ): void {
    const parsed = parseTopic(topic);
    if (!parsed) {
      this.error(
        connection,
        'bad_topic',
        'Topics: overview, alerts, audit, agent:<id>, container:<id>, probe:<id>',
        topic,
      );
      return;
    }
    if (!mayReadTopic(connection.principal.role, parsed)) {
      this.error(
        connection,
        'forbidden',
        `Your role '${connection.principal.role}' may not read this topic`,
        topic,
      );
      return;
    }
    if (!connection.topics.has(topic) && connection.topics.size >= this.config.realtime.maxSubscriptions) {
      this.error(
        connection,
        'too_many_subscriptions',
        `At most ${this.config.realtime.maxSubscriptions} topics per connection`,
        topic,
      );
      return;
    }
    connection.topics.add(topic);
    const { seq, resume } = this.hub.subscribe(topic, connection, since);
    connection.socket.cork(() => {
      if (resume.kind === 'replay') {
        const bytes = resume.frames.reduce((sum, frame) => sum + frame.length, 0);
        // A replay that alone would near the drop limit would drop the client on every attempt: re-read instead.
        if (bytes > this.config.realtime.maxBackpressureBytes / 2) {
          this.reply(connection, { op: 'snapshot_required', topic });
        } else {
          for (const frame of resume.frames) this.send(connection, frame);
        }
      } else if (resume.kind === 'snapshot') {
        this.reply(connection, { op: 'snapshot_required', topic });
      }
      this.reply(connection, { op: 'subscribed', topic, epoch: this.epoch, seq });
    });
  }

  private async reauthenticate(connection: Connection, token: string): Promise<void> {
    let principal: Principal;
    try {
      principal = await authenticateToken(this.options, this.pool, token);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) {
        this.logger.error({ err }, 'checking a WebSocket auth message failed');
        this.error(connection, 'internal', 'The token could not be checked; try again');
        return;
      }
      const code =
        err.code === 'token_expired' || err.code === 'session_revoked' ? err.code : 'invalid_token';
      this.error(connection, code, err.message);
      return;
    }
    if (connection.closed) return;
    if (principal.userId !== connection.principal.userId) {
      this.error(connection, 'wrong_user', 'The token belongs to another user; open a new connection');
      return;
    }
    connection.principal = principal;
    this.armDeadline(connection);
    this.enforceRole(connection);
    this.reply(connection, { op: 'authenticated', expiresAt: principal.tokenExpiresAt.toISOString() });
  }

  /** After a role change: subscriptions the role no longer allows end, each with an error. */
  private enforceRole(connection: Connection): void {
    for (const topic of [...connection.topics]) {
      const parsed = parseTopic(topic);
      if (parsed && mayReadTopic(connection.principal.role, parsed)) continue;
      connection.topics.delete(topic);
      this.hub.unsubscribe(topic, connection);
      this.error(
        connection,
        'forbidden',
        `Your role '${connection.principal.role}' no longer allows this topic; unsubscribed`,
        topic,
      );
    }
  }

  // ---- notices and session checks ----

  private onNotice(payload: string): void {
    this.counters.notices += 1;
    const routed = routeNotice(payload);
    if (!routed) {
      this.logger.debug({ payload: payload.slice(0, 200) }, 'ignored a notice of unknown shape');
      return;
    }
    for (const topic of routed.route.topics) this.hub.add(topic, routed.route.subject, routed.change);
    // Logouts, disabled users and role changes are all audited: re-check the sessions soon.
    if (routed.change.t === 'audit') this.requestRecheck();
  }

  private onListenRestored(): void {
    // Notices sent while the connection was down are lost: no ring can be replayed across the gap.
    this.hub.forgetHistory();
    const frame = JSON.stringify({
      op: 'resync',
      reason: 'listen_reconnected',
    } satisfies ServerControlMessage);
    for (const connection of [...this.connections]) this.send(connection, frame);
    this.requestRecheck();
  }

  private requestRecheck(): void {
    if (this.recheckQueued || this.closing) return;
    this.recheckQueued = true;
    const wait = Math.max(0, this.lastRecheckAt + MIN_RECHECK_GAP_MS - Date.now());
    setTimeout(() => {
      this.recheckRunning = this.recheckRunning.then(async () => {
        this.recheckQueued = false;
        try {
          await this.recheck();
        } catch (err) {
          this.logger.error({ err }, 'checking the WebSocket sessions failed');
        }
      });
    }, wait).unref();
  }

  async recheck(): Promise<void> {
    this.lastRecheckAt = Date.now();
    if (this.connections.size === 0 || this.closing) return;
    // Each connection with the session it had when asked: one that re-authenticated meanwhile is left alone.
    const asked = [...this.connections].map((connection) => ({
      connection,
      sessionId: connection.principal.sessionId,
    }));
    const rows = await sessionStates(this.pool, [...new Set(asked.map((a) => a.sessionId))]);
    const bySession = new Map(rows.map((row) => [row.session_id, row]));
    for (const { connection, sessionId } of asked) {
      if (connection.closed || connection.principal.sessionId !== sessionId) continue;
      const row = bySession.get(sessionId);
      if (row?.disabled && row.user_id === connection.principal.userId && !row.deleted) {
        this.disconnect(connection, WS_CLOSE.forbidden, 'user disabled');
      } else if (!row || row.ended || row.deleted || row.user_id !== connection.principal.userId) {
        this.disconnect(connection, WS_CLOSE.unauthorized, 'session ended');
      } else if (row.role !== connection.principal.role) {
        connection.principal = {
          ...connection.principal,
          role: row.role,
          permissions: ROLE_PERMISSIONS[row.role],
        };
        this.enforceRole(connection);
      }
    }
  }

  // ---- helpers ----

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    const forget = () => {
      this.pending.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  private clientIp(request: UpgradeRequest): string {
    if (this.config.http.trustProxy) {
      const forwarded = request.headers['x-forwarded-for']?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    return request.remoteAddress;
  }
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
};

function saneRequestId(value: string | undefined): string | undefined {
  return value !== undefined && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : undefined;
}

function refusal(
  status: number,
  statusText: string,
  code: string,
  message: string,
  requestId: string,
): UpgradeDecision<ConnectionData> {
  return {
    accept: false,
    status,
    statusText,
    body: JSON.stringify({ error: { code, message, requestId } }),
  };
}
