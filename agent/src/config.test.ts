import { describe, expect, it } from 'vitest';
import { dockerEndpoint, loadAgentSettings } from './config';

const base = { EMMA_URL: 'https://emma.example.com/' };

describe('container settings', () => {
  it('defaults: watch Docker when it answers, actions on, full inventory every 5 min', () => {
    expect(loadAgentSettings(base)).toMatchObject({
      serverUrl: 'https://emma.example.com',
      docker: 'auto',
      dockerEndpoint: { socketPath: '/var/run/docker.sock' },
      containerActions: true,
      inventoryFullS: 300,
      statsConcurrency: 4,
      commandWaitS: 25,
    });
  });

  it('takes an empty value as unset, as compose passes settings left out of .env', () => {
    const settings = loadAgentSettings({
      ...base,
      EMMA_AGENT_NAME: '',
      EMMA_INTERVAL_S: '',
      EMMA_DOCKER: '',
      EMMA_DOCKER_SOCKET: '',
    });
    expect(settings).toMatchObject({
      docker: 'auto',
      dockerEndpoint: { socketPath: '/var/run/docker.sock' },
    });
    expect(settings.name).toBeUndefined();
    expect(() => loadAgentSettings({ ...base, EMMA_AGENT_NAME: 'x'.repeat(201) })).toThrow(/EMMA_AGENT_NAME/);
  });

  it('reads every container setting and refuses values out of range', () => {
    expect(
      loadAgentSettings({
        ...base,
        EMMA_DOCKER: 'On',
        EMMA_DOCKER_SOCKET: '/run/podman/podman.sock',
        EMMA_CONTAINER_ACTIONS: 'FALSE',
        EMMA_INVENTORY_FULL_S: '30',
        EMMA_STATS_CONCURRENCY: '64',
        EMMA_COMMAND_WAIT_S: '1',
      }),
    ).toMatchObject({
      docker: 'on',
      dockerEndpoint: { socketPath: '/run/podman/podman.sock' },
      containerActions: false,
      inventoryFullS: 30,
      statsConcurrency: 64,
      commandWaitS: 1,
    });
    for (const [key, value] of [
      ['EMMA_DOCKER', 'maybe'],
      ['EMMA_CONTAINER_ACTIONS', 'sometimes'],
      ['EMMA_INVENTORY_FULL_S', '29'],
      ['EMMA_STATS_CONCURRENCY', '0'],
      ['EMMA_STATS_CONCURRENCY', '65'],
      ['EMMA_COMMAND_WAIT_S', '31'],
    ] as const) {
      expect(() => loadAgentSettings({ ...base, [key]: value }), `${key}=${value}`).toThrow(key);
    }
  });

  it('takes the engine from EMMA_DOCKER_SOCKET, else DOCKER_HOST, else the default socket', () => {
    expect(dockerEndpoint('/tmp/x.sock', 'tcp://10.0.0.1:2375')).toEqual({ socketPath: '/tmp/x.sock' });
    expect(dockerEndpoint('unix:///tmp/y.sock', undefined)).toEqual({ socketPath: '/tmp/y.sock' });
    expect(dockerEndpoint(undefined, 'unix:///run/user/1000/docker.sock')).toEqual({
      socketPath: '/run/user/1000/docker.sock',
    });
    expect(dockerEndpoint(undefined, 'tcp://docker.internal:2375')).toEqual({
      host: 'docker.internal',
      port: 2375,
    });
    expect(dockerEndpoint(undefined, 'tcp://[::1]:2376')).toEqual({ host: '::1', port: 2376 });
    expect(dockerEndpoint(undefined, '')).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(() => dockerEndpoint(undefined, 'ssh://me@host')).toThrow('DOCKER_HOST');
    expect(() => dockerEndpoint(undefined, 'tcp://host')).toThrow('DOCKER_HOST');
    expect(() => loadAgentSettings({ ...base, DOCKER_HOST: 'nonsense' })).toThrow('DOCKER_HOST');
    // With Docker off, a DOCKER_HOST meant for something else does not stop the agent.
    expect(loadAgentSettings({ ...base, EMMA_DOCKER: 'off', DOCKER_HOST: 'nonsense' }).docker).toBe('off');
  });
});
