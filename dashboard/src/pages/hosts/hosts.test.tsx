import { cleanup, render } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n';
import { hostCharts, MAX_INSTANCES } from './charts';
import {
  countByStatus,
  filterAgents,
  later,
  patchAgents,
  seenAgo,
  summarize,
  ThrottledTopics,
  usageTone,
  type Agent,
  type LatestItem,
} from './model';
import { UsageMeter } from './parts';
import type { Series } from '../../lib/series';

function agent(name: string, overrides: Partial<Agent> = {}): Agent {
  return {
    id: `id-${name}`,
    name,
    labels: {},
    status: 'online',
    host: { hostname: `${name}.example`, agentVersion: '0.1.0' },
    intervalS: 10,
    lastSeenAt: null,
    lastSeq: 0,
    droppedBatches: 0,
    approvedAt: null,
    rotateCredential: false,
    enrollmentTokenId: null,
    containers: { engine: null, actionsEnabled: null, reportedAt: null },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    deletedAt: null,
    ...overrides,
  };
}

const item = (
  agentId: string,
  metric: string,
  value: number,
  labels: Record<string, string> = {},
  ts = '2026-01-01T00:00:10.000Z',
): LatestItem => ({
  agentId,
  metric,
  labels,
  value,
  ts,
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  setLocale('en');
});

describe('summarize', () => {
  it('gives CPU, memory in % and the fullest mount per agent, with the newest time', () => {
    const summaries = summarize([
      item('a', 'cpu.percent', 12.5),
      item('a', 'mem.used.bytes', 3, {}, '2026-01-01T00:00:20.000Z'),
      item('a', 'mem.total.bytes', 4),
      item('a', 'fs.used.bytes', 50, { mount: '/' }),
      item('a', 'fs.total.bytes', 100, { mount: '/' }),
      item('a', 'fs.used.bytes', 90, { mount: '/data' }),
      item('a', 'fs.total.bytes', 100, { mount: '/data' }),
      // A mount without its total cannot be a percentage.
      item('a', 'fs.used.bytes', 999, { mount: '/odd' }),
      item('b', 'mem.used.bytes', 1),
      item('b', 'mem.total.bytes', 0),
    ]);
    expect(summaries.get('a')).toEqual({
      cpuPercent: 12.5,
      memPercent: 75,
      diskPercent: 90,
      diskMount: '/data',
      ts: '2026-01-01T00:00:20.000Z',
    });
    expect(summaries.get('b')).toEqual({ ts: '2026-01-01T00:00:10.000Z' });
    expect(summaries.has('c')).toBe(false);
  });

  it('marks levels: ok below 75 %, warn from 75 %, bad from 90 %', () => {
    expect([undefined, 10, 75, 89.9, 90].map(usageTone)).toEqual(['muted', 'ok', 'warn', 'warn', 'bad']);
  });
});

describe('filtering and patching the list', () => {
  const list = [
    agent('web-10', { labels: { site: 'fra' } }),
    agent('web-2', { status: 'offline' }),
    agent('db-1', { status: 'pending', host: { hostname: 'postgres.internal' } }),
  ];

  it('filters by status and every search word (name, hostname, label), ordered by name with numbers', () => {
    expect(filterAgents(list, undefined, '').map((a) => a.name)).toEqual(['db-1', 'web-2', 'web-10']);
    expect(filterAgents(list, 'offline', '').map((a) => a.name)).toEqual(['web-2']);
    expect(filterAgents(list, undefined, 'WEB').map((a) => a.name)).toEqual(['web-2', 'web-10']);
    expect(filterAgents(list, undefined, 'postgres').map((a) => a.name)).toEqual(['db-1']);
    expect(filterAgents(list, undefined, 'site=fra web').map((a) => a.name)).toEqual(['web-10']);
    expect(filterAgents(list, 'online', 'postgres')).toEqual([]);
    expect(countByStatus(list)).toEqual({ online: 1, offline: 1, pending: 1, revoked: 0 });
  });

  it('replaces a changed agent, adds a new one and drops a deleted or gone one', () => {
    const changed = agent('web-2', { status: 'online' });
    expect(patchAgents(list, changed.id, changed).map((a) => a.status)).toEqual([
      'online',
      'online',
      'pending',
    ]);
    expect(patchAgents(list, 'id-new', agent('new')).map((a) => a.name)).toEqual([
      'web-10',
      'web-2',
      'db-1',
      'new',
    ]);
    expect(patchAgents(list, 'id-db-1', null).map((a) => a.name)).toEqual(['web-10', 'web-2']);
    const deleted = agent('web-10', { deletedAt: '2026-01-02T00:00:00.000Z' });
    expect(patchAgents(list, deleted.id, deleted).map((a) => a.name)).toEqual(['web-2', 'db-1']);
  });

  it('tells how long ago an agent was seen, a time ahead of the clock as now', () => {
    const now = Date.parse('2026-01-01T00:10:00Z');
    expect(seenAgo('2026-01-01T00:09:30Z', now)).toBe('30 sec. ago');
    expect(seenAgo('2026-01-01T00:10:02Z', now)).toBe('now');
  });

  it('takes the later of two times', () => {
    expect(later(null, undefined)).toBeUndefined();
    expect(later('2026-01-01T00:00:00Z', null)).toBe('2026-01-01T00:00:00Z');
    expect(later('2026-01-01T00:00:00Z', '2026-01-01T00:00:05Z')).toBe('2026-01-01T00:00:05Z');
  });
});

