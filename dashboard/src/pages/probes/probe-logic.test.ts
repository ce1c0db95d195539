import { describe, expect, it } from 'vitest';
import {
  bucketTone,
  lastResultAt,
  matchesProbe,
  probeTarget,
  sortProbes,
  uptimePercent,
  worstLatency,
  type Probe,
} from './probe-logic';

function probe(overrides: Partial<Probe> = {}): Probe {
  return {
    id: '30000000-0000-4000-8000-000000000001',
    name: 'shop',
    type: 'http',
    config: { url: 'https://shop.example' },
    secretsSet: [],
    intervalS: 60,
    timeoutMs: 5000,
    retries: 0,
    agentId: null,
    labels: { site: 'berlin' },
    paused: false,
    state: 'up',
    agents: [],
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function agent(lastLatencyMs: number | null, lastResultAt: string | null): Probe['agents'][number] {
  return {
    agentId: '00000000-0000-4000-8000-00000000000a',
    state: 'up',
    consecutiveFailures: 0,
    since: '2025-01-01T00:00:00.000Z',
    lastResultAt,
    lastLatencyMs,
    lastMessage: null,
  };
}

describe('probeTarget', () => {
  it('reads the target from any config without knowing the type', () => {
    expect(probeTarget(probe())).toBe('https://shop.example');
    expect(probeTarget({ config: { host: 'db', port: 5432 } })).toBe('db:5432');
    expect(probeTarget({ config: { host: '10.0.0.1' } })).toBe('10.0.0.1');
    expect(probeTarget({ config: { name: 'example.com', recordType: 'MX' } })).toBe('example.com');
    expect(probeTarget({ config: {} })).toBe('');
  });
});

describe('filter and order', () => {
  it('filters by state, type and a search in name or target', () => {
    const p = probe();
    expect(matchesProbe(p, { q: '' })).toBe(true);
    expect(matchesProbe(p, { state: 'down', q: '' })).toBe(false);
    expect(matchesProbe(p, { type: 'tcp', q: '' })).toBe(false);
    expect(matchesProbe(p, { state: 'up', type: 'http', q: 'SHOP.EX' })).toBe(true);
    expect(matchesProbe(p, { q: 'intranet' })).toBe(false);
  });

  it('puts problems first, then sorts by name', () => {
    const list = sortProbes([
      probe({ id: '1', name: 'b', state: 'up' }),
      probe({ id: '2', name: 'a', state: 'paused' }),
      probe({ id: '3', name: 'c', state: 'down' }),
      probe({ id: '4', name: 'a', state: 'up' }),
      probe({ id: '5', name: 'z', state: 'degraded' }),
    ]);
    expect(list.map((p) => `${p.state}:${p.name}`)).toEqual([
      'down:c',
      'degraded:z',
      'up:a',
      'up:b',
      'paused:a',
    ]);
  });
});

describe('agents', () => {
  it('takes the slowest latency and the newest result over the agents', () => {
    const p = probe({
      agents: [
        agent(12, '2025-01-01T00:00:05.000Z'),
        agent(80, '2025-01-01T00:00:01.000Z'),
        agent(null, null),
      ],
    });
    expect(worstLatency(p)).toBe(80);
    expect(lastResultAt(p)).toBe('2025-01-01T00:00:05.000Z');
    expect(worstLatency(probe())).toBeNull();
    expect(lastResultAt(probe())).toBeNull();
  });
});

describe('uptime bars', () => {
  it('colours a window by its checks', () => {
    expect(bucketTone({ checks: 0, down: 0, degraded: 0 })).toBe('none');
    expect(bucketTone({ checks: 5, down: 0, degraded: 0 })).toBe('ok');
    expect(bucketTone({ checks: 5, down: 1, degraded: 0 })).toBe('warn');
    expect(bucketTone({ checks: 5, down: 0, degraded: 2 })).toBe('warn');
    expect(bucketTone({ checks: 5, down: 5, degraded: 0 })).toBe('bad');
  });

  it('computes uptime with degraded counted as up', () => {
    expect(
      uptimePercent([
        { checks: 3, down: 1, degraded: 1 },
        { checks: 1, down: 0, degraded: 0 },
        { checks: 0, down: 0, degraded: 0 },
      ]),
    ).toBe(75);
    expect(uptimePercent([{ checks: 0, down: 0, degraded: 0 }])).toBeNull();
  });
});
