// ICMP against addresses on this machine only: 127.0.0.1, and a network namespace joined by a veth pair in
// 10.200.x.x/30 (traffic stays on this host). Dropping every second echo request in the namespace (nftables)
// gives exactly 50% loss; taking its link down gives 100%. Needs root for `ip netns`; fping and ping are
// installed by scripts/ensure-test-tools.sh when missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIcmpProbe, parseFpingOutput, parsePingOutput, pingTiming } from './icmp';
import { createProbeRegistry } from './registry';
import { runProbe } from './runner';
import { agentProbe, ensureTestTools, sh } from './test-support';

const id = process.pid % 100_000;
const NS = `emma-probe-test-${id}`;
const HOST_IF = `ept${id}h`;
const PEER_IF = `ept${id}p`;
const SUBNET = `10.200.${id % 250}.${(Math.floor(id / 250) % 64) * 4}`;
const [a, b, c, d] = SUBNET.split('.').map(Number) as [number, number, number, number];
const HOST_ADDR = `${a}.${b}.${c}.${d + 1}`;
const PEER_ADDR = `${a}.${b}.${c}.${d + 2}`;

async function teardown(): Promise<void> {
  await sh('ip', ['link', 'del', HOST_IF]).catch(() => undefined);
  await sh('ip', ['netns', 'del', NS]).catch(() => undefined);
}

const inNs = (...args: string[]): Promise<string> => sh('ip', ['netns', 'exec', NS, ...args]);
const icmp = (config: Record<string, unknown>, timeoutMs = 1000) => agentProbe('icmp', config, timeoutMs);
const fpingOnly = createProbeRegistry([createIcmpProbe({ ping: '/nonexistent/ping' })]);
const pingOnly = createProbeRegistry([createIcmpProbe({ fping: '/nonexistent/fping' })]);
const neither = createProbeRegistry([
  createIcmpProbe({ fping: '/nonexistent/fping', ping: '/nonexistent/ping' }),
]);

