// The live connection: one WebSocket per tab, opened with a single-use ticket, re-opened with backoff
// when it drops. Pages subscribe to topics and get each topic's changes; after any gap (reconnect, a
// missed seq, a server `resync`) every subscriber is told to re-read its state over REST, because
// NOTIFY-based changes during a gap are lost.
import { createSignal } from 'solid-js';
import { api, refreshSession, unwrap } from './client';
import { accessSecondsLeft, currentAccessToken } from './session';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';
/** One change notice (ids, not data), e.g. `{t: 'probe_state', p: <probe id>}`. */
export interface Change {
  t: string;
  [key: string]: unknown;
}
/** `changes` when they arrived in order; `resync` when the subscriber must re-read its state. */
export type TopicEvent = { kind: 'changes'; changes: Change[] } | { kind: 'resync' };
type Listener = (event: TopicEvent) => void;

interface TopicState {
  listeners: Set<Listener>;
  seq?: number;
  epoch?: string;
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;

export class RealtimeClient {
  private socket: WebSocket | undefined;
  private readonly topics = new Map<string, TopicState>();
  private backoffMs = MIN_BACKOFF_MS;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private authTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = true;
  private readonly statusSignal = createSignal<ConnectionStatus>('offline');
  readonly status = this.statusSignal[0];
  private readonly setStatus = this.statusSignal[1];

  constructor(
    private readonly openTicket: () => Promise<{ url: string | null; port: number; ticket: string }>,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.authTimer);
    this.socket?.close(1000);
    this.socket = undefined;
    this.setStatus('offline');
  }

  /** Listens to a topic until the returned function is called; subscribes on the server once per topic. */
  subscribe(topic: string, listener: Listener): () => void {
    let state = this.topics.get(topic);
    if (!state) {
      state = { listeners: new Set() };
      this.topics.set(topic, state);
      this.send({ op: 'subscribe', topic });
    }
    state.listeners.add(listener);
    return () => {
      const current = this.topics.get(topic);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        this.topics.delete(topic);
        this.send({ op: 'unsubscribe', topic });
      }
    };
  }

  /** Read through a method: `stopped` may change while a connect awaits. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setStatus('connecting');
    try {
      if (accessSecondsLeft() < 5) await refreshSession();
      const ticket = await this.openTicket();
      if (this.isStopped()) return;
      const socket = new WebSocket(realtimeUrl(ticket.url, ticket.port, ticket.ticket));
      this.socket = socket;
      socket.onopen = () => {
        this.backoffMs = MIN_BACKOFF_MS;
        this.setStatus('online');
        for (const topic of this.topics.keys()) this.send({ op: 'subscribe', topic });
        // Changes while disconnected are lost: everyone re-reads.
        this.broadcastResync();
        clearInterval(this.authTimer);
        this.authTimer = setInterval(() => {
          void this.extendAuth();
        }, 30_000);
      };
      socket.onmessage = (event) => {
        this.handle(String(event.data));
      };
      socket.onclose = () => {
        if (this.socket === socket) this.retry();
      };
    } catch {
      this.retry();
    }
  }

  /** Keeps the connection alive past the access token's expiry by sending a fresh token. */
  private async extendAuth(): Promise<void> {
    if (accessSecondsLeft() > 90) return;
    if (!(await refreshSession())) return;
    const token = currentAccessToken();
    if (token) this.send({ op: 'auth', token });
  }

  private retry(): void {
    clearInterval(this.authTimer);
    this.socket = undefined;
    if (this.stopped) return;
    this.setStatus('offline');
    for (const state of this.topics.values()) state.seq = undefined;
    const delay = this.backoffMs * (0.8 + Math.random() * 0.4);
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private broadcastResync(): void {
    for (const state of this.topics.values())
      for (const listener of state.listeners) listener({ kind: 'resync' });
  }

  private handle(raw: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof message.op === 'string') {
      this.handleControl(message);
      return;
    }
    const topic = message.topic;
    if (typeof topic !== 'string') return;
    const state = this.topics.get(topic);
    if (!state) return;
    const seq = typeof message.seq === 'number' ? message.seq : undefined;
    const gap = seq !== undefined && state.seq !== undefined && seq !== state.seq + 1;
    state.seq = seq;
    state.epoch = typeof message.epoch === 'string' ? message.epoch : state.epoch;
    const data = message.data as { changes?: Change[]; resync?: boolean } | undefined;
    const event: TopicEvent =
      gap || data?.resync || !Array.isArray(data?.changes)
        ? { kind: 'resync' }
        : { kind: 'changes', changes: data.changes };
    for (const listener of state.listeners) listener(event);
  }

  private handleControl(message: Record<string, unknown>): void {
    const topic = typeof message.topic === 'string' ? message.topic : undefined;
    switch (message.op) {
      case 'subscribed': {
        const state = topic ? this.topics.get(topic) : undefined;
        if (state && typeof message.seq === 'number') state.seq = message.seq;
        return;
      }
      case 'resync':
        this.broadcastResync();
        return;
      case 'snapshot_required': {
        const state = topic ? this.topics.get(topic) : undefined;
        if (state) for (const listener of state.listeners) listener({ kind: 'resync' });
        return;
      }
      default:
        return;
    }
  }
}

/**
 * The WebSocket URL: the server's public one when configured, a path on the page's own origin (`/ws`, behind a
 * proxy that serves both: host and port as the browser sees them), else the page's host on the realtime port.
 */
export function realtimeUrl(url: string | null, port: number, ticket: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  let base = url ?? `${scheme}://${location.hostname}:${port}/ws`;
  if (base.startsWith('/')) base = `${scheme}://${location.host}${base}`;
  return `${base}${base.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(ticket)}`;
}

export const realtime = new RealtimeClient(async () => unwrap(api.POST('/api/v1/auth/ws-ticket')));
