// Test support for the agent and ingest suites (imported only by *.test.ts files): enrolment tokens,
// enrolled agents, batches, and raw POSTs to /api/v1/ingest (gzip bodies need a Buffer, which the
// harness' JSON client does not send).
import { gzipSync } from 'node:zlib';
import type { TestServer } from '../../../test/harness';

export const DAY_MS = 86_400_000;

export const HOST = {
  hostname: 'web-1',
  os: 'linux',
  arch: 'x64',
  cpus: 4,
  memTotalBytes: 8_000_000_000,
  agentVersion: '0.1.0',
};

export interface TokenOptions {
  name?: string;
  maxUses?: number;
  labels?: Record<string, string>;
  expiresInS?: number;
  requiresApproval?: boolean;
}

export interface CreatedToken {
  id: string;
  token: string;
}

export async function createToken(t: TestServer, userToken: string, options: TokenOptions = {}) {
  const res = await t.request<{ enrollmentToken: { id: string }; token: string }>(
    'POST',
    '/api/v1/enrollment-tokens',
    { token: userToken, body: { name: 'test token', ...options } },
  );
  if (res.status !== 201) throw new Error(`creating a token failed: ${JSON.stringify(res.body)}`);
  return { id: res.body.enrollmentToken.id, token: res.body.token };
}

export interface EnrolledAgent {
  agentId: string;
  credential: string;
  status: string;
}

export async function enrollWith(t: TestServer, token: string, hostname = HOST.hostname) {
  return t.request('POST', '/api/v1/agents/enroll', {
    body: { token, host: { ...HOST, hostname } },
  });
}

/** A fresh token and one agent enrolled with it. */
export async function enrolledAgent(
  t: TestServer,
  userToken: string,
  options: TokenOptions = {},
): Promise<EnrolledAgent> {
  const { token } = await createToken(t, userToken, options);
  const res = await enrollWith(t, token);
  if (res.status !== 201) throw new Error(`enrolment failed: ${JSON.stringify(res.body)}`);
  return res.body as EnrolledAgent;
}

export interface SeriesInput {
  metric: string;
  labels?: Record<string, string>;
  points: [number, number][];
}

export function batch(seq: number, series: SeriesInput[], extra: Record<string, unknown> = {}) {
  return { seq, sentAt: Date.now(), series, ...extra };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever each test expects
  body: any;
}

/**
 * POSTs a batch to /api/v1/ingest as the agent; `gzip` compresses it with Content-Encoding: gzip, `raw`
 * sends these bytes instead (with `contentEncoding` as their Content-Encoding, if given).
 */
export async function postIngest(
  t: TestServer,
  credential: string | undefined,
  payload: unknown,
  options: { gzip?: boolean; raw?: Buffer; contentEncoding?: string } = {},
): Promise<RawResponse> {
  const json = (): Buffer => Buffer.from(JSON.stringify(payload));
  const body = options.raw ?? (options.gzip ? gzipSync(json()) : json());
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.gzip) headers['content-encoding'] = 'gzip';
  if (options.contentEncoding) headers['content-encoding'] = options.contentEncoding;
  if (credential !== undefined) headers.authorization = `Bearer ${credential}`;
  const response = await fetch(`${t.url}/api/v1/ingest`, { method: 'POST', headers, body });
  const text = await response.text();
  const parsed: unknown = (response.headers.get('content-type') ?? '').includes('json')
    ? JSON.parse(text)
    : text;
  return { status: response.status, headers: response.headers, body: parsed };
}

export function agentGet(t: TestServer, credential: string, path: string, headers?: Record<string, string>) {
  return t.request('GET', path, { token: credential, ...(headers ? { headers } : {}) });
}

/** Samples stored for an agent, joined with their series, oldest first. */
export async function storedSamples(t: TestServer, agentId: string) {
  const result = await t.db.query<{
    metric: string;
    labels: Record<string, string>;
    ts: number;
    value: number;
  }>(
    `SELECT s.metric, s.labels, (extract(epoch FROM x.ts) * 1000)::float8 AS ts, x.value
     FROM samples x JOIN series s ON s.id = x.series_id WHERE s.agent_id = $1
     ORDER BY x.ts, s.metric, s.labels::text`,
    [agentId],
  );
  return result.rows.map((row) => ({ ...row, ts: Math.round(row.ts) }));
}

/** The ids of a list answer's items. */
export function itemIds(body: unknown): string[] {
  return (body as { items: { id: string }[] }).items.map((item) => item.id);
}

export async function agentRow(t: TestServer, agentId: string) {
  const result = await t.db.query<{
    status: string;
    credential_hash: string;
    rotate_credential: boolean;
    last_seen_at: Date | null;
    deleted_at: Date | null;
    labels: Record<string, string>;
  }>('SELECT * FROM agents WHERE id = $1', [agentId]);
  return result.rows[0];
}

export async function eventKinds(t: TestServer, agentId: string): Promise<string[]> {
  const result = await t.db.query<{ kind: string }>(
    'SELECT kind FROM agent_events WHERE agent_id = $1 ORDER BY id',
    [agentId],
  );
  return result.rows.map((row) => row.kind);
}
