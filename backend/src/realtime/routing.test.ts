// Every notice the services send (grep notifyChange), and where it goes.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { routeNotice } from './routing';

const [a, c, p] = [randomUUID(), randomUUID(), randomUUID()];

describe('routeNotice', () => {
  it.each([
    [{ t: 'samples', a, s: 3, n: 10 }, [`agent:${a}`], `samples:${a}`],
    [{ t: 'agent', a, status: 'offline' }, ['overview', `agent:${a}`], `agent:${a}`],
    [{ t: 'probe', p, change: 'updated' }, ['overview', `probe:${p}`], `probe:${p}`],
    [{ t: 'probe_state', p, a, from: 'up', to: 'down' }, ['overview', `probe:${p}`], `probe_state:${p}:${a}`],
    [
      { t: 'container', a, c, state: 'running', health: 'none', change: 'created' },
      ['overview', `container:${c}`, `agent:${a}`],
      `container:${c}`,
    ],
    [{ t: 'containers', a, n: 70 }, ['overview', `agent:${a}`], `containers:${a}`],
    [{ t: 'container_stats', a, n: 4 }, [`agent:${a}`], `container_stats:${a}`],
    [{ t: 'container_action', c, id: p, status: 'running' }, [`container:${c}`], `container_action:${p}`],
    [{ t: 'incident', id: 17, state: 'open' }, ['alerts'], 'incident:17'],
    [{ t: 'audit', id: 42 }, ['audit'], 'audit:42'],
  ])('%o', (notice, topics, subject) => {
    expect(routeNotice(JSON.stringify(notice))).toEqual({ change: notice, route: { topics, subject } });
  });

  it('ignores what it does not know', () => {
    for (const payload of [
      'marker-0.5',
      '[]',
      'null',
      '{"t":42}',
      '{"t":"toString","a":"x"}',
      '{"t":"unknown"}',
      JSON.stringify({ t: 'samples', a: 'not-a-uuid' }),
      JSON.stringify({ t: 'container', a }),
      JSON.stringify({ t: 'audit', id: 'x'.repeat(200) }),
      JSON.stringify({ t: 'audit', id: 1.5 }),
    ]) {
      expect(routeNotice(payload), payload).toBeUndefined();
    }
  });
});
