// Containers as the API answers them, for the component and logic tests.
import type { Container } from './container-logic';

export const AGENT_A = {
  id: '00000000-0000-4000-8000-00000000000a',
  name: 'web-1',
  status: 'online' as const,
};
export const AGENT_B = {
  id: '00000000-0000-4000-8000-00000000000b',
  name: 'db-1',
  status: 'offline' as const,
};

export function container(overrides: Partial<Container> = {}): Container {
  return {
    id: '10000000-0000-4000-8000-000000000001',
    containerId: 'abcdef0123456789'.repeat(4),
    agent: AGENT_A,
    name: 'shop-web',
    image: 'nginx:1.27',
    labels: {},
    state: 'running',
    health: 'none',
    exitCode: null,
    restartCount: 0,
    ports: [],
    createdAt: null,
    startedAt: null,
    finishedAt: null,
    stateSince: '2025-01-01T00:00:00.000Z',
    stats: null,
    statsAt: null,
    removedAt: null,
    actionsEnabled: true,
    ...overrides,
  };
}
