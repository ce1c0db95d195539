import net from 'node:net';
import { TcpProbeConfigSchema, type AgentProbe } from '@emma/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbeRegistry } from './registry';
import { runProbe } from './runner';
import { agentProbe } from './test-support';
import { defineProbe, type ProbeContext } from './types';

const seen: { ctx?: ProbeContext; abortedAt?: number } = {};

/** Test plug-ins: real code paths through the runner, with behaviour chosen by the config's port. */
const behaviours = defineProbe({
  type: 'tcp',
  schema: TcpProbeConfigSchema,
  secrets: (config) => [`secret-${config.port}`],
  run(config, ctx) {
    seen.ctx = ctx;
    ctx.signal.addEventListener('abort', () => {
      seen.abortedAt = Date.now();
    });
    switch (config.port) {
      case 1: // never settles and ignores its signal
        return new Promise(() => undefined);
      case 2:
        return Promise.reject(new Error(`boom with secret-${config.port} inside`));
      case 3:
        return Promise.resolve({
          status: 'up',
          latencyMs: 1.23456789,
          message: `fine, secret-${config.port}`,
          details: { nested: { list: [`secret-${config.port}`] } },
        });
      case 4:
        return Promise.resolve({ status: 'up', latencyMs: 1, message: 'x'.repeat(5000) });
      default: // honours the signal
        return new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => {
            reject(new Error('aborted by signal'));
          });
        });
    }
  },
});
const registry = createProbeRegistry([behaviours]);
const tcp = (port: number, timeoutMs = 5000): AgentProbe => agentProbe('tcp', { host: 'h', port }, timeoutMs);

describe('runProbe', () => {
  it('turns an invalid config into down with the schema error, without running', async () => {
    const probe = { ...tcp(5), config: { host: '', port: 70_000 } } as unknown as AgentProbe;
    seen.ctx = undefined;
    const outcome = await runProbe(probe, { registry });
    expect(outcome).toMatchObject({ status: 'down', latencyMs: null });
    expect(outcome.message).toMatch(/^invalid tcp probe config: .*port/);
    expect(seen.ctx).toBeUndefined();
  });

  it('reports an unknown type as down', async () => {
    const outcome = await runProbe(agentProbe('http', { url: 'http://127.0.0.1/' }), { registry });
    expect(outcome).toEqual({ status: 'down', latencyMs: null, message: 'no probe plug-in for type "http"' });
  });

  it('times out a probe that ignores its signal, and aborts the signal it was given', async () => {
    const started = Date.now();
    const outcome = await runProbe(tcp(1, 150), { registry });
    const took = Date.now() - started;
    expect(outcome).toEqual({ status: 'down', latencyMs: null, message: 'timed out after 150 ms' });
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1000);
    expect(seen.ctx?.timeoutMs).toBe(150);
    expect(seen.ctx?.signal.aborted).toBe(true);
    expect(seen.abortedAt).toBeDefined();
  });

  it('turns a throw into down with the message, scrubbed of the probe secrets', async () => {
    const outcome = await runProbe(tcp(2), { registry });
    expect(outcome).toEqual({ status: 'down', latencyMs: null, message: 'boom with *** inside' });
  });

  it('passes outcomes through, scrubbing secrets everywhere and rounding latency', async () => {
    const outcome = await runProbe(tcp(3), { registry });
    expect(outcome).toEqual({
      status: 'up',
      latencyMs: 1.235,
      message: 'fine, ***',
      details: { nested: { list: ['***'] } },
    });
    expect(JSON.stringify(outcome)).not.toContain('secret-3');
  });

  it('clips messages to the protocol limit', async () => {
    const outcome = await runProbe(tcp(4), { registry });
    expect(outcome.message.length).toBe(2000);
  });

  it('stops when the caller cancels', async () => {
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 50);
    const outcome = await runProbe(tcp(5, 10_000), { registry, signal: controller.signal });
    expect(outcome).toEqual({ status: 'down', latencyMs: null, message: 'cancelled' });
  });

  describe('with the real registry', () => {
    let server: net.Server;
    let port = 0;
    beforeAll(async () => {
      server = net.createServer((socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as net.AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('runs the plug-in registered for the type', async () => {
      const outcome = await runProbe(agentProbe('tcp', { host: '127.0.0.1', port }));
      expect(outcome.status).toBe('up');
      expect(outcome.message).toContain(`127.0.0.1:${port}`);
    });
  });
});
