// The real agent process against the real server: enrol, deliver, survive a server outage, restart with
// its identity, and stop clearly when refused. Every sample must arrive exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../backend/test/harness';
import { until } from '../../test-support/until';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

interface AgentProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startAgent(env: Record<string, string>): AgentProcess {
  let output = '';
  const child = spawn(TSX, [path.join(ROOT, 'agent/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, EMMA_INTERVAL_S: '1', EMMA_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      resolve(code);
    });
  });
  return { child, output: () => output, exited };
}

async function stopAgent(agent: AgentProcess): Promise<void> {
  if (agent.child.exitCode !== null) return;
  agent.child.kill('SIGTERM');
  await agent.exited;
}

let t: TestServer;
let stateRoot: string;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  t = await startTestServer();
  stateRoot = await mkdtemp(path.join(os.tmpdir(), 'emma-agent-e2e-'));
});
afterAll(async () => {
  await Promise.all(agents.map(stopAgent));
  await t.close();
  await rm(stateRoot, { recursive: true, force: true });
});

async function enrollmentToken(body: Record<string, unknown> = {}): Promise<string> {
  const admin = await t.tokenFor();
  const created = await t.request('POST', '/api/v1/enrollment-tokens', {
    token: admin,
    body: { name: 'e2e', ...body },
  });
  expect(created.status).toBe(201);
  return created.body.token as string;
}

async function lastSeq(agentId: string): Promise<number> {
  const result = await t.db.query<{ last_seq: number }>('SELECT last_seq FROM agents WHERE id = $1', [
    agentId,
  ]);
  return result.rows[0]?.last_seq ?? 0;
}

