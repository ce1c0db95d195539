// The client side of the fan-out benchmark: a share of the WebSocket clients, in its own process so that
// their cost does not count as the server's. Started with fork() by scripts/bench-fanout.ts; it connects
// its clients (a few hundred handshakes at a time), subscribes each to one topic, and records for every
// marker change (a NOTIFY whose payload carries `at`, the sender's Date.now()) how long it took to arrive.
import WebSocket from 'ws';

export interface ClientsStart {
  type: 'start';
  url: string;
  count: number;
  topic: string;
  /** Handshakes in flight at once. */
  concurrency: number;
}
export type ClientsCommand = ClientsStart | { type: 'mark' } | { type: 'report' } | { type: 'close' };
export type ClientsMessage =
  | { type: 'connected'; connected: number; failed: number; firstError?: string }
  | {
      type: 'report';
      latenciesMs: number[];
      messages: number;
      closed: number;
      closeCodes: Record<string, number>;
    };

const sockets: WebSocket[] = [];
let latencies: number[] = [];
let messages = 0;
let closed = 0;
const closeCodes: Record<string, number> = {};

function send(message: ClientsMessage): void {
  process.send?.(message);
}

function onMessage(raw: WebSocket.RawData): void {
  messages += 1;
  const now = Date.now();
  let message: { data?: { changes?: { at?: unknown }[] } };
  try {
    message = JSON.parse((raw as Buffer).toString('utf8')) as typeof message;
  } catch {
    return;
  }
  for (const change of message.data?.changes ?? []) {
    if (typeof change.at === 'number') latencies.push(now - change.at);
  }
}

function connect(start: ClientsStart): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(start.url, { perMessageDeflate: false });
    const fail = (err: Error) => {
      reject(err);
    };
    ws.once('error', fail);
    ws.once('open', () => {
      ws.off('error', fail);
      ws.on('error', () => undefined);
      ws.send(JSON.stringify({ op: 'subscribe', topic: start.topic }));
      ws.on('message', onMessage);
      ws.once('close', (code) => {
        closed += 1;
        closeCodes[String(code)] = (closeCodes[String(code)] ?? 0) + 1;
      });
      sockets.push(ws);
      resolve();
    });
  });
}

async function connectAll(start: ClientsStart): Promise<void> {
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const worker = async () => {
    while (next < start.count) {
      next += 1;
      try {
        await connect(start);
      } catch (err) {
        failed += 1;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(start.concurrency, start.count) }, worker));
  send({ type: 'connected', connected: sockets.length, failed, ...(firstError ? { firstError } : {}) });
}

process.on('message', (command: ClientsCommand) => {
  switch (command.type) {
    case 'start':
      void connectAll(command);
      break;
    case 'mark':
      latencies = [];
      messages = 0;
      break;
    case 'report':
      send({ type: 'report', latenciesMs: latencies, messages, closed, closeCodes });
      break;
    case 'close':
      for (const ws of sockets) ws.terminate();
      process.exit(0);
  }
});
