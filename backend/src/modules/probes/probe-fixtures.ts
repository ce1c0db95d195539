// Test support for the probe suites (imported only by *.test.ts files): probes created through the API,
// probe results posted by agents, rows inserted straight into probe_results, and a LISTEN client that
// collects the emma_changes notifications.
import pg from 'pg';
import type { ProbeResult, ProbeResultStatus } from '@emma/protocol';
import type { TestServer } from '../../../test/harness';
import { agentGet, batch, postIngest } from '../agents/agent-fixtures';
import { dayStart } from '../ingest/partitions';

/** The body of the issue, as it is; `placement` is `{ agentId }` or `{ labels }`. */
export function exampleHttpProbe(placement: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    name: 'intranet',
    type: 'http',
    intervalS: 30,
    timeoutMs: 5000,
    retries: 2,
    ...placement,
    config: { url: 'https://intranet.example', expectStatus: '200-299', keyword: 'OK' },
    ...extra,
  };
}

export interface ProbeBody {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  secretsSet: string[];
  intervalS: number;
  timeoutMs: number;
  retries: number;
  agentId: string | null;
  labels: Record<string, string> | null;
  paused: boolean;
  state: string;
  agents: {
    agentId: string;
    state: string;
    consecutiveFailures: number;
    since: string;
    lastResultAt: string | null;
    lastLatencyMs: number | null;
    lastMessage: string | null;
  }[];
  createdAt: string;
  updatedAt: string;
}

/** POSTs a probe and returns it; throws unless the answer is 201. */
export async function createProbe(t: TestServer, token: string, body: unknown): Promise<ProbeBody> {
  const res = await t.request<ProbeBody>('POST', '/api/v1/probes', { token, body });
  if (res.status !== 201) throw new Error(`creating a probe failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function getProbe(t: TestServer, token: string, id: string): Promise<ProbeBody> {
  const res = await t.request<ProbeBody>('GET', `/api/v1/probes/${id}`, { token });
  if (res.status !== 200) throw new Error(`reading probe ${id} failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

export function probeResult(
  probeId: string,
  status: ProbeResultStatus,
  ts: number,
  latencyMs: number | null = 12,
  message = `check ${status}`,
): ProbeResult {
  return { probeId, ts, status, latencyMs, message };
}

/** Posts a batch without series, only these probe results, as the agent. */
export function postResults(t: TestServer, credential: string, seq: number, results: ProbeResult[]) {
  return postIngest(t, credential, batch(seq, [], { probeResults: results }));
}

export interface AgentProbeBody {
  id: string;
  name: string;
  intervalS: number;
  timeoutMs: number;
  type: string;
  config: Record<string, unknown>;
}

/** The probes in the agent's configuration pull. */
export async function agentProbes(t: TestServer, credential: string): Promise<AgentProbeBody[]> {
  const res = await agentGet(t, credential, '/api/v1/agents/self/config');
  if (res.status !== 200) throw new Error(`config pull failed: ${JSON.stringify(res.body)}`);
  return (res.body as { probes: AgentProbeBody[] }).probes;
}

export async function agentProbeIds(t: TestServer, credential: string): Promise<string[]> {
  return (await agentProbes(t, credential)).map((p) => p.id).sort();
}

export interface StoredResult {
  agent_id: string;
  ts: number;
  status: string;
  latency_ms: number | null;
  message: string;
}

/** Rows of probe_results for a probe, oldest first, ts in epoch ms. */
export async function storedResults(t: TestServer, probeId: string): Promise<StoredResult[]> {
  const result = await t.db.query<StoredResult>(
    `SELECT agent_id, (extract(epoch FROM ts) * 1000)::float8 AS ts, status, latency_ms, message
     FROM probe_results WHERE probe_id = $1 ORDER BY ts, agent_id`,
    [probeId],
  );
  return result.rows.map((row) => ({ ...row, ts: Math.round(row.ts) }));
}

export async function storedEvents(t: TestServer, probeId: string) {
  const result = await t.db.query<{ agent_id: string | null; from_state: string; to_state: string }>(
    'SELECT agent_id, from_state, to_state FROM probe_events WHERE probe_id = $1 ORDER BY id',
    [probeId],
  );
  return result.rows;
}

export async function stateRow(t: TestServer, probeId: string, agentId: string) {
  const result = await t.db.query<{ state: string; consecutive_failures: number }>(
    'SELECT state, consecutive_failures FROM probe_states WHERE probe_id = $1 AND agent_id = $2',
    [probeId, agentId],
  );
  return result.rows[0];
}

export interface ResultRow {
  agentId: string;
  ts: number;
  status: ProbeResultStatus;
  latencyMs: number | null;
  message?: string;
}

/** Inserts results straight into probe_results (creating the day partitions they need). */
export async function insertResults(t: TestServer, probeId: string, rows: ResultRow[]): Promise<void> {
  await t.server.partitions.ensureDays(rows.map((r) => dayStart(r.ts)));
  await t.db.query(
    `INSERT INTO probe_results (probe_id, agent_id, ts, status, latency_ms, message)
     SELECT $1, a, to_timestamp(ts / 1000.0), s, l, m
     FROM unnest($2::uuid[], $3::float8[], $4::text[], $5::float8[], $6::text[]) AS u(a, ts, s, l, m)`,
    [
      probeId,
      rows.map((r) => r.agentId),
      rows.map((r) => r.ts),
      rows.map((r) => r.status),
      rows.map((r) => r.latencyMs),
      rows.map((r) => r.message ?? r.status),
    ],
  );
}

export interface AuditRow {
  action: string;
  actor_id: string | null;
  actor_email: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export async function auditRows(t: TestServer, probeId: string): Promise<AuditRow[]> {
  const result = await t.db.query<AuditRow>(
    `SELECT action, actor_id, actor_email, before, after FROM audit_log
     WHERE target_type = 'probe' AND target_id = $1 ORDER BY id`,
    [probeId],
  );
  return result.rows;
}

/** A LISTEN emma_changes client on its own connection, collecting every payload. */
export class ChangeListener {
  readonly payloads: string[] = [];
  private readonly client: pg.Client;

  private constructor(private readonly t: TestServer) {
    this.client = new pg.Client({ connectionString: t.databaseUrl });
  }

  static async start(t: TestServer): Promise<ChangeListener> {
    const listener = new ChangeListener(t);
    await listener.client.connect();
    listener.client.on('notification', (msg) => {
      listener.payloads.push(msg.payload ?? '');
    });
    await listener.client.query('LISTEN emma_changes');
    return listener;
  }

  /** Waits until a NOTIFY sent now has arrived: everything committed before it has arrived too. */
  async drain(): Promise<void> {
    const marker = `marker-${Math.random()}`;
    await this.t.db.query('SELECT pg_notify($1, $2)', ['emma_changes', marker]);
    const deadline = Date.now() + 5000;
    while (!this.payloads.includes(marker)) {
      if (Date.now() > deadline) throw new Error('the marker notification never arrived');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** The parsed probe_state notices for a probe, in arrival order. */
  probeStates(probeId: string): Record<string, unknown>[] {
    return this.payloads
      .filter((p) => p.startsWith('{'))
      .map((p) => JSON.parse(p) as Record<string, unknown>)
      .filter((p) => p.t === 'probe_state' && p.p === probeId);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