describe('the agent process', () => {
  it('delivers every sample exactly once across a server outage and an agent restart', async () => {
    const stateDir = path.join(stateRoot, 'outage');
    const env = { EMMA_URL: t.url, EMMA_STATE_DIR: stateDir };
    let agent = startAgent({ ...env, EMMA_ENROLL_TOKEN: await enrollmentToken() });
    agents.push(agent);
    const state = await until('enrolment', async () =>
      readFile(path.join(stateDir, 'agent.json'), 'utf8').then(
        (text) => JSON.parse(text) as { agentId: string; credential: string },
        () => undefined,
      ),
    );
    expect(state.credential).toMatch(/^emmaag_/);
    await until('three batches', async () => ((await lastSeq(state.agentId)) >= 3 ? true : undefined));

    // The server goes away for a few intervals; the agent must spool and replay in order.
    const port = new URL(t.url).port;
    const databaseUrl = t.databaseUrl;
    await t.close();
    const downAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const upAt = Date.now();
    t = await startTestServer({ EMMA_HTTP_PORT: port }, { databaseUrl });
    await until('the spool to drain', async () => {
      const seq = await lastSeq(state.agentId);
      const spooled = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM ingest_batches WHERE agent_id = $1',
        [state.agentId],
      );
      return seq >= 8 && spooled.rows[0]?.n === seq ? seq : undefined;
    });
    expect(agent.output()).toContain('spool');

    // A restart keeps the identity (no token) and continues the sequence. (Stopping hands on the open
    // batch, so the sequence is read only once the first process is gone.)
    await stopAgent(agent);
    const seqBeforeRestart = await lastSeq(state.agentId);
    agent = startAgent(env);
    agents.push(agent);
    await until('batches after the restart', async () =>
      (await lastSeq(state.agentId)) >= seqBeforeRestart + 2 ? true : undefined,
    );
    await stopAgent(agent);
    expect(agent.output()).toContain(state.agentId);

    const agentsRows = await t.db.query('SELECT id FROM agents');
    expect(agentsRows.rowCount).toBe(1);
    const batches = await t.db.query<{ seq: number; samples: number }>(
      'SELECT seq, samples FROM ingest_batches WHERE agent_id = $1 ORDER BY seq',
      [state.agentId],
    );
    const seqs = batches.rows.map((row) => row.seq);
    // Strictly increasing, nothing lost in the outage: every batch from the first to the last is there.
    expect(seqs.length).toBeGreaterThanOrEqual(8);
    // What the agent collected while the server was down arrived after it came back.
    const duringOutage = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples s JOIN series r ON r.id = s.series_id
       WHERE r.agent_id = $1 AND r.metric = 'mem.total.bytes' AND s.ts > $2 AND s.ts < $3`,
      [state.agentId, new Date(downAt + 500), new Date(upAt - 500)],
    );
    expect(duringOutage.rows[0]?.n).toBeGreaterThanOrEqual(2);
    expect(new Set(seqs).size).toBe(seqs.length);
    const duplicates = await t.db.query(
      `SELECT s.series_id, s.ts FROM samples s JOIN series r ON r.id = s.series_id
       WHERE r.agent_id = $1 GROUP BY 1, 2 HAVING count(*) > 1`,
      [state.agentId],
    );
    expect(duplicates.rowCount).toBe(0);
    // One memory reading per collected batch: samples of a series match the batches that carried it.
    const memPoints = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples s JOIN series r ON r.id = s.series_id
       WHERE r.agent_id = $1 AND r.metric = 'mem.total.bytes'`,
      [state.agentId],
    );
    const batchesWithData = batches.rows.filter((row) => row.samples > 0).length;
    expect(memPoints.rows[0]?.n).toBe(batchesWithData);
    const gaps = seqs.filter((seq, i) => i > 0 && seq !== (seqs[i - 1] ?? 0) + 1);
    // Sequence numbers are reserved in blocks, so a restart may skip ahead once; never more.
    expect(gaps.length).toBeLessThanOrEqual(1);
  }, 90_000);

  it('stops with exit code 78 and a clear message when its enrolment token is used up', async () => {
    const token = await enrollmentToken({ maxUses: 1 });
    const first = startAgent({
      EMMA_URL: t.url,
      EMMA_STATE_DIR: path.join(stateRoot, 'a'),
      EMMA_ENROLL_TOKEN: token,
    });
    agents.push(first);
    await until('the first enrolment', () =>
      first.output().includes('"msg":"enrolled"') ? true : undefined,
    );
    const second = startAgent({
      EMMA_URL: t.url,
      EMMA_STATE_DIR: path.join(stateRoot, 'b'),
      EMMA_ENROLL_TOKEN: token,
    });
    agents.push(second);
    expect(await second.exited).toBe(78);
    expect(second.output()).toMatch(/used as often as allowed.*enrollment_token_used_up/);
    await stopAgent(first);
  }, 60_000);

  it('stops with exit code 78 when it is revoked', async () => {
    const stateDir = path.join(stateRoot, 'revoked');
    const agent = startAgent({
      EMMA_URL: t.url,
      EMMA_STATE_DIR: stateDir,
      EMMA_ENROLL_TOKEN: await enrollmentToken(),
    });
    agents.push(agent);
    const state = await until('enrolment', async () =>
      readFile(path.join(stateDir, 'agent.json'), 'utf8').then(
        (text) => JSON.parse(text) as { agentId: string },
        () => undefined,
      ),
    );
    await until('a batch', async () => ((await lastSeq(state.agentId)) >= 1 ? true : undefined));
    const admin = await t.tokenFor();
    const revoked = await t.request('POST', `/api/v1/agents/${state.agentId}/revoke`, { token: admin });
    expect(revoked.status).toBe(200);
    expect(await agent.exited).toBe(78);
    expect(agent.output()).toContain('agent_revoked');
  }, 60_000);

  it('runs the probes the server assigns and reports their state', async () => {
    // A real HTTP target that can be switched from healthy to failing.
    let healthy = true;
    const target: Server = createServer((_req, res) => {
      res.writeHead(healthy ? 200 : 503).end(healthy ? 'all OK' : 'maintenance');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}/health`;
    try {
      const stateDir = path.join(stateRoot, 'probes');
      const agent = startAgent({
        EMMA_URL: t.url,
        EMMA_STATE_DIR: stateDir,
        EMMA_ENROLL_TOKEN: await enrollmentToken(),
        EMMA_CONFIG_PULL_S: '5',
      });
      agents.push(agent);
      const state = await until('enrolment', async () =>
        readFile(path.join(stateDir, 'agent.json'), 'utf8').then(
          (text) => JSON.parse(text) as { agentId: string },
          () => undefined,
        ),
      );
      const admin = await t.tokenFor();
      const created = await t.request('POST', '/api/v1/probes', {
        token: admin,
        body: {
          name: 'local web',
          type: 'http',
          intervalS: 5,
          timeoutMs: 2000,
          retries: 0,
          agentId: state.agentId,
          config: { url: targetUrl, expectStatus: '200-299', keyword: 'OK' },
        },
      });
      expect(created.status).toBe(201);
      const probeId = created.body.id as string;
      const probeState = async (wanted: string) => {
        const probe = await t.request('GET', `/api/v1/probes/${probeId}`, { token: admin });
        return probe.body.state === wanted ? (probe.body as { state: string }) : undefined;
      };
      // The probe reaches the agent with its next configuration pull, runs, and its result arrives.
      await until('the probe to be up', () => probeState('up'), 40_000);
      healthy = false;
      await until('the probe to be down', () => probeState('down'), 40_000);
      const results = await t.request('GET', `/api/v1/probes/${probeId}/results`, { token: admin });
      const statuses = (results.body.items as { status: string; message: string }[]).map((r) => r.status);
      expect(statuses).toContain('up');
      expect(statuses).toContain('down');
      const events = await t.request('GET', `/api/v1/probes/${probeId}/events`, { token: admin });
      expect((events.body.items as { to: string }[]).map((e) => e.to)).toEqual(['down', 'up']);
      await stopAgent(agent);
    } finally {
      await new Promise((resolve) => target.close(resolve));
    }
  }, 120_000);
});