describe('icmp probe', () => {
  beforeAll(async () => {
    await ensureTestTools();
    if (process.getuid?.() !== 0) throw new Error('the ICMP tests need root to create a network namespace');
    await teardown();
    await sh('ip', ['netns', 'add', NS]);
    await sh('ip', ['link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', PEER_IF]);
    await sh('ip', ['link', 'set', PEER_IF, 'netns', NS]);
    await sh('ip', ['addr', 'add', `${HOST_ADDR}/30`, 'dev', HOST_IF]);
    await sh('ip', ['link', 'set', HOST_IF, 'up']);
    await inNs('ip', 'addr', 'add', `${PEER_ADDR}/30`, 'dev', PEER_IF);
    await inNs('ip', 'link', 'set', PEER_IF, 'up');
  }, 300_000);
  afterAll(teardown);

  it('is up for 127.0.0.1 with round-trip times and no loss (fping)', async () => {
    const outcome = await runProbe(icmp({ host: '127.0.0.1', count: 3 }), {
      registry: fpingOnly,
    });
    expect(outcome.status).toBe('up');
    expect(outcome.message).toMatch(/^127\.0\.0\.1: 3\/3 replies, 0% loss, avg /);
    expect(outcome.details).toMatchObject({ tool: 'fping', sent: 3, received: 3, lossPercent: 0 });
    expect(outcome.latencyMs).toBe(outcome.details?.rttAvgMs);
    expect(outcome.latencyMs).toBeGreaterThan(0);
    expect(outcome.latencyMs).toBeLessThan(50);
  });

  it('reaches the namespace host over the veth pair', async () => {
    const outcome = await runProbe(icmp({ host: PEER_ADDR, count: 2 }));
    expect(outcome).toMatchObject({ status: 'up', details: { tool: 'fping', sent: 2, received: 2 } });
  });

  it('is degraded above degradedLossPercent, up below it', async () => {
    // Drop every second echo request in the namespace: exactly half the pings go unanswered.
    await inNs('nft', 'add', 'table', 'ip', 'emma_probe_test');
    await inNs(
      'nft',
      'add',
      'chain',
      'ip',
      'emma_probe_test',
      'input',
      '{ type filter hook input priority 0; policy accept; }',
    );
    await inNs(
      'nft',
      'add',
      'rule',
      'ip',
      'emma_probe_test',
      'input',
      'icmp type echo-request numgen inc mod 2 == 0 drop',
    );
    try {
      const lossy = await runProbe(icmp({ host: PEER_ADDR, count: 4 }));
      expect(lossy.status).toBe('degraded');
      expect(lossy.message).toMatch(
        new RegExp(`^packet loss: ${PEER_ADDR.replace(/\./g, '\\.')}: 2/4 replies, 50% loss`),
      );
      expect(lossy.details).toMatchObject({ sent: 4, received: 2, lossPercent: 50 });
      expect(lossy.latencyMs).toBeGreaterThan(0);
      const tolerated = await runProbe(icmp({ host: PEER_ADDR, count: 4, degradedLossPercent: 50 }));
      expect(tolerated.status).toBe('up');
      const viaPing = await runProbe(icmp({ host: PEER_ADDR, count: 4 }), {
        registry: pingOnly,
      });
      expect(viaPing).toMatchObject({ status: 'degraded', details: { tool: 'ping', sent: 4, received: 2 } });
    } finally {
      await inNs('nft', 'delete', 'table', 'ip', 'emma_probe_test');
    }
  });

  it('is down at 100% loss when the link is down, with fping and with ping', async () => {
    await inNs('ip', 'link', 'set', PEER_IF, 'down');
    try {
      const started = Date.now();
      const outcome = await runProbe(icmp({ host: PEER_ADDR, count: 3 }));
      expect(Date.now() - started).toBeLessThan(1500);
      expect(outcome).toEqual({
        status: 'down',
        latencyMs: null,
        message: `no reply from ${PEER_ADDR} (0/3 replies, 100% loss)`,
        details: expect.objectContaining({
          tool: 'fping',
          sent: 3,
          received: 0,
          lossPercent: 100,
          rttAvgMs: null,
        }),
      });
      const viaPing = await runProbe(icmp({ host: PEER_ADDR, count: 2 }), {
        registry: pingOnly,
      });
      expect(viaPing).toMatchObject({
        status: 'down',
        latencyMs: null,
        details: { tool: 'ping', lossPercent: 100 },
      });
    } finally {
      await inNs('ip', 'link', 'set', PEER_IF, 'up');
    }
  });

  it('falls back to ping when fping is missing', async () => {
    const outcome = await runProbe(icmp({ host: '127.0.0.1', count: 2 }), {
      registry: pingOnly,
    });
    expect(outcome).toMatchObject({
      status: 'up',
      details: { tool: 'ping', sent: 2, received: 2, lossPercent: 0 },
    });
    expect(outcome.latencyMs).toBeGreaterThan(0);
    const none = await runProbe(icmp({ host: '127.0.0.1' }), { registry: neither });
    expect(none).toEqual({ status: 'down', latencyMs: null, message: 'neither fping nor ping is installed' });
  });

  it('is down for a name that does not resolve and refuses option-like hosts', async () => {
    const unknown = await runProbe(icmp({ host: 'no-such-host.invalid', count: 1 }));
    expect(unknown).toEqual({
      status: 'down',
      latencyMs: null,
      message: 'cannot resolve host no-such-host.invalid',
    });
    const injected = await runProbe(icmp({ host: '-h' }));
    expect(injected).toEqual({ status: 'down', latencyMs: null, message: 'invalid host: -h' });
  });
});

describe('icmp output parsing', () => {
  it('reads fping -C output, "-" being a lost reply', () => {
    expect(parseFpingOutput('10.0.0.1 : 0.452 - 0.047 -\n', '10.0.0.1')).toEqual({
      tool: 'fping',
      sent: 4,
      received: 2,
      lossPercent: 50,
      rttMinMs: 0.047,
      rttAvgMs: 0.25,
      rttMaxMs: 0.452,
    });
    expect(parseFpingOutput('host.example : - - -\n', 'host.example')).toMatchObject({
      received: 0,
      rttAvgMs: null,
    });
    expect(parseFpingOutput("fping: can't create socket\n", 'x')).toBeUndefined();
  });

  it('reads the ping summary', () => {
    const out = `--- 127.0.0.1 ping statistics ---
3 packets transmitted, 2 received, 33.3333% packet loss, time 2003ms
rtt min/avg/max/mdev = 0.013/0.028/0.043/0.015 ms`;
    expect(parsePingOutput(out)).toEqual({
      tool: 'ping',
      sent: 3,
      received: 2,
      lossPercent: 33.3,
      rttMinMs: 0.013,
      rttAvgMs: 0.028,
      rttMaxMs: 0.043,
    });
  });

  it('fits the pings into the probe budget', () => {
    for (const [count, timeoutMs] of [
      [1, 100],
      [3, 1000],
      [10, 5000],
      [4, 1000],
      [3, 120_000],
    ] as const) {
      const fping = pingTiming(count, timeoutMs);
      expect((count - 1) * fping.periodMs + fping.replyTimeoutMs).toBeLessThanOrEqual(
        Math.max(timeoutMs, 125),
      );
      expect(fping.periodMs).toBeGreaterThanOrEqual(20);
      const ping = pingTiming(count, timeoutMs, 200);
      expect(ping.periodMs).toBeGreaterThanOrEqual(200);
    }
  });
});
