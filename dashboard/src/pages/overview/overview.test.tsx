import { cleanup, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../i18n';
import {
  agentItem,
  containerItem,
  filterItems,
  incidentItem,
  joinItems,
  limiter,
  probeItem,
  tiles,
  type AttentionItem,
  type Overview as Counts,
  type Probe,
} from './model';
import { AttentionRow, stateLabel, Tiles } from './parts';

const counts: Counts = {
  agents: { total: 7, byStatus: { pending: 0, online: 5, offline: 2, revoked: 0 } },
  probes: { total: 12, byState: { up: 9, down: 1, degraded: 0, pending: 0, paused: 2 }, paused: 2 },
  containers: {
    total: 4,
    byState: { created: 0, running: 2, paused: 0, restarting: 0, removing: 1, exited: 1, dead: 0 },
    byHealth: { none: 2, starting: 0, healthy: 1, unhealthy: 1 },
  },
  incidents: { open: 3, acknowledged: 0, bySeverity: { critical: 1, warning: 2, info: 0 } },
  generatedAt: '2026-01-01T00:00:00.000Z',
};

afterEach(() => {
  cleanup();
  setLocale('en');
});

describe('tiles', () => {
  it('shows the states with members and the ones watched even at 0, each linking to its filtered list', () => {
    const [agents, probes, containers, incidents] = tiles(counts);
    expect(agents?.total).toBe(7);
    expect(agents?.chips).toEqual([
      { state: 'online', count: 5, href: '/hosts?status=online' },
      { state: 'offline', count: 2, href: '/hosts?status=offline' },
    ]);
    expect(probes?.chips.map((c) => [c.state, c.count, c.href])).toEqual([
      ['up', 9, '/probes?state=up'],
      ['down', 1, '/probes?state=down'],
      ['degraded', 0, '/probes?state=degraded'],
      ['paused', 2, '/probes?state=paused'],
    ]);
    expect(containers?.chips.map((c) => [c.state, c.href])).toEqual([
      ['running', '/containers?state=running'],
      ['removing', '/containers?state=removing'],
      ['exited', '/containers?state=exited'],
      ['unhealthy', '/containers?health=unhealthy'],
    ]);
    expect(incidents?.total).toBe(3);
    expect(incidents?.chips).toEqual([{ state: 'open', count: 3, href: '/incidents?status=open' }]);
  });

  it('renders the tiles with their totals and state links', () => {
    render(() => <Tiles counts={counts} />);
    const probes = document.querySelector('[data-tile="probes"]');
    expect(probes?.querySelector('[data-total]')?.textContent).toBe('12');
    const down = probes?.querySelector('a[data-state="down"]');
    expect(down?.getAttribute('href')).toBe('/probes?state=down');
    expect(down?.textContent).toBe('1 Down');
    expect(down?.getAttribute('aria-label')).toBe('1 Down: show them');
    expect(document.querySelector('[data-tile="containers"] a[data-state="removing"]')?.textContent).toBe(
      '1 Removing',
    );
    expect(screen.getByRole('link', { name: '2 Offline: show them' }).getAttribute('href')).toBe(
      '/hosts?status=offline',
    );
  });

  it("names states in German too, including this page's own", () => {
    setLocale('de');
    expect(stateLabel('down')).toBe('Ausgefallen');
    expect(stateLabel('removing')).toBe('Wird entfernt');
    expect(stateLabel('critical')).toBe('Kritisch');
  });
});

const probe = (overrides: Partial<Probe> = {}): Probe => ({
  id: 'p1',
  name: 'shop https',
  type: 'http',
  config: {},
  secretsSet: [],
  intervalS: 30,
  timeoutMs: 5000,
  retries: 0,
  agentId: null,
  labels: { site: 'a' },
  paused: false,
  state: 'down',
  agents: [
    {
      agentId: 'a1',
      state: 'up',
      consecutiveFailures: 0,
      since: '2026-01-01T00:00:00Z',
      lastResultAt: null,
      lastLatencyMs: 5,
      lastMessage: 'ok',
    },
    {
      agentId: 'a2',
      state: 'down',
      consecutiveFailures: 3,
      since: '2026-01-01T00:05:00Z',
      lastResultAt: null,
      lastLatencyMs: null,
      lastMessage: 'timeout',
    },
    {
      agentId: 'a3',
      state: 'down',
      consecutiveFailures: 9,
      since: '2026-01-01T00:01:00Z',
      lastResultAt: null,
      lastLatencyMs: null,
      lastMessage: 'refused',
    },
  ],
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...overrides,
});

describe('attention items', () => {
  it('describes a failing probe by its longest-failing agent', () => {
    expect(probeItem(probe())).toEqual({
      kind: 'probe',
      id: 'p1',
      name: 'shop https',
      state: 'down',
      detail: 'HTTP · refused',
      since: '2026-01-01T00:01:00Z',
      href: '/probes/p1',
    });
  });

  it('describes offline agents, stopped or unhealthy containers and incidents', () => {
    const agent = {
      id: 'a1',
      name: 'web-1',
      status: 'offline' as const,
      host: { hostname: 'web-1.example' },
      lastSeenAt: '2026-01-01T00:00:00Z',
    };
    expect(agentItem(agent)).toMatchObject({
      kind: 'agent',
      state: 'offline',
      detail: 'web-1.example',
      href: '/hosts/a1',
    });
    const container = {
      id: 'c1',
      agent: { id: 'a1', name: 'web-1', status: 'online' as const },
      name: 'worker',
      image: 'shop/worker:3',
      state: 'exited' as const,
      health: 'none' as const,
      exitCode: 137,
      stateSince: '2026-01-01T00:02:00Z',
    };
    expect(containerItem(container)).toMatchObject({
      kind: 'container',
      state: 'exited',
      detail: 'web-1 · shop/worker:3 · exit code 137',
      href: '/containers/c1',
    });
    expect(containerItem({ ...container, state: 'running', health: 'unhealthy', exitCode: null }).state).toBe(
      'unhealthy',
    );
    const incident = {
      id: 'i1',
      ruleName: 'probe down',
      severity: 'critical' as const,
      title: 'shop https is down',
      openedAt: '2026-01-01T00:03:00Z',
    };
    expect(incidentItem(incident)).toMatchObject({
      kind: 'incident',
      state: 'critical',
      name: 'shop https is down',
      href: '/incidents/i1',
    });
  });

  const item = (
    kind: AttentionItem['kind'],
    id: string,
    state: string,
    since: string | null,
    name = id,
  ): AttentionItem => ({
    kind,
    id,
    name,
    state,
    detail: '',
    since,
    href: `/${id}`,
  });

  it('joins the groups without duplicates, worst first, then newest first', () => {
    const joined = joinItems([
      [
        item('probe', 'degraded-new', 'degraded', '2026-01-01T00:09:00Z'),
        item('probe', 'down-old', 'down', '2026-01-01T00:01:00Z'),
      ],
      [item('container', 'c1', 'exited', '2026-01-01T00:05:00Z')],
      [
        item('container', 'c1', 'unhealthy', '2026-01-01T00:05:00Z'),
        item('incident', 'warn', 'warning', '2026-01-01T00:08:00Z'),
      ],
      [item('agent', 'never', 'offline', null)],
    ]);
    expect(joined.map((i) => i.id)).toEqual(['c1', 'down-old', 'never', 'degraded-new', 'warn']);
  });

  it('filters by kind and by every word of the search in name, detail or state', () => {
    const items = [
      { ...item('probe', 'p', 'down', null, 'Shop HTTPS'), detail: 'HTTP · timeout' },
      item('agent', 'a', 'offline', null, 'db-1'),
    ];
    expect(filterItems(items, 'probe', '').map((i) => i.id)).toEqual(['p']);
    expect(filterItems(items, undefined, 'shop timeout').map((i) => i.id)).toEqual(['p']);
    expect(filterItems(items, undefined, 'offline').map((i) => i.id)).toEqual(['a']);
    expect(filterItems(items, 'agent', 'shop')).toEqual([]);
  });

  it('renders a row that links to the item, with its state, kind and how long ago', () => {
    const now = Date.parse('2026-01-01T00:10:00Z');
    render(() => (
      <AttentionRow
        item={{
          ...item('incident', 'i1', 'critical', '2026-01-01T00:05:00Z', 'disk full'),
          detail: 'disk rule',
        }}
        now={now}
      />
    ));
    const link = screen.getByRole('link');
    expect(link.getAttribute('href')).toBe('/i1');
    expect(link.textContent).toContain('Critical');
    expect(link.textContent).toContain('Incident');
    expect(link.textContent).toContain('disk full');
    expect(link.textContent).toContain('5 min. ago');
    expect(link.querySelector('.badge')?.className).toContain('tone-bad');
  });
});

describe('limiter', () => {
  it('runs at most n tasks at once, in order, and passes results and failures through', async () => {
    const run = limiter(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (i === 3) throw new Error('three');
      return i * 10;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => run(task(i))));
    expect(peak).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      10,
      20,
      'three',
      40,
      50,
    ]);
  });
});
