import { describe, expect, it } from 'vitest';
import {
  actionFitsState,
  actionsBlocked,
  actionSteps,
  actionTone,
  formatPort,
  hostsOf,
  listRows,
  matchesFilter,
  memPercent,
  parseStates,
  sortContainers,
  type ContainerAction,
} from './container-logic';
import { AGENT_A, AGENT_B, container } from './test-fixtures';

function action(status: ContainerAction['status']): ContainerAction {
  return {
    id: '20000000-0000-4000-8000-000000000001',
    container: { id: '10000000-0000-4000-8000-000000000001', containerId: 'abc', name: 'shop-web' },
    agentId: AGENT_A.id,
    action: 'stop',
    status,
    stopTimeoutS: 10,
    requestedBy: null,
    requestedAt: '2025-01-01T00:00:00.000Z',
    expiresAt: '2025-01-01T00:01:00.000Z',
    takenAt: null,
    finishedAt: null,
    message: null,
  };
}

describe('filtering', () => {
  it('reads a state list, ignoring unknown words and repeats', () => {
    expect(parseStates(undefined)).toEqual([]);
    expect(parseStates('running,bogus,exited,running')).toEqual(['running', 'exited']);
  });

  it('matches host, states and a search in name, image, host or id start', () => {
    const c = container();
    expect(matchesFilter(c, { states: [], q: '' })).toBe(true);
    expect(matchesFilter(c, { agentId: AGENT_B.id, states: [], q: '' })).toBe(false);
    expect(matchesFilter(c, { agentId: AGENT_A.id, states: ['running'], q: '' })).toBe(true);
    expect(matchesFilter(c, { states: ['exited', 'dead'], q: '' })).toBe(false);
    expect(matchesFilter(c, { states: [], q: 'SHOP' })).toBe(true);
    expect(matchesFilter(c, { states: [], q: 'nginx' })).toBe(true);
    expect(matchesFilter(c, { states: [], q: 'web-1' })).toBe(true);
    expect(matchesFilter(c, { states: [], q: 'abcdef01' })).toBe(true);
    expect(matchesFilter(c, { states: [], q: '0123456789' })).toBe(false);
    expect(matchesFilter(c, { states: [], q: 'redis' })).toBe(false);
  });
});

describe('grouping per host', () => {
  const list = sortContainers([
    container({ id: '1', name: 'web-2', agent: AGENT_A }),
    container({ id: '2', name: 'pg', agent: AGENT_B, state: 'exited' }),
    container({ id: '3', name: 'web-10', agent: AGENT_A, state: 'exited' }),
    container({ id: '4', name: 'redis', agent: AGENT_B }),
  ]);

  it('sorts by host name, then container name (numbers in order)', () => {
    expect(list.map((c) => c.name)).toEqual(['pg', 'redis', 'web-2', 'web-10']);
  });

  it('puts a header with counts before each host', () => {
    const rows = listRows(list, true);
    expect(
      rows.map((r) => (r.kind === 'host' ? `# ${r.agent.name} ${r.running}/${r.total}` : r.container.name)),
    ).toEqual(['# db-1 1/2', 'pg', 'redis', '# web-1 1/2', 'web-2', 'web-10']);
    expect(listRows(list, false).every((r) => r.kind === 'container')).toBe(true);
  });

  it('lists the hosts once each, by name', () => {
    expect(hostsOf(list).map((h) => h.name)).toEqual(['db-1', 'web-1']);
  });
});

describe('actions', () => {
  it('offers only actions that make sense in the state', () => {
    expect(actionFitsState('start', 'running')).toBe(false);
    expect(actionFitsState('stop', 'running')).toBe(true);
    expect(actionFitsState('restart', 'running')).toBe(true);
    expect(actionFitsState('start', 'exited')).toBe(true);
    expect(actionFitsState('stop', 'exited')).toBe(false);
    expect(actionFitsState('start', 'removing')).toBe(false);
    expect(actionFitsState('stop', 'removing')).toBe(false);
  });

  it('says why all actions are refused', () => {
    expect(actionsBlocked(container())).toBeUndefined();
    expect(actionsBlocked(container({ actionsEnabled: false }))).toBe('readOnly');
    expect(actionsBlocked(container({ actionsEnabled: false, removedAt: '2025-01-01T00:00:00Z' }))).toBe(
      'removed',
    );
    expect(
      actionsBlocked(container({ actionsEnabled: false, agent: { ...AGENT_A, status: 'revoked' } })),
    ).toBe('agentUnavailable');
  });

  it('shows the steps an action has passed', () => {
    const steps = (status: ContainerAction['status']) =>
      actionSteps(action(status)).map((s) => `${s.key}:${s.state}`);
    expect(steps('queued')).toEqual(['queued:current', 'sent:todo', 'succeeded:todo']);
    expect(steps('running')).toEqual(['queued:done', 'sent:current', 'succeeded:todo']);
    expect(steps('succeeded')).toEqual(['queued:done', 'sent:done', 'succeeded:done']);
    expect(steps('failed')).toEqual(['queued:done', 'sent:done', 'failed:failed']);
    expect(steps('expired')).toEqual(['queued:done', 'expired:failed']);
    expect(
      ['queued', 'running', 'succeeded', 'failed', 'expired'].map((s) => actionTone(s as never)),
    ).toEqual(['info', 'info', 'ok', 'bad', 'bad']);
  });
});

describe('formatting', () => {
  it('gives memory as a share of the limit only with a limit', () => {
    const stats = {
      cpuPercent: 1,
      memUsedBytes: 250,
      memLimitBytes: 1000,
      netRxBytesPerS: null,
      netTxBytesPerS: null,
      blockReadBytesPerS: null,
      blockWriteBytesPerS: null,
      pids: null,
    };
    expect(memPercent(stats)).toBe(25);
    expect(memPercent({ ...stats, memLimitBytes: null })).toBeNull();
    expect(memPercent(null)).toBeNull();
  });

  it('writes ports as the engine does', () => {
    expect(formatPort({ privatePort: 80, publicPort: 8080, type: 'tcp', ip: '0.0.0.0' })).toBe(
      '0.0.0.0:8080→80/tcp',
    );
    expect(formatPort({ privatePort: 53, type: 'udp' })).toBe('53/udp');
  });
});
