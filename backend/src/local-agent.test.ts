// Which container settings `emma all` hands to its local agent.
import { describe, expect, it } from 'vitest';
import { localAgentContainerEnv } from './local-agent';

describe('localAgentContainerEnv', () => {
  it('passes the agent container settings on and leaves everything else out', () => {
    expect(
      localAgentContainerEnv({
        EMMA_DOCKER: 'on',
        EMMA_DOCKER_SOCKET: '/run/podman/podman.sock',
        EMMA_CONTAINER_ACTIONS: 'false',
        EMMA_INVENTORY_FULL_S: '60',
        EMMA_JWT_SECRET: 'not for the agent',
        DOCKER_HOST: 'tcp://10.0.0.2:2375',
      }),
    ).toEqual({
      EMMA_DOCKER: 'on',
      EMMA_DOCKER_SOCKET: '/run/podman/podman.sock',
      EMMA_CONTAINER_ACTIONS: 'false',
      EMMA_INVENTORY_FULL_S: '60',
      DOCKER_HOST: 'tcp://10.0.0.2:2375',
    });
  });

  it('drops a DOCKER_HOST the agent cannot use instead of failing the server', () => {
    expect(localAgentContainerEnv({ DOCKER_HOST: 'ssh://me@host', EMMA_DOCKER: '' })).toEqual({});
  });
});
