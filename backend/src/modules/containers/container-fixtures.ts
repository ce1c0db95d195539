// Test support for the container suites (imported only by *.test.ts files): engine ids, inventory
// reports, batches with container data posted as an agent, agent command polls, and rows read back.
import { randomBytes } from 'node:crypto';
import type { ContainerInfo, ContainerStats } from '@emma/protocol';
import type { TestServer } from '../../../test/harness';
import { batch, enrolledAgent, postIngest, type EnrolledAgent } from '../agents/agent-fixtures';

/** A random engine id (64 hex digits), optionally starting with `prefix`. */
export function engineId(prefix = ''): string {
  return (prefix + randomBytes(32).toString('hex')).slice(0, 64);
}

export function containerInfo(id: string, overrides: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id,
    name: `app-${id.slice(0, 6)}`,
    image: 'nginx:1.27',
    labels: { 'com.docker.compose.project': 'shop' },
    state: 'running',
    health: 'none',
    exitCode: null,
    restartCount: 0,
    ports: [{ privatePort: 80, publicPort: 8080, type: 'tcp', ip: '0.0.0.0' }],
    createdAt: Date.now() - 60_000,
    startedAt: Date.now() - 50_000,
    finishedAt: null,
    ...overrides,
  };
}

export interface InventoryOptions {
  full?: boolean;
  actionsEnabled?: boolean;
  removed?: string[];
  engine?: { name: string; version: string; apiVersion?: string };
}

export function inventory(at: number, containers: ContainerInfo[], options: InventoryOptions = {}) {
  return {
    at,
    full: options.full ?? true,
    actionsEnabled: options.actionsEnabled ?? true,
    ...(options.engine ? { engine: options.engine } : {}),
    containers,
    removed: options.removed ?? [],
  };
}

export function stats(id: string, ts: number, overrides: Partial<ContainerStats> = {}): ContainerStats {
  return {
    id,
    ts,
    cpuPercent: 12.5,
    memUsedBytes: 50_000_000,
    memLimitBytes: 1_000_000_000,
    netRxBytesPerS: 1000,
    netTxBytesPerS: 2000,
    blockReadBytesPerS: null,
    blockWriteBytesPerS: 10,
    pids: 4,
    ...overrides,
  };
}

/** An agent and its batch counter: post() sends the next seq with these container fields. */
export class ContainerAgent {
  private seq = 0;

  constructor(
    private readonly t: TestServer,
    readonly agent: EnrolledAgent,
  ) {}

  static async enrol(t: TestServer, userToken: string): Promise<ContainerAgent> {
    return new ContainerAgent(t, await enrolledAgent(t, userToken));
  }

  get id(): string {
    return this.agent.agentId;
  }

  get credential(): string {
    return this.agent.credential;
  }

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** Posts the next batch with these fields (containers, containerEvents, containerStats …); expects 200. */
  async post(fields: Record<string, unknown>) {
    const res = await postIngest(this.t, this.credential, batch(this.nextSeq(), [], fields));
    if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { accepted: boolean; duplicate: boolean; samples: number; rejectedSamples: number };
  }

  /** Reports these containers (a full report unless said otherwise). */
  report(containers: ContainerInfo[], options: InventoryOptions & { at?: number } = {}) {
    return this.post({ containers: inventory(options.at ?? Date.now(), containers, options) });
  }

  /** GET /api/v1/agents/self/commands as this agent. */
  poll(waitS = 0, signal?: AbortSignal) {
    return fetch(`${this.t.url}/api/v1/agents/self/commands?waitS=${waitS}`, {
      headers: { authorization: `Bearer ${this.credential}` },
      ...(signal ? { signal } : {}),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as PollBody }));
  }

  result(id: string, body: Record<string, unknown>) {
    return this.t.request('POST', `/api/v1/agents/self/commands/${id}/result`, {
      token: this.credential,
      body,
    });
  }
}

export interface PollBody {
  commands: {
    id: string;
    kind: string;
    containerId: string;
    action: string;
    stopTimeoutS: number;
    expiresAt: number;
  }[];
}

export interface ContainerRowBody {
  id: string;
  name: string;
  state: string;
  health: string;
  exit_code: number | null;
  restart_count: number;
  state_since: Date;
  reported_at: Date;
  removed_at: Date | null;
  stats: Record<string, unknown> | null;
  stats_at: Date | null;
  labels: Record<string, string>;
}

export async function containerRow(t: TestServer, agentId: string, containerId: string) {
  const result = await t.db.query<ContainerRowBody>(
    'SELECT * FROM containers WHERE agent_id = $1 AND container_id = $2',
    [agentId, containerId],
  );
  return result.rows[0];
}

/** History rows of a container, oldest first. */
export async function historyOf(t: TestServer, containerRef: string) {
  const result = await t.db.query<{
    action: string;
    state: string | null;
    health: string | null;
    exit_code: number | null;
    message: string | null;
    ts: Date;
  }>(
    `SELECT action, state, health, exit_code, message, ts FROM container_events WHERE container_ref = $1
     ORDER BY ts, action`,
    [containerRef],
  );
  return result.rows;
}

export async function auditOf(t: TestServer, containerRef: string) {
  const result = await t.db.query<{
    action: string;
    actor_id: string | null;
    actor_email: string | null;
    after: Record<string, unknown> | null;
  }>(
    `SELECT action, actor_id, actor_email, after FROM audit_log
     WHERE target_type = 'container' AND target_id = $1 ORDER BY id`,
    [containerRef],
  );
  return result.rows;
}
