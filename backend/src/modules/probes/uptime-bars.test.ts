// The uptime bars of a probe list: checks per time window for many probes in one request; and the create
// schema the dashboard builds its probe form from (a component, with secret fields write-only).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { enrolledAgent, type EnrolledAgent } from '../agents/agent-fixtures';
import { createProbe, insertResults } from './probe-fixtures';

const HOUR_MS = 3_600_000;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

let t: TestServer;
let operator: string;
let viewer: string;
let a: EnrolledAgent;
let b: EnrolledAgent;

beforeAll(async () => {
  t = await startTestServer();
  operator = (await t.userWithRole('operator')).token;
  viewer = (await t.userWithRole('viewer')).token;
  a = await enrolledAgent(t, operator, { labels: { site: 'bars' } });
  b = await enrolledAgent(t, operator, { labels: { site: 'bars' } });
});
afterAll(async () => {
  await t.close();
});

interface Bars {
  from: string;
  to: string;
  bucketMs: number;
  items: { probeId: string; buckets: { checks: number; down: number; degraded: number }[] }[];
}

function probe(name: string) {
  return { name, type: 'tcp', labels: { site: 'bars' }, config: { host: 'h', port: 1 } };
}

describe('GET /api/v1/probe-uptime-bars', () => {
  it('counts checks, down and degraded per hour of the last day, for every probe asked for, in order', async () => {
    const first = await createProbe(t, operator, probe('bars-1'));
    const second = await createProbe(t, operator, probe('bars-2'));
    const quiet = await createProbe(t, operator, probe('bars-quiet'));
    // The windows end with the current hour (they align to whole hours).
    const currentHour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    await insertResults(t, first.id, [
      { agentId: a.agentId, ts: currentHour + 1, status: 'up', latencyMs: 5 },
      { agentId: b.agentId, ts: currentHour + 2, status: 'down', latencyMs: null },
      { agentId: a.agentId, ts: currentHour - 2 * HOUR_MS + 10, status: 'degraded', latencyMs: 900 },
      { agentId: a.agentId, ts: currentHour - 2 * HOUR_MS + 20, status: 'up', latencyMs: 8 },
      // Older than the day: not counted.
      { agentId: a.agentId, ts: currentHour - 24 * HOUR_MS - 1, status: 'down', latencyMs: null },
    ]);
    await insertResults(t, second.id, [
      { agentId: a.agentId, ts: currentHour - 23 * HOUR_MS, status: 'down', latencyMs: null },
    ]);

    const ids = [second.id, UNKNOWN, first.id, quiet.id].join(',');
    const res = await t.request<Bars>('GET', `/api/v1/probe-uptime-bars?ids=${ids}`, { token: viewer });
    expect(res.status).toBe(200);
    expect(res.body.bucketMs).toBe(HOUR_MS);
    expect(Date.parse(res.body.to)).toBe(currentHour + HOUR_MS);
    expect(Date.parse(res.body.from)).toBe(currentHour - 23 * HOUR_MS);
    // The unknown id is left out; the others keep the order asked for.
    expect(res.body.items.map((i) => i.probeId)).toEqual([second.id, first.id, quiet.id]);
    const [s, f, q] = res.body.items;
    for (const item of res.body.items) expect(item.buckets).toHaveLength(24);
    expect(f!.buckets[23]).toEqual({ checks: 2, down: 1, degraded: 0 });
    expect(f!.buckets[21]).toEqual({ checks: 2, down: 0, degraded: 1 });
    expect(f!.buckets.reduce((n, bucket) => n + bucket.checks, 0)).toBe(4);
    expect(s!.buckets[0]).toEqual({ checks: 1, down: 1, degraded: 0 });
    expect(q!.buckets.every((bucket) => bucket.checks === 0)).toBe(true);
  });

  it('takes other spans and window counts', async () => {
    const one = await createProbe(t, operator, probe('bars-span'));
    const res = await t.request<Bars>('GET', `/api/v1/probe-uptime-bars?ids=${one.id}&hours=168&buckets=7`, {
      token: viewer,
    });
    expect(res.status).toBe(200);
    expect(res.body.bucketMs).toBe(24 * HOUR_MS);
    expect(res.body.items[0]!.buckets).toHaveLength(7);
  });

  it('refuses a malformed or too long id list, and callers without a token', async () => {
    // The limit counts distinct probes (a repeated id costs nothing).
    const tooMany = Array.from({ length: 201 }, () => randomUUID()).join(',');
    for (const query of [
      'ids=nope',
      'ids=',
      '',
      `ids=${tooMany}`,
      `ids=${UNKNOWN}&buckets=0`,
      `ids=${UNKNOWN}&x=1`,
    ]) {
      const res = await t.request('GET', `/api/v1/probe-uptime-bars?${query}`, { token: viewer });
      expect(res.status, query).toBe(400);
    }
    const anonymous = await t.request('GET', `/api/v1/probe-uptime-bars?ids=${UNKNOWN}`);
    expect(anonymous.status).toBe(401);
  });
});

describe('the CreateProbe component of the OpenAPI document', () => {
  interface Member {
    properties: { type: { const: string }; config: { properties: Record<string, { writeOnly?: boolean }> } };
  }

  it('is the union of every probe type, with the SQL password write-only', async () => {
    const res = await t.request<{ components: { schemas: Record<string, { oneOf?: Member[] }> } }>(
      'GET',
      '/api/v1/openapi.json',
    );
    expect(res.status).toBe(200);
    const members = res.body.components.schemas.CreateProbe?.oneOf ?? [];
    expect(members.map((m) => m.properties.type.const).sort()).toEqual(
      ['dns', 'http', 'icmp', 'sql', 'tcp', 'tls'].sort(),
    );
    const sql = members.find((m) => m.properties.type.const === 'sql')!;
    expect(sql.properties.config.properties.password!.writeOnly).toBe(true);
    expect(sql.properties.config.properties.user!.writeOnly).toBeUndefined();
  });
});
