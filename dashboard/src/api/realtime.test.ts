// @vitest-environment node
// (jsdom's WebSocket does not run on Node 20's event classes; Node's `ws` client is the browser's stand-in.)
// The live connection against a real WebSocket server: subscriptions, changes in order, and a re-read
// (resync) after every gap — a missed seq, a server resync, a dropped connection that comes back.
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as Ws from 'ws';
import type { WebSocket as ServerSocket, WebSocketServer as Server } from 'ws';
import { RealtimeClient, realtimeUrl, type TopicEvent } from './realtime';

// The server side in Node: in the browser-like test environment `ws` resolves to its browser stub.
const nodeRequire = createRequire(import.meta.url);
const wsDir = nodeRequire.resolve('ws/package.json').replace(/package\.json$/, '');
const { WebSocketServer, WebSocket } = nodeRequire(`${wsDir}index.js`) as typeof Ws;
Object.assign(globalThis, { WebSocket, location: { protocol: 'http:', hostname: 'emma.example' } });
let server: Server;
let sockets: ServerSocket[];
let received: unknown[];
let tickets: number;

function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

beforeEach(async () => {
  sockets = [];
  received = [];
  tickets = 0;
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket, request) => {
    expect(request.url).toMatch(/^\/ws\?ticket=t-\d+$/);
    sockets.push(socket);
    socket.on('message', (raw: Buffer) => received.push(JSON.parse(raw.toString())));
  });
  await new Promise((resolve) => server.once('listening', resolve));
});

afterEach(async () => {
  for (const socket of sockets) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
});

function client(): RealtimeClient {
  const { port } = server.address() as { port: number };
  return new RealtimeClient(() => {
    tickets += 1;
    return Promise.resolve({ url: `ws://127.0.0.1:${port}/ws`, port, ticket: `t-${tickets}` });
  });
}

describe('RealtimeClient', () => {
  it('subscribes, delivers changes in order, and asks for a re-read on a gap or a server resync', async () => {
    const live = client();
    const events: TopicEvent[] = [];
    const stop = live.subscribe('overview', (event) => events.push(event));
    live.start();
    await until(() => live.status() === 'online', 'online');
    await until(() => received.length > 0, 'the subscription');
    expect(received).toContainEqual({ op: 'subscribe', topic: 'overview' });
    // The first connection re-reads once: changes between the REST read and the subscription are unknown.
    expect(events).toEqual([{ kind: 'resync' }]);

    const socket = sockets[0]!;
    const topic = (seq: number, data: unknown) =>
      JSON.stringify({ topic: 'overview', seq, epoch: 'e1', data });
    socket.send(JSON.stringify({ op: 'subscribed', topic: 'overview', epoch: 'e1', seq: 4 }));
    socket.send(topic(5, { changes: [{ t: 'agent', a: 'x', status: 'online' }] }));
    await until(() => events.length === 2, 'a change');
    expect(events[1]).toEqual({ kind: 'changes', changes: [{ t: 'agent', a: 'x', status: 'online' }] });

    socket.send(topic(7, { changes: [{ t: 'agent', a: 'y', status: 'offline' }] })); // 6 was lost
    await until(() => events.length === 3, 'the gap');
    expect(events[2]).toEqual({ kind: 'resync' });
    socket.send(topic(8, { resync: true }));
    socket.send(JSON.stringify({ op: 'resync', reason: 'database reconnected' }));
    await until(() => events.length === 5, 'two resyncs');
    expect(events.slice(3)).toEqual([{ kind: 'resync' }, { kind: 'resync' }]);

    stop();
    await until(
      () => received.some((m) => JSON.stringify(m) === '{"op":"unsubscribe","topic":"overview"}'),
      'unsubscribe',
    );
    live.stop();
    expect(live.status()).toBe('offline');
  });

  it('reconnects with a new ticket after the connection drops, subscribes again and asks for a re-read', async () => {
    const live = client();
    const events: TopicEvent[] = [];
    live.subscribe('alerts', (event) => events.push(event));
    live.start();
    await until(() => live.status() === 'online', 'online');
    const statuses: string[] = [];
    sockets[0]!.terminate();
    await until(() => {
      statuses.push(live.status());
      return sockets.length === 2 && live.status() === 'online';
    }, 'the reconnect');
    expect(statuses).toContain('offline');
    expect(tickets).toBe(2);
    await until(
      () => received.filter((m) => JSON.stringify(m) === '{"op":"subscribe","topic":"alerts"}').length === 2,
      'subscribe again',
    );
    expect(events.filter((e) => e.kind === 'resync').length).toBeGreaterThanOrEqual(2);
    live.stop();
  });

  it("builds the URL from the server's public one, or from the page host and the realtime port", () => {
    expect(realtimeUrl('wss://emma.example/ws', 8081, 'a b')).toBe('wss://emma.example/ws?ticket=a%20b');
    expect(realtimeUrl('ws://10.0.0.5:8081/ws?x=1', 8081, 'y')).toBe('ws://10.0.0.5:8081/ws?x=1&ticket=y');
    expect(realtimeUrl(null, 9001, 'x')).toBe('ws://emma.example:9001/ws?ticket=x');
  });

  it("builds a path (EMMA_WS_PUBLIC_URL=/ws) on the page's own origin, wss on an https page", () => {
    const page = location;
    try {
      Object.assign(globalThis, {
        location: { protocol: 'http:', hostname: 'emma.lan', host: 'emma.lan:8080' },
      });
      expect(realtimeUrl('/ws', 8081, 'a b')).toBe('ws://emma.lan:8080/ws?ticket=a%20b');
      Object.assign(globalThis, {
        location: { protocol: 'https:', hostname: 'emma.example', host: 'emma.example' },
      });
      expect(realtimeUrl('/realtime/ws', 8081, 'x')).toBe('wss://emma.example/realtime/ws?ticket=x');
    } finally {
      Object.assign(globalThis, { location: page });
    }
  });

  it('connects to a path on the page origin (a proxy in front of both)', async () => {
    const { port } = server.address() as { port: number };
    const page = location;
    Object.assign(globalThis, {
      location: { protocol: 'http:', hostname: '127.0.0.1', host: `127.0.0.1:${port}` },
    });
    // The realtime port in the ticket is not where the page is: with a path the client must ignore it.
    const live = new RealtimeClient(() => {
      tickets += 1;
      return Promise.resolve({ url: '/ws', port: 1, ticket: `t-${tickets}` });
    });
    try {
      live.subscribe('overview', () => undefined);
      live.start();
      await until(() => live.status() === 'online', 'online');
      await until(() => received.length > 0, 'the subscription');
      expect(received).toContainEqual({ op: 'subscribe', topic: 'overview' });
    } finally {
      live.stop();
      Object.assign(globalThis, { location: page });
    }
  });
});
