// /api/v1/alert-rules and /api/v1/maintenance-windows: the example bodies, validation with
// details, references that must exist, who may write, and the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { enrolledAgent } from '../agents/agent-fixtures';
import { createProbe, exampleHttpProbe } from '../probes/probe-fixtures';
import { channel, createRule } from './alert-fixtures';

let t: TestServer;
let operator: string;
let viewer: string;
let channelId: string;
let probeId: string;
let agentId: string;

beforeAll(async () => {
  t = await startTestServer();
  operator = (await t.userWithRole('operator')).token;
  viewer = (await t.userWithRole('viewer')).token;
  channelId = await channel(t);
  agentId = (await enrolledAgent(t, operator)).agentId;
  probeId = (await createProbe(t, operator, exampleHttpProbe({ agentId }))).id;
});
afterAll(async () => {
  await t.close();
});

function errorPaths(body: unknown): string[] {
  return (body as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
}

describe('POST /api/v1/alert-rules', () => {
  it("accepts the issue's probe_down example as it is, with defaults", async () => {
    const res = await t.request('POST', '/api/v1/alert-rules', {
      token: operator,
      body: {
        name: 'web down',
        kind: 'probe_down',
        probeId,
        severity: 'critical',
        forS: 0,
        channelIds: [channelId],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'web down',
      kind: 'probe_down',
      probeId,
      severity: 'critical',
      forS: 0,
      channelIds: [channelId],
      repeatIntervalS: 3600,
      notifyOnResolve: true,
      enabled: true,
    });
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target_type = 'alert_rule' AND target_id = $1`,
      [res.body.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['alert_rule.created']);
  });

  it("accepts the issue's metric_threshold example as it is", async () => {
    const res = await t.request('POST', '/api/v1/alert-rules', {
      token: operator,
      body: {
        name: 'cpu hot',
        kind: 'metric_threshold',
        metric: 'cpu.percent',
        op: '>',
        value: 90,
        forS: 300,
        labels: { env: 'prod' },
        channelIds: [channelId],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      metric: 'cpu.percent',
      op: '>',
      value: 90,
      forS: 300,
      labels: { env: 'prod' },
    });
    expect((await t.request('GET', `/api/v1/alert-rules/${res.body.id}`, { token: viewer })).body).toEqual(
      res.body,
    );
  });

  it('refuses a bad metric name and a bad selector with details', async () => {
    const res = await t.request('POST', '/api/v1/alert-rules', {
      token: operator,
      body: {
        name: 'x',
        kind: 'metric_threshold',
        metric: 'CPU Percent',
        op: '>',
        value: 1,
        labels: { 'Bad-Key': 'x' },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(errorPaths(res.body)).toEqual(expect.arrayContaining(['body.metric', 'body.labels.Bad-Key']));

    const empty = await t.request('POST', '/api/v1/alert-rules', {
      token: operator,
      body: { name: 'x', kind: 'agent_offline', labels: {} },
    });
    expect(empty.status).toBe(400);
    expect(errorPaths(empty.body)).toContain('body.labels');

    const unknownKind = await t.request('POST', '/api/v1/alert-rules', {
      token: operator,
      body: { name: 'x', kind: 'disk_full' },
    });
    expect(unknownKind.status).toBe(400);
    const stray = await t.request('POST', '/api/v1/alert-rules', {
      token: operator,
      body: { name: 'x', kind: 'agent_offline', metric: 'cpu.percent' },
    });
    expect(stray.status).toBe(400);
  });

  it('refuses an unknown channel, agent or probe', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const ch = await t.request('POST', '/api/v1/alert-rules', {
      token: operator,
      body: { name: 'x', kind: 'agent_offline', channelIds: [channelId, missing] },
    });
    expect(ch.status).toBe(422);
    expect(ch.body.error).toMatchObject({
      code: 'unknown_channel',
      details: [{ path: 'body.channelIds.1' }],
    });
    const agent = await t.request('POST', '/api/v1/alert-rules', {
      token: operator,
      body: { name: 'x', kind: 'agent_offline', agentId: missing },
    });
    expect(agent.body.error.code).toBe('unknown_agent');
    const probe = await t.request('POST', '/api/v1/alert-rules', {
      token: operator,
      body: { name: 'x', kind: 'probe_down', probeId: missing },
    });
    expect(probe.body.error.code).toBe('unknown_probe');
  });

  it('lets a viewer read but not write', async () => {
    const res = await t.request('POST', '/api/v1/alert-rules', {
      token: viewer,
      body: { name: 'x', kind: 'agent_offline' },
    });
    expect(res.status).toBe(403);
    expect((await t.request('GET', '/api/v1/alert-rules', { token: viewer })).status).toBe(200);
    expect((await t.request('GET', '/api/v1/incidents', { token: viewer })).status).toBe(200);
    expect((await t.request('GET', '/api/v1/maintenance-windows', { token: viewer })).status).toBe(200);
  });
});

describe('PATCH and DELETE /api/v1/alert-rules/:id', () => {
  it('changes fields, validates the result as a whole, and audits', async () => {
    const rule = await createRule(t, operator, { name: 'agents', kind: 'agent_offline', agentId });
    const res = await t.request('PATCH', `/api/v1/alert-rules/${rule.id}`, {
      token: operator,
      body: { agentId: null, labels: { env: 'prod' }, severity: 'critical' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ labels: { env: 'prod' }, severity: 'critical' });
    expect(res.body.agentId).toBeUndefined();
    const bad = await t.request('PATCH', `/api/v1/alert-rules/${rule.id}`, {
      token: operator,
      body: { agentId, forS: -1 },
    });
    expect(bad.status).toBe(400);
    expect(errorPaths(bad.body)).toEqual(expect.arrayContaining(['body.forS', 'body.agentId']));
    expect(
      (
        await t.request('PATCH', `/api/v1/alert-rules/${rule.id}`, {
          token: viewer,
          body: { enabled: false },
        })
      ).status,
    ).toBe(403);

    expect((await t.request('DELETE', `/api/v1/alert-rules/${rule.id}`, { token: operator })).status).toBe(
      204,
    );
    expect((await t.request('GET', `/api/v1/alert-rules/${rule.id}`, { token: operator })).status).toBe(404);
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target_type = 'alert_rule' AND target_id = $1 ORDER BY id`,
      [rule.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'alert_rule.created',
      'alert_rule.updated',
      'alert_rule.deleted',
    ]);
  });
});

describe('/api/v1/maintenance-windows', () => {
  it('creates one-off and cron windows, refuses bad ones, and audits', async () => {
    const now = Date.now();
    const oneOff = await t.request('POST', '/api/v1/maintenance-windows', {
      token: operator,
      body: {
        name: 'patching',
        agentId,
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
      },
    });
    expect(oneOff.status).toBe(201);
    expect(oneOff.body).toMatchObject({ name: 'patching', agentId, active: true, cron: null });

    const cron = await t.request('POST', '/api/v1/maintenance-windows', {
      token: operator,
      body: {
        name: 'nightly',
        labels: { env: 'prod' },
        cron: '0 3 * * *',
        durationS: 3600,
        reason: 'backups',
      },
    });
    expect(cron.status).toBe(201);
    expect(cron.body).toMatchObject({ cron: '0 3 * * *', durationS: 3600, labels: { env: 'prod' } });

    const badCron = await t.request('POST', '/api/v1/maintenance-windows', {
      token: operator,
      body: { name: 'x', agentId, cron: '99 * * * *', durationS: 600 },
    });
    expect(badCron.status).toBe(400);
    expect(errorPaths(badCron.body)).toContain('body.cron');
    const noScope = await t.request('POST', '/api/v1/maintenance-windows', {
      token: operator,
      body: { name: 'x', cron: '0 * * * *', durationS: 600 },
    });
    expect(noScope.status).toBe(400);
    expect(
      (
        await t.request('POST', '/api/v1/maintenance-windows', {
          token: viewer,
          body: { name: 'x', agentId, cron: '0 * * * *', durationS: 600 },
        })
      ).status,
    ).toBe(403);

    const patched = await t.request('PATCH', `/api/v1/maintenance-windows/${cron.body.id}`, {
      token: operator,
      body: { probeId },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ probeId, labels: null });
    expect(
      (await t.request('DELETE', `/api/v1/maintenance-windows/${oneOff.body.id}`, { token: operator }))
        .status,
    ).toBe(204);
    const list = await t.request<{ items: { id: string }[] }>('GET', '/api/v1/maintenance-windows', {
      token: viewer,
    });
    expect(list.body.items.map((w) => w.id)).toEqual([cron.body.id]);
    const audit = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target_type = 'maintenance_window' ORDER BY id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'maintenance_window.created',
      'maintenance_window.created',
      'maintenance_window.updated',
      'maintenance_window.deleted',
    ]);
  });
});