describe('ThrottledTopics', () => {
  it('changes at most perTick subscriptions per tick, unsubscribing first, until it matches', () => {
    vi.useFakeTimers();
    const subscribed = new Set<string>();
    const log: string[] = [];
    const topics = new ThrottledTopics(
      (topic) => {
        subscribed.add(topic);
        log.push(`+${topic}`);
        return () => {
          subscribed.delete(topic);
          log.push(`-${topic}`);
        };
      },
      3,
      1000,
    );
    topics.set(['a', 'b', 'c', 'd', 'e']);
    expect([...subscribed]).toEqual(['a', 'b', 'c']);
    // A change within the tick waits for it.
    topics.set(['c', 'd', 'e', 'f']);
    expect(log).toHaveLength(3);
    vi.advanceTimersByTime(1000);
    expect(log.slice(3)).toEqual(['-a', '-b', '+d']);
    vi.advanceTimersByTime(1000);
    expect(log.slice(6)).toEqual(['+e', '+f']);
    expect(topics.active.sort()).toEqual(['c', 'd', 'e', 'f']);
    vi.advanceTimersByTime(5000);
    expect(log).toHaveLength(8);
    topics.close();
    expect(subscribed.size).toBe(0);
  });
});

describe('hostCharts', () => {
  const s = (metric: string, points: [number, number][], labels: Record<string, string> = {}): Series => ({
    metric,
    labels,
    points,
    truncated: false,
  });

  it('groups CPU modes, memory, disk % per mount, and the busiest devices and interfaces without lo', () => {
    const nets = Array.from({ length: MAX_INSTANCES + 2 }, (_, i) => [
      s('net.rx.bytes_per_s', [[1000, (i + 1) * 100]], { iface: `veth${i}` }),
      s('net.tx.bytes_per_s', [[1000, 1]], { iface: `veth${i}` }),
    ]).flat();
    const charts = hostCharts([
      s('cpu.percent', [[1000, 40]]),
      s('cpu.user.percent', [[1000, 25]]),
      s('cpu.iowait.percent', [[1000, 5]]),
      s('mem.used.bytes', [[1000, 2]]),
      s('mem.total.bytes', [[1000, 8]]),
      s('fs.used.bytes', [[1000, 30]], { mount: '/var' }),
      s('fs.total.bytes', [[1000, 60]], { mount: '/var' }),
      s('fs.used.bytes', [[1000, 1]], { mount: '/' }),
      s('fs.total.bytes', [[1000, 4]], { mount: '/' }),
      s('disk.read.bytes_per_s', [[1000, 7]], { device: 'sda' }),
      s('disk.write.bytes_per_s', [[1000, 9]], { device: 'sda' }),
      s('net.rx.bytes_per_s', [[1000, 1e9]], { iface: 'lo' }),
      ...nets,
    ]);
    const byKey = Object.fromEntries(charts.map((c) => [c.key, c]));
    expect(byKey.cpu?.series.map((x) => x.label)).toEqual(['busy', 'user', 'iowait']);
    expect(byKey.cpu?.data).toEqual([[1], [40], [25], [5]]);
    expect(byKey.memory?.series.map((x) => x.label)).toEqual(['used', 'total']);
    expect(byKey.disk?.series.map((x) => x.label)).toEqual(['/', '/var']);
    expect(byKey.disk?.data).toEqual([[1], [25], [50]]);
    expect(byKey.diskio?.series.map((x) => x.label)).toEqual(['sda read', 'sda write']);
    const labels = byKey.network?.series.map((x) => x.label) ?? [];
    expect(labels).not.toContain('lo in');
    expect(labels).toHaveLength(MAX_INSTANCES * 2);
    expect(labels).toContain('veth5 in');
    expect(labels).not.toContain('veth0 in');
    expect(byKey.network?.hidden).toBe(2);
    expect(byKey.cpu?.format(12.345)).toBe('12.3 %');
  });

  it('has empty charts (nothing to draw) without data, with titles in the current language', () => {
    setLocale('de');
    const charts = hostCharts([]);
    expect(charts.map((c) => c.data[0].length)).toEqual([0, 0, 0, 0, 0]);
    expect(charts.map((c) => c.title)).toEqual([
      'CPU',
      'Arbeitsspeicher',
      'Plattenbelegung je Mount',
      'Platten-I/O',
      'Netzwerk',
    ]);
  });
});

describe('UsageMeter', () => {
  it('shows the percentage with a bar of that width in the tone of its level', () => {
    const { container } = render(() => <UsageMeter value={93.4} title="/data" />);
    const meter = container.querySelector('.usage');
    expect(meter?.className).toContain('usage-bad');
    expect(meter?.getAttribute('title')).toBe('/data');
    expect(meter?.textContent).toBe('93 %');
    expect((meter?.querySelector('.usage-bar > span') as HTMLElement).style.width).toBe('93.4%');
    cleanup();
    const { container: none } = render(() => <UsageMeter value={undefined} />);
    expect(none.textContent).toBe('–');
    expect(none.querySelector('.usage')?.className).toContain('usage-muted');
  });
});
