// Real WebSocket clients (the `ws` package) for the realtime tests: a queue of parsed messages to take from,
// and the close code and reason once the server ends the connection.
/* eslint-disable @typescript-eslint/no-explicit-any -- messages are whatever each test expects */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { ServerMessageSchema } from '@emma/protocol';
import type { Config } from '../src/config';
import { createLogger } from '../src/logger';
import { startRealtime, type RealtimeServer, type RealtimeTuning } from '../src/realtime';
import { TEST_JWT_SECRET, type TestServer } from './harness';

export interface TestRealtime extends RealtimeServer {
  /** ws://127.0.0.1:<port>/ws */
  url: string;
}

/**
 * A realtime server of its own (as `emma realtime` runs) on the test server's database, or another one;
 * its settings are the test server's with `settings` over them.
 */
export async function startTestRealtime(
  t: TestServer,
  options: {
    settings?: Partial<Config['realtime']>;
    tuning?: Partial<RealtimeTuning>;
    databaseUrl?: string;
  } = {},
): Promise<TestRealtime> {
  const base = t.server.config;
  const config: Config = { ...base, wsPort: 0, realtime: { ...base.realtime, ...options.settings } };
  const realtime = await startRealtime({
    config,
    logger: createLogger(config.logLevel),
    databaseUrl: options.databaseUrl ?? t.databaseUrl,
    jwtSecret: TEST_JWT_SECRET,
    ...(options.tuning ? { tuning: options.tuning } : {}),
  });
  return Object.assign(realtime, { url: `ws://127.0.0.1:${realtime.port}/ws` });
}

export interface Refused {
  status: number;
  body: any;
  /** Whether a WebSocket was opened after all (it must not be). */
  opened: boolean;
}

export class TestWs {
  /** Messages not taken yet, oldest first. */
  readonly queue: any[] = [];
  /** Every message ever received, in order. */
  readonly received: any[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw: WebSocket.RawData, isBinary: boolean) => {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- text frames arrive as Buffers
      const text = isBinary ? '' : raw.toString();
      const message: unknown = JSON.parse(text);
      // Every message the server sends must match the protocol's schema (a mismatch fails the test run).
      ServerMessageSchema.parse(message);
      this.queue.push(message);
      this.received.push(message);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<TestWs> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, perMessageDeflate: false });
      const client = new TestWs(ws);
      ws.once('open', () => {
        resolve(client);
      });
      ws.once('unexpected-response', (_req, res) => {
        reject(new Error(`upgrade refused with ${res.statusCode}`));
        res.resume();
      });
      ws.once('error', reject);
    });
  }

  /** Tries to connect and expects a refusal; returns the HTTP answer. */
  static refused(url: string, headers: Record<string, string> = {}): Promise<Refused> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, perMessageDeflate: false });
      let opened = false;
      ws.once('open', () => {
        opened = true;
        ws.terminate();
        resolve({ status: 101, body: undefined, opened });
      });
      ws.once('unexpected-response', (_req, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, opened });
        });
      });
      ws.once('error', (err) => {
        if (!opened) reject(err);
      });
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Takes the first queued message that matches, waiting for it. */
  async take(match: (message: any) => boolean = () => true, timeoutMs = 5000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.queue.findIndex(match);
      if (index >= 0) return this.queue.splice(index, 1)[0];
      if (this.closed) {
        throw new Error(`closed (${this.closed.code} ${this.closed.reason}) while waiting for a message`);
      }
      if (!(await this.wait(deadline - Date.now()))) {
        throw new Error(`no matching message within ${timeoutMs} ms; queued: ${JSON.stringify(this.queue)}`);
      }
    }
  }

  /** Round trip: everything the server sent before its pong has arrived when this returns. */
  async sync(): Promise<void> {
    this.send({ op: 'ping' });
    await this.take((m) => m.op === 'pong');
  }

  async subscribe(topic: string, since?: { epoch: string; seq: number }): Promise<any> {
    this.send({ op: 'subscribe', topic, ...(since ? { since } : {}) });
    return this.take((m) => (m.op === 'subscribed' || m.op === 'error') && m.topic === topic);
  }

  /** Topic messages of a topic taken from the queue so far. */
  takeAll(topic: string): any[] {
    const taken = this.queue.filter((m) => m.topic === topic && m.op === undefined);
    for (const message of taken) this.queue.splice(this.queue.indexOf(message), 1);
    return taken;
  }

  async waitClose(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (!(await this.wait(deadline - Date.now()))) throw new Error(`not closed within ${timeoutMs} ms`);
    }
    return this.closed;
  }

  /** The TCP socket under the WebSocket (pause() it to play a client that stops reading). */
  get tcp(): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket;
  }

  close(): void {
    if (!this.closed) this.ws.terminate();
  }

  private wait(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(false);
      }, ms);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(wake);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
