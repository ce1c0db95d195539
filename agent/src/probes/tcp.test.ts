import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from './runner';
import { agentProbe, closedPort } from './test-support';

describe('tcp probe', () => {
  let server: net.Server;
  let port = 0;
  let accepted = 0;

  beforeAll(async () => {
    server = net.createServer((socket) => {
      accepted += 1;
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('is up when the port accepts, with the connect time', async () => {
    const before = accepted;
    const outcome = await runProbe(agentProbe('tcp', { host: '127.0.0.1', port }));
    expect(outcome.status).toBe('up');
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
    expect(outcome.latencyMs).toBeLessThan(1000);
    expect(outcome.message).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${port} in `));
    expect(outcome.details).toMatchObject({ remoteAddress: '127.0.0.1', remotePort: port });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(accepted).toBe(before + 1);
  });

  it('is down when nothing listens', async () => {
    const port = await closedPort();
    const outcome = await runProbe(agentProbe('tcp', { host: '127.0.0.1', port }));
    expect(outcome).toEqual({
      status: 'down',
      latencyMs: null,
      message: `connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('is down with a readable message when the name does not resolve', async () => {
    const outcome = await runProbe(agentProbe('tcp', { host: 'no-such-host.invalid', port: 80 }));
    expect(outcome.status).toBe('down');
    expect(outcome.message).toMatch(/no-such-host\.invalid/);
  });
});
