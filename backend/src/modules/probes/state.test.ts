// The retries rule (nextState) and the worst-of rule over a probe's agents (overallState).
import { describe, expect, it } from 'vitest';
import { nextState, overallState, type AgentProbeState, type StateSnapshot } from './state';

function run(
  start: StateSnapshot,
  results: ('up' | 'down' | 'degraded')[],
  retries: number,
): StateSnapshot[] {
  const seen: StateSnapshot[] = [];
  let current = start;
  for (const result of results) {
    current = nextState(current, result, retries);
    seen.push(current);
  }
  return seen;
}

const PENDING: StateSnapshot = { state: 'pending', consecutiveFailures: 0 };
const UP: StateSnapshot = { state: 'up', consecutiveFailures: 0 };

describe('nextState', () => {
  it('with retries 0 turns down at the first failure, from pending and from up', () => {
    expect(nextState(PENDING, 'down', 0)).toEqual({ state: 'down', consecutiveFailures: 1 });
    expect(nextState(UP, 'down', 0)).toEqual({ state: 'down', consecutiveFailures: 1 });
    expect(nextState({ state: 'degraded', consecutiveFailures: 0 }, 'down', 0)).toEqual({
      state: 'down',
      consecutiveFailures: 1,
    });
  });

  it('with retries 2 keeps the previous state for two failures and turns down at the third', () => {
    expect(run(UP, ['down', 'down', 'down', 'down'], 2)).toEqual([
      { state: 'up', consecutiveFailures: 1 },
      { state: 'up', consecutiveFailures: 2 },
      { state: 'down', consecutiveFailures: 3 },
      { state: 'down', consecutiveFailures: 4 },
    ]);
    expect(run(PENDING, ['down', 'down', 'down'], 2)).toEqual([
      { state: 'pending', consecutiveFailures: 1 },
      { state: 'pending', consecutiveFailures: 2 },
      { state: 'down', consecutiveFailures: 3 },
    ]);
    expect(run({ state: 'degraded', consecutiveFailures: 0 }, ['down', 'down'], 2)).toEqual([
      { state: 'degraded', consecutiveFailures: 1 },
      { state: 'degraded', consecutiveFailures: 2 },
    ]);
  });

  it('resets the failure count on up or degraded, so failures must be consecutive', () => {
    expect(run(UP, ['down', 'down', 'up', 'down', 'down'], 2)).toEqual([
      { state: 'up', consecutiveFailures: 1 },
      { state: 'up', consecutiveFailures: 2 },
      { state: 'up', consecutiveFailures: 0 },
      { state: 'up', consecutiveFailures: 1 },
      { state: 'up', consecutiveFailures: 2 },
    ]);
    expect(run(UP, ['down', 'down', 'degraded', 'down'], 2)).toEqual([
      { state: 'up', consecutiveFailures: 1 },
      { state: 'up', consecutiveFailures: 2 },
      { state: 'degraded', consecutiveFailures: 0 },
      { state: 'degraded', consecutiveFailures: 1 },
    ]);
  });

  it('recovers from down at the first up or degraded result', () => {
    const down: StateSnapshot = { state: 'down', consecutiveFailures: 5 };
    expect(nextState(down, 'up', 2)).toEqual({ state: 'up', consecutiveFailures: 0 });
    expect(nextState(down, 'degraded', 2)).toEqual({ state: 'degraded', consecutiveFailures: 0 });
    expect(nextState(PENDING, 'up', 0)).toEqual({ state: 'up', consecutiveFailures: 0 });
    expect(nextState(UP, 'degraded', 0)).toEqual({ state: 'degraded', consecutiveFailures: 0 });
  });
});

describe('overallState', () => {
  it('is pending when no agent reported yet', () => {
    expect(overallState([])).toBe('pending');
    expect(overallState(['pending', 'pending'])).toBe('pending');
  });

  it('is the worst state over the agents: down > degraded > up > pending, whatever the order', () => {
    const cases: [AgentProbeState[], AgentProbeState][] = [
      [['up'], 'up'],
      [['pending', 'up'], 'up'],
      [['up', 'pending'], 'up'],
      [['up', 'degraded'], 'degraded'],
      [['degraded', 'up', 'pending'], 'degraded'],
      [['up', 'down', 'degraded'], 'down'],
      [['down', 'up'], 'down'],
      [['pending', 'down'], 'down'],
    ];
    for (const [states, expected] of cases) expect(overallState(states), states.join(',')).toBe(expected);
  });
});
