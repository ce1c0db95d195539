// Test helper: a real HTTP server on 127.0.0.1 that mimics the ingest endpoint's contract
// (bearer credential, gzip JSON body validated with the protocol schema, dedupe by seq).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { IngestBatchSchema } from '@emma/protocol';

const gunzipAsync = promisify(gunzip);

export type ParsedBatch = ReturnType<typeof IngestBatchSchema.parse>;

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RequestRecord {
  seq: number;
  at: number;
  batch: ParsedBatch;
  headers: IncomingHttpHeaders;
}

export interface FakeIngestServer {
  url: string;
  port: number;
  /** Every well-formed request, in arrival order. */
  requests: RequestRecord[];
  /** Batches stored (first delivery of each seq), in arrival order. */
  accepted: ParsedBatch[];
  /** Requests whose body did not decode to a valid batch. */
  invalid: number;
  /** Requests refused for a wrong or missing credential. */
  unauthorized: number;
  /** Overrides the answer for a request; undefined falls through to the normal behaviour. */
  respond: (batch: ParsedBatch, request: RequestRecord) => Reply | undefined | 'hang';
  close(): Promise<void>;
}

export function errorBody(code: string, message = code): unknown {
  return { error: { code, message, requestId: 'req-test' } };
}

export async function startFakeIngestServer(
  options: { port?: number; credential?: string } = {},
): Promise<FakeIngestServer> {
  const credential = options.credential ?? 'cred-test';
  const seen = new Set<number>();
  const hanging: (() => void)[] = [];

  const fake: FakeIngestServer = {
    url: '',
    port: 0,
    requests: [],
    accepted: [],
    invalid: 0,
    unauthorized: 0,
    respond: () => undefined,
    async close() {
      for (const release of hanging) release();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
    },
  };

  const send = (res: ServerResponse, reply: Reply): void => {
    res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        if (req.method !== 'POST' || req.url !== '/api/v1/ingest') {
          send(res, { status: 404, body: errorBody('not_found') });
          return;
        }
        if (req.headers.authorization !== `Bearer ${credential}`) {
          fake.unauthorized++;
          send(res, { status: 401, body: errorBody('unauthorized') });
          return;
        }
        let batch: ParsedBatch;
        try {
          if (req.headers['content-encoding'] !== 'gzip') throw new Error('not gzip');
          if (req.headers['content-type'] !== 'application/json') throw new Error('not json');
          const json: unknown = JSON.parse((await gunzipAsync(Buffer.concat(chunks))).toString('utf8'));
          batch = IngestBatchSchema.parse(json);
        } catch {
          fake.invalid++;
          send(res, { status: 422, body: errorBody('validation_failed') });
          return;
        }
        const record = { seq: batch.seq, at: Date.now(), batch, headers: req.headers };
        fake.requests.push(record);
        const override = fake.respond(batch, record);
        if (override === 'hang') {
          hanging.push(() => res.destroy());
          return;
        }
        if (override) {
          send(res, override);
          return;
        }
        const duplicate = seen.has(batch.seq);
        if (!duplicate) {
          seen.add(batch.seq);
          fake.accepted.push(batch);
        }
        const samples = batch.series.reduce((n, s) => n + s.points.length, 0);
        send(res, { status: 200, body: { accepted: !duplicate, duplicate, samples, rejectedSamples: 0 } });
      })();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  fake.port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${fake.port}`;
  return fake;
}

/** A port nothing listens on (for "server down"); a server can be started on it later. */
export async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    probe.close(() => {
      resolve();
    }),
  );
  return port;
}
