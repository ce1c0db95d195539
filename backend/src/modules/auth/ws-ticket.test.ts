// Where a ticket says the WebSocket is: in `emma all` the port its realtime server actually listens on
// (EMMA_WS_PORT=0 in tests, so it differs from the setting), else EMMA_WS_PORT; and EMMA_WS_PUBLIC_URL when set.
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness';
import { TestWs } from '../../../test/ws';

const servers: TestServer[] = [];

async function server(env: Record<string, string>, realtime: boolean): Promise<TestServer> {
  const t = await startTestServer(env, { serverOptions: { realtime } });
  servers.push(t);
  return t;
}

async function ticket(t: TestServer) {
  const res = await t.request('POST', '/api/v1/auth/ws-ticket', { token: await t.tokenFor() });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { ticket: string; expiresAt: string; url: string | null; port: number };
}

afterAll(async () => {
  for (const t of servers) await t.close();
});

describe('POST /api/v1/auth/ws-ticket', () => {
  it('names the port the in-process realtime server listens on, and that port takes the ticket', async () => {
    const t = await server({}, true);
    const realtime = t.server.realtime;
    if (!realtime) throw new Error('the realtime server did not start');
    expect(t.server.config.wsPort).toBe(0);
    expect(realtime.port).toBeGreaterThan(0);

    const body = await ticket(t);
    expect(body).toEqual({
      ticket: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: expect.any(String),
      url: null,
      port: realtime.port,
    });
    const ws = await TestWs.connect(`ws://127.0.0.1:${body.port}/ws?ticket=${body.ticket}`);
    await ws.sync();
    ws.close();
  });

  it('names EMMA_WS_PORT when this process runs no realtime server, and EMMA_WS_PUBLIC_URL when set', async () => {
    const api = await server({ EMMA_WS_PORT: '18081' }, false);
    expect(api.server.realtime).toBeUndefined();
    expect(await ticket(api)).toMatchObject({ url: null, port: 18081 });

    const proxied = await server(
      { EMMA_WS_PORT: '18082', EMMA_WS_PUBLIC_URL: 'wss://emma.example.test/ws' },
      false,
    );
    expect(await ticket(proxied)).toMatchObject({ url: 'wss://emma.example.test/ws', port: 18082 });
  });

  it('carries the public URL next to the bound port in `emma all`', async () => {
    const t = await server({ EMMA_WS_PUBLIC_URL: 'ws://127.0.0.1:1/ws' }, true);
    expect(await ticket(t)).toMatchObject({ url: 'ws://127.0.0.1:1/ws', port: t.server.realtime!.port });
  });
});
