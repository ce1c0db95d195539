// The notification REST API: channel CRUD (admin only), secrets write-only and encrypted, audit rows, the
// test endpoint and the deliveries it records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../../../test/harness';
import { startReceiver, type Receiver } from './receiver-fixtures';
import { openSecrets } from './secrets';

let t: TestServer;
let admin: string;
let operator: string;
let viewer: string;
let receiver: Receiver;

const SLACK_PATH = '/services/T0/B0/Sl4ck-s3cret-path';

beforeAll(async () => {
  t = await startTestServer();
  admin = await t.tokenFor();
  operator = (await t.userWithRole('operator')).token;
  viewer = (await t.userWithRole('viewer')).token;
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

const slackBody = () => ({
  name: 'ops slack',
  type: 'slack',
  config: { url: `${receiver.url}${SLACK_PATH}` },
});

async function auditRows(targetId: string) {
  const rows = await t.db.query<{ action: string; text: string }>(
    `SELECT action, row_to_json(a)::text AS text FROM audit_log a WHERE target_id = $1 ORDER BY id`,
    [targetId],
  );
  return rows.rows;
}

describe('notification channels', () => {
  it('an admin creates, reads, changes and deletes one, each change audited', async () => {
    const created = await t.request('POST', '/api/v1/notification-channels', {
      token: admin,
      body: {
        name: 'ops mail',
        type: 'email',
        config: { host: 'smtp.example', port: 587, secure: false, from: 'emma@example', to: ['ops@example'] },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'ops mail',
      type: 'email',
      enabled: true,
      config: { host: 'smtp.example', port: 587, secure: false, from: 'emma@example', to: ['ops@example'] },
      secretsSet: [],
    });
    const id = created.body.id as string;

    const one = await t.request('GET', `/api/v1/notification-channels/${id}`, { token: viewer });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(created.body);
    const list = await t.request('GET', '/api/v1/notification-channels?type=email', { token: operator });
    expect(list.status).toBe(200);
    expect((list.body.items as { id: string }[]).map((c) => c.id)).toContain(id);

    const changed = await t.request('PATCH', `/api/v1/notification-channels/${id}`, {
      token: admin,
      body: { name: 'ops mail 2', enabled: false },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'ops mail 2', enabled: false });

    const bad = await t.request('PATCH', `/api/v1/notification-channels/${id}`, {
      token: admin,
      body: { config: { host: 'smtp.example' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');

    const deleted = await t.request('DELETE', `/api/v1/notification-channels/${id}`, { token: admin });
    expect(deleted.status).toBe(204);
    expect((await t.request('GET', `/api/v1/notification-channels/${id}`, { token: admin })).status).toBe(
      404,
    );
    expect((await auditRows(id)).map((r) => r.action)).toEqual([
      'notification_channel.created',
      'notification_channel.updated',
      'notification_channel.deleted',
    ]);
  });

  it('refuses an invalid config with details, and an unknown type', async () => {
    const invalid = await t.request('POST', '/api/v1/notification-channels', {
      token: admin,
      body: { name: 'x', type: 'slack', config: { url: 'not a url' } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details[0].path).toMatch(/^body\.config/);
    const unknown = await t.request('POST', '/api/v1/notification-channels', {
      token: admin,
      body: { name: 'x', type: 'fax', config: {} },
    });
    expect(unknown.status).toBe(400);
  });

  it('cannot be written or tested by an operator or a viewer', async () => {
    const channel = await t.request('POST', '/api/v1/notification-channels', {
      token: admin,
      body: slackBody(),
    });
    for (const token of [operator, viewer]) {
      const calls = [
        t.request('POST', '/api/v1/notification-channels', { token, body: slackBody() }),
        t.request('PATCH', `/api/v1/notification-channels/${channel.body.id}`, {
          token,
          body: { name: 'n' },
        }),
        t.request('DELETE', `/api/v1/notification-channels/${channel.body.id}`, { token }),
        t.request('POST', `/api/v1/notification-channels/${channel.body.id}/test`, { token }),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(403);
        expect(res.body.error.details.required).toBe('channels:write');
      }
    }
    expect((await t.request('GET', '/api/v1/notification-channels')).status).toBe(401);
  });

  it('never return secrets, store them encrypted, keep them out of the audit trail and across changes', async () => {
    const created = await t.request('POST', '/api/v1/notification-channels', {
      token: admin,
      body: {
        name: 'hook',
        type: 'webhook',
        config: {
          url: `${receiver.url}/hook`,
          secret: 'hmac-s3cret-value',
          headers: { 'X-Key': 'h3ader-s3cret' },
        },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.config).toEqual({ url: `${receiver.url}/hook` });
    expect(created.body.secretsSet).toEqual(['headers', 'secret']);
    const slack = await t.request('POST', '/api/v1/notification-channels', {
      token: admin,
      body: slackBody(),
    });
    expect(slack.body.config).toEqual({});
    expect(slack.body.secretsSet).toEqual(['url']);

    const renamed = await t.request('PATCH', `/api/v1/notification-channels/${created.body.id}`, {
      token: admin,
      body: { config: { url: `${receiver.url}/hook2` } },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.secretsSet).toEqual(['headers', 'secret']);

    const everything = [
      created.body,
      slack.body,
      renamed.body,
      (await t.request('GET', '/api/v1/notification-channels', { token: admin })).body,
    ];
    const text = JSON.stringify(everything);
    for (const secret of ['hmac-s3cret-value', 'h3ader-s3cret', 'Sl4ck-s3cret-path']) {
      expect(text).not.toContain(secret);
    }
    const stored = await t.db.query<{ row: string; secret_config: string }>(
      `SELECT row_to_json(c)::text AS row, secret_config FROM notification_channels c WHERE id = $1`,
      [created.body.id],
    );
    expect(stored.rows[0]!.row).not.toContain('hmac-s3cret-value');
    expect(openSecrets(TEST_JWT_SECRET, stored.rows[0]!.secret_config)).toEqual({
      secret: 'hmac-s3cret-value',
      headers: { 'X-Key': 'h3ader-s3cret' },
    });
    const audit = (await auditRows(created.body.id as string)).map((r) => r.text).join(' ');
    expect(audit).not.toContain('hmac-s3cret-value');
    expect(audit).not.toContain('h3ader-s3cret');

    // The secret kept across the config change still signs.
    const test = await t.request('POST', `/api/v1/notification-channels/${created.body.id}/test`, {
      token: admin,
    });
    expect(test.body.status).toBe('succeeded');
    const req = receiver.requests.at(-1)!;
    expect(req.path).toBe('/hook2');
    expect(req.headers['x-key']).toBe('h3ader-s3cret');
    expect(req.headers['x-emma-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});

describe('POST /api/v1/notification-channels/:id/test', () => {
  it('sends now and answers the recorded delivery with its attempt', async () => {
    const channel = await t.request('POST', '/api/v1/notification-channels', {
      token: admin,
      body: slackBody(),
    });
    const before = receiver.requests.length;
    const res = await t.request('POST', `/api/v1/notification-channels/${channel.body.id}/test`, {
      token: admin,
    });
    expect(res.status).toBe(200);
    expect(receiver.requests.length).toBe(before + 1);
    expect(receiver.requests.at(-1)!.path).toBe(SLACK_PATH);
    expect(res.body).toMatchObject({
      channelId: channel.body.id,
      channelName: 'ops slack',
      event: 'test',
      incidentId: null,
      status: 'succeeded',
      attempts: 1,
      lastError: null,
      lastStatusCode: 200,
      attemptLog: [{ attempt: 1, ok: true, statusCode: 200, error: null }],
    });
    expect(res.body.sentAt).not.toBeNull();
    const again = await t.request('GET', `/api/v1/notification-deliveries/${res.body.id}`, { token: viewer });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect((await auditRows(channel.body.id as string)).map((r) => r.action)).toContain(
      'notification_channel.tested',
    );
  });

  it('records a failure with its error and status, without the secret URL', async () => {
    const channel = await t.request('POST', '/api/v1/notification-channels', {
      token: admin,
      body: slackBody(),
    });
    receiver.respond = () => 500;
    try {
      const res = await t.request('POST', `/api/v1/notification-channels/${channel.body.id}/test`, {
        token: admin,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'failed', lastStatusCode: 500, attempts: 1 });
      expect(res.body.lastError).toMatch(/^HTTP 500/);
      expect(JSON.stringify(res.body)).not.toContain('Sl4ck-s3cret-path');
    } finally {
      receiver.respond = () => 200;
    }
    const failed = await t.request(
      'GET',
      `/api/v1/notification-deliveries?channelId=${channel.body.id}&status=failed`,
      { token: viewer },
    );
    expect(failed.status).toBe(200);
    expect(failed.body.total).toBe(1);
    expect(failed.body.items[0]).toMatchObject({ status: 'failed', event: 'test', severity: 'info' });
  });

  it('answers 404 for an unknown channel and 409 for a disabled one', async () => {
    const missing = await t.request(
      'POST',
      '/api/v1/notification-channels/00000000-0000-4000-8000-000000000000/test',
      {
        token: admin,
      },
    );
    expect(missing.status).toBe(404);
    const channel = await t.request('POST', '/api/v1/notification-channels', {
      token: admin,
      body: { ...slackBody(), enabled: false },
    });
    const disabled = await t.request('POST', `/api/v1/notification-channels/${channel.body.id}/test`, {
      token: admin,
    });
    expect(disabled.status).toBe(409);
    expect(
      (
        await t.request('GET', '/api/v1/notification-deliveries/00000000-0000-4000-8000-000000000000', {
          token: admin,
        })
      ).status,
    ).toBe(404);
  });
});
