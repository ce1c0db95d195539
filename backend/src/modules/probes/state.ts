// The retries rule, as a pure function: a probe becomes `down` only after more consecutive failures than
// its retries allow, so one lost packet does not page anybody.
import type { ProbeResultStatus } from '@emma/protocol';

export type AgentProbeState = 'up' | 'down' | 'degraded' | 'pending';

export interface StateSnapshot {
  state: AgentProbeState;
  consecutiveFailures: number;
}

export function nextState(current: StateSnapshot, result: ProbeResultStatus, retries: number): StateSnapshot {
  if (result === 'down') {
    const failures = current.consecutiveFailures + 1;
    return { state: failures > retries ? 'down' : current.state, consecutiveFailures: failures };
  }
  return { state: result, consecutiveFailures: 0 };
}

const SEVERITY: Record<AgentProbeState, number> = { pending: 0, up: 1, degraded: 2, down: 3 };

/** A probe run by several agents is as bad as its worst agent; pending only when no agent reported yet. */
export function overallState(states: AgentProbeState[]): AgentProbeState {
  let worst: AgentProbeState = 'pending';
  for (const state of states) if (SEVERITY[state] > SEVERITY[worst]) worst = state;
  return worst;
}
