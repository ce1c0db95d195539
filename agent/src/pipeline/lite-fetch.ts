// The agent's few calls to its server (enrol, config, batches, commands) on node:http(s) instead of the
// global fetch: loading fetch (undici) costs the agent about 9 MB of memory, and these JSON calls need
// nothing it adds. The global agents keep connections alive, as fetch would.
import http from 'node:http';
import https from 'node:https';

export interface LiteResponse {
  ok: boolean;
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  /** The whole body as UTF-8; rejects when the connection breaks while it is read. */
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface LiteRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Aborting rejects with the signal's reason (a TimeoutError for AbortSignal.timeout). */
  signal?: AbortSignal;
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('request aborted');
}

/** Resolves once the status and headers are in; the body streams into text()/json(). */
export function liteFetch(url: string, init: LiteRequestInit = {}): Promise<LiteResponse> {
  return new Promise<LiteResponse>((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      reject(new TypeError(`unsupported protocol ${target.protocol}`));
      return;
    }
    const { signal } = init;
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(target, { method: init.method ?? 'GET', headers: init.headers ?? {} });
    const onAbort = () => {
      if (signal) request.destroy(abortReason(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    request.once('error', (err) => {
      done();
      reject(err);
    });
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      const body = new Promise<string>((resolveBody, rejectBody) => {
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => {
          done();
          resolveBody(Buffer.concat(chunks).toString('utf8'));
        });
        response.once('error', (err) => {
          done();
          rejectBody(err);
        });
      });
      // A body nobody reads must not become an unhandled rejection when the connection breaks.
      body.catch(() => undefined);
      const status = response.statusCode ?? 0;
      resolve({
        ok: status >= 200 && status < 300,
        status,
        statusText: response.statusMessage ?? '',
        headers: {
          get: (name) => {
            const value = response.headers[name.toLowerCase()];
            if (value === undefined) return null;
            return Array.isArray(value) ? value.join(', ') : value;
          },
        },
        text: () => body,
        json: async () => JSON.parse(await body) as unknown,
      });
    });
    request.end(init.body);
  });
}
