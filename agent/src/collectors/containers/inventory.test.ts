import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContainerInfoSchema } from '@emma/protocol';
import { describe, expect, it } from 'vitest';
import {
  containerFromInspect,
  containerFromList,
  engineFromVersion,
  engineTime,
  listEntryId,
  mapHealth,
  mapState,
} from './inventory';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
const podman = (name: string) => fixture(`podman-4.3-cgroup-v1/${name}`);
const docker = (name: string) => fixture(`docker-cgroup-v2/${name}`);

describe('mapState', () => {
  it("maps Docker's states to themselves and Podman's to their Docker meaning", () => {
    const cases: [string | undefined, string][] = [
      ['created', 'created'],
      ['running', 'running'],
      ['paused', 'paused'],
      ['restarting', 'restarting'],
      ['removing', 'removing'],
      ['exited', 'exited'],
      ['dead', 'dead'],
      ['Running', 'running'],
      ['configured', 'created'],
      ['initialized', 'created'],
      ['stopped', 'exited'],
      ['stopping', 'running'],
      ['unknown', 'dead'],
      ['', 'dead'],
      [undefined, 'dead'],
    ];
    for (const [input, expected] of cases) expect([input, mapState(input)]).toEqual([input, expected]);
  });

  it('maps health and treats the engine zero time as no time', () => {
    expect(['starting', 'healthy', 'unhealthy', '', 'none', undefined, null].map(mapHealth)).toEqual([
      'starting',
      'healthy',
      'unhealthy',
      'none',
      'none',
      'none',
      'none',
    ]);
    expect(engineTime('0001-01-01T00:00:00Z')).toBeNull();
    expect(engineTime('')).toBeNull();
    expect(engineTime('garbage')).toBeNull();
    expect(engineTime('2026-11-26T08:43:42.663832077Z')).toBe(Date.UTC(2026, 10, 26, 8, 43, 42, 663));
  });
});

describe('containerFromInspect (Podman 4.3, captured)', () => {
  it('maps a running container with a published port and a label', () => {
    expect(containerFromInspect(podman('inspect-fx-web.json'))).toEqual({
      id: '4dc7fbdc905a184bd75b25e1277367680a5ff4b7f5a4f538155a07a5178c6905',
      name: 'fx-web',
      image: 'localhost/emma-busybox:latest',
      imageId: 'sha256:aefd7716d16b761b2087c1cb5118c9b8763cbed5d2d3861e4c8af9c514e676ef',
      command: 'httpd -f -p 80 -h /www',
      labels: { app: 'web' },
      state: 'running',
      health: 'none',
      exitCode: null,
      restartCount: 0,
      ports: [{ privatePort: 80, publicPort: 18080, type: 'tcp' }],
      createdAt: Date.parse('2026-11-26T08:43:42.296Z'),
      startedAt: Date.parse('2026-11-26T08:43:42.419Z'),
      finishedAt: null,
    });
  });

  it('maps health, a never-started and an exited container, and paused', () => {
    expect(containerFromInspect(podman('inspect-fx-health.json'))).toMatchObject({
      name: 'fx-health',
      state: 'running',
      health: 'unhealthy',
      command: 'sleep 1000',
    });
    expect(containerFromInspect(podman('inspect-fx-health-paused.json'))).toMatchObject({
      state: 'paused',
      health: 'unhealthy',
    });
    expect(containerFromInspect(podman('inspect-fx-created.json'))).toMatchObject({
      name: 'fx-created',
      state: 'created',
      exitCode: null,
      startedAt: null,
      finishedAt: null,
      ports: [],
    });
    expect(containerFromInspect(podman('inspect-fx-exit.json'))).toMatchObject({
      name: 'fx-exit',
      state: 'exited',
      exitCode: 3,
      command: 'sh -c exit 3',
      startedAt: Date.parse('2026-11-26T08:43:42.852Z'),
      finishedAt: Date.parse('2026-11-26T08:43:42.853Z'),
    });
  });

  it('produces what the protocol accepts for every captured container', () => {
    for (const name of ['web', 'busy', 'health', 'health-paused', 'created', 'exit']) {
      const info = containerFromInspect(podman(`inspect-fx-${name}.json`));
      expect(ContainerInfoSchema.safeParse(info).success).toBe(true);
    }
  });

  it('maps the list entries alone (the fallback when inspect fails) consistently', () => {
    const list = podman('list.json') as unknown[];
    expect(list.map(listEntryId)).toHaveLength(5);
    const byName = new Map(list.map((entry) => containerFromList(entry)).map((c) => [c?.name, c]));
    expect(byName.get('fx-web')).toMatchObject({
      state: 'running',
      labels: { app: 'web' },
      ports: [{ privatePort: 80, publicPort: 18080, type: 'tcp' }],
      command: 'httpd -f -p 80 -h /www',
    });
    expect(byName.get('fx-exit')).toMatchObject({ state: 'exited', exitCode: 3 });
    expect(byName.get('fx-created')).toMatchObject({ state: 'created', exitCode: null });
    // Podman's list has no health in Status: 'none' until an inspect says otherwise.
    expect(byName.get('fx-health')).toMatchObject({ state: 'running', health: 'none' });
    for (const info of byName.values()) expect(ContainerInfoSchema.safeParse(info).success).toBe(true);
  });
});

