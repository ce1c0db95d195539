// A local HTTP server that records what channels post to it and answers as a test tells it to.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NotificationMessage } from '@emma/protocol';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  json: unknown;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Status for each request (default 200); may wait to simulate a slow receiver. */
  respond: (req: ReceivedRequest) => number | Promise<number>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    requests: [],
    respond: () => 200,
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(rawBody);
      } catch {
        json = null;
      }
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, json };
      receiver.requests.push(request);
      void Promise.resolve(receiver.respond(request)).then((status) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status < 300 ? '{"ok":true}' : '{"error":"receiver says no"}');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        resolve();
      });
    });
  return receiver;
}

export function sampleMessage(overrides: Partial<NotificationMessage> = {}) {
  return {
    event: 'opened' as const,
    incidentId: '0b7f5f54-8a1e-4a8c-9d43-2f0a1c9f7e11',
    ruleId: '5d1c9e0a-7b42-4c59-8f1e-3a6b2d4c8e90',
    severity: 'critical' as const,
    title: 'web down: https://example.com is down',
    summary: 'HTTP 503 from https://example.com\nfor 3 checks in a row',
    subject: 'probe:7e0e3a52-8c44-4f0f-9d84-5b5e9a1f2c33',
    fields: { agent: 'edge-1', value: '503' },
    url: 'https://emma.example/incidents/0b7f5f54-8a1e-4a8c-9d43-2f0a1c9f7e11',
    occurredAt: Date.UTC(2025, 0, 2, 3, 4, 5),
    ...overrides,
  };
}