describe('containerFromInspect (Docker-shaped)', () => {
  it('maps a compose service: config image name, health starting, v4 and v6 bindings, restarts', () => {
    expect(containerFromInspect(docker('inspect-web.json'))).toEqual({
      id: '3f4e8c2a9b1d7e6f5a4c3b2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f',
      name: 'shop-web-1',
      image: 'nginx:1.25',
      imageId: 'sha256:e4720093a3c1381245b53a5a51b417963b3c4472d3f47fc301930a4f3b17666a',
      command: '/docker-entrypoint.sh nginx -g daemon off;',
      labels: {
        'com.docker.compose.project': 'shop',
        'com.docker.compose.service': 'web',
        'com.docker.compose.container-number': '1',
      },
      state: 'running',
      health: 'starting',
      exitCode: null,
      restartCount: 2,
      ports: [
        { privatePort: 443, type: 'tcp' },
        { privatePort: 80, publicPort: 8080, type: 'tcp', ip: '0.0.0.0' },
        { privatePort: 80, publicPort: 8080, type: 'tcp', ip: '::' },
      ],
      createdAt: Date.parse('2024-05-14T09:58:00.123Z'),
      startedAt: Date.parse('2024-05-14T09:59:30.5Z'),
      finishedAt: Date.parse('2024-05-14T09:59:29.25Z'),
    });
  });

  it('maps an OOM-killed container: exit code 137, null labels, no ports', () => {
    expect(containerFromInspect(docker('inspect-db-oom.json'))).toMatchObject({
      name: 'shop-db-1',
      image: 'postgres:16',
      state: 'exited',
      exitCode: 137,
      labels: {},
      ports: [],
      health: 'none',
    });
  });

  it("reads health and exit codes from Docker's list Status", () => {
    const [web, db] = (docker('list.json') as unknown[]).map((entry) => containerFromList(entry));
    expect(web).toMatchObject({ health: 'starting', state: 'running', createdAt: 1715680680000 });
    expect(web?.ports).toEqual([
      { privatePort: 80, publicPort: 8080, type: 'tcp', ip: '0.0.0.0' },
      { privatePort: 80, publicPort: 8080, type: 'tcp', ip: '::' },
      { privatePort: 443, type: 'tcp' },
    ]);
    expect(db).toMatchObject({ state: 'exited', exitCode: 137 });
    const unhealthy = containerFromList({
      Id: 'a'.repeat(64),
      Names: ['/x'],
      State: 'running',
      Status: 'Up 1 minute (unhealthy)',
    });
    expect(unhealthy?.health).toBe('unhealthy');
  });

  it('trims what the server would refuse, and skips entries without a usable id', () => {
    const labels: Record<string, string> = { ['k'.repeat(300)]: 'dropped', long: 'v'.repeat(5000) };
    for (let i = 0; i < 250; i++) labels[`l${i}`] = String(i);
    const info = containerFromInspect({
      Id: 'b'.repeat(64),
      Name: '/',
      Config: { Image: 'i'.repeat(600), Labels: labels },
      State: { Status: 'running' },
    });
    expect(info?.name).toBe('bbbbbbbbbbbb');
    expect(info?.image).toHaveLength(512);
    expect(Object.keys(info?.labels ?? {})).toHaveLength(200);
    expect(info?.labels?.long).toHaveLength(4096);
    expect(ContainerInfoSchema.safeParse(info).success).toBe(true);
    expect(containerFromInspect({ Id: 'not-an-id' })).toBeUndefined();
    expect(containerFromInspect(null)).toBeUndefined();
    expect(containerFromList('x')).toBeUndefined();
  });
});

describe('engineFromVersion', () => {
  it('names Podman and Docker engines', () => {
    expect(engineFromVersion(podman('version.json'))).toEqual({
      name: 'Podman Engine',
      version: '4.3.1',
      apiVersion: '1.41',
    });
    expect(engineFromVersion(docker('version.json'))).toEqual({
      name: 'Docker Engine - Community',
      version: '26.1.3',
      apiVersion: '1.45',
    });
    expect(engineFromVersion({})).toEqual({ name: 'Docker Engine', version: 'unknown' });
  });
});
