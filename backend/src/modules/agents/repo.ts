import type { AgentStatus, HostFacts, Labels } from '@emma/protocol';
import { onlyRow, type Db } from '../../db/pool';
import { containing, page, Where } from '../../db/where';

export interface EnrollmentTokenRow {
  id: string;
  name: string;
  token_hash: string;
  labels: Record<string, string>;
  max_uses: number;
  uses: number;
  requires_approval: boolean;
  expires_at: Date;
  created_by: string | null;
  revoked_at: Date | null;
  created_at: Date;
}

const TOKEN_COLUMNS = `id, name, token_hash, labels, max_uses, uses, requires_approval, expires_at, created_by,
  revoked_at, created_at`;

export async function insertEnrollmentToken(
  db: Db,
  token: {
    id: string;
    name: string;
    tokenHash: string;
    labels: Labels;
    maxUses: number;
    requiresApproval: boolean;
    expiresInS: number;
    createdBy: string | null;
  },
): Promise<EnrollmentTokenRow> {
  const result = await db.query<EnrollmentTokenRow>(
    `INSERT INTO enrollment_tokens (id, name, token_hash, labels, max_uses, requires_approval, expires_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7), $8) RETURNING ${TOKEN_COLUMNS}`,
    [
      token.id,
      token.name,
      token.tokenHash,
      JSON.stringify(token.labels),
      token.maxUses,
      token.requiresApproval,
      token.expiresInS,
      token.createdBy,
    ],
  );
  return onlyRow(result);
}

export async function listEnrollmentTokens(db: Db): Promise<EnrollmentTokenRow[]> {
  const result = await db.query<EnrollmentTokenRow>(
    `SELECT ${TOKEN_COLUMNS} FROM enrollment_tokens WHERE deleted_at IS NULL ORDER BY created_at DESC LIMIT 1000`,
  );
  return result.rows;
}

export async function findEnrollmentToken(
  db: Db,
  id: string,
  forUpdate = false,
  includeDeleted = false,
): Promise<EnrollmentTokenRow | undefined> {
  const result = await db.query<EnrollmentTokenRow>(
    `SELECT ${TOKEN_COLUMNS} FROM enrollment_tokens WHERE id = $1 ${includeDeleted ? '' : 'AND deleted_at IS NULL'}
     ${forUpdate ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return result.rows[0];
}

/**
 * The token whose secret hashes to `tokenHash`, deleted (revoked) ones included: how a bare secret (the
 * EMMA_AGENT_ENROLL_TOKEN bootstrap token, which has no `emmaet_<id>.` in front) is found.
 */
export async function findEnrollmentTokenByHash(
  db: Db,
  tokenHash: string,
  forUpdate = false,
): Promise<EnrollmentTokenRow | undefined> {
  const result = await db.query<EnrollmentTokenRow>(
    `SELECT ${TOKEN_COLUMNS} FROM enrollment_tokens WHERE token_hash = $1 ORDER BY created_at LIMIT 1
     ${forUpdate ? 'FOR UPDATE' : ''}`,
    [tokenHash],
  );
  return result.rows[0];
}

export async function revokeEnrollmentToken(db: Db, id: string): Promise<void> {
  await db.query(
    `UPDATE enrollment_tokens SET revoked_at = coalesce(revoked_at, now()), deleted_at = now() WHERE id = $1`,
    [id],
  );
}

export async function countEnrollmentUse(db: Db, id: string): Promise<void> {
  await db.query('UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = $1', [id]);
}

export interface AgentRow {
  id: string;
  name: string;
  labels: Record<string, string>;
  status: AgentStatus;
  host: Record<string, unknown>;
  credential_hash: string;
  rotate_credential: boolean;
  enrollment_token_id: string | null;
  interval_s: number;
  approved_at: Date | null;
  last_seen_at: Date | null;
  last_seq: number;
  dropped_batches: number;
  container_engine: Record<string, unknown> | null;
  container_actions_enabled: boolean | null;
  containers_reported_at: Date | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

const AGENT_COLUMNS = `id, name, labels, status, host, credential_hash, rotate_credential, enrollment_token_id,
  interval_s, approved_at, last_seen_at, last_seq, dropped_batches, container_engine, container_actions_enabled,
  containers_reported_at, created_at, updated_at, deleted_at`;

export async function insertAgent(
  db: Db,
  agent: {
    id: string;
    name: string;
    labels: Labels;
    status: AgentStatus;
    host: HostFacts;
    credentialHash: string;
    enrollmentTokenId: string;
  },
): Promise<AgentRow> {
  const result = await db.query<AgentRow>(
    `INSERT INTO agents (id, name, labels, status, host, credential_hash, enrollment_token_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${AGENT_COLUMNS}`,
    [
      agent.id,
      agent.name,
      JSON.stringify(agent.labels),
      agent.status,
      JSON.stringify(agent.host),
      agent.credentialHash,
      agent.enrollmentTokenId,
    ],
  );
  return onlyRow(result);
}

export async function findAgent(
  db: Db,
  id: string,
  opts: { includeDeleted?: boolean; forUpdate?: boolean } = {},
): Promise<AgentRow | undefined> {
  const result = await db.query<AgentRow>(
    `SELECT ${AGENT_COLUMNS} FROM agents WHERE id = $1 ${opts.includeDeleted ? '' : 'AND deleted_at IS NULL'}
     ${opts.forUpdate ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return result.rows[0];
}

export interface AgentFilter {
  status?: AgentStatus | undefined;
  q?: string | undefined;
  label?: string | undefined;
  limit: number;
  offset: number;
}

export async function listAgents(db: Db, filter: AgentFilter): Promise<{ rows: AgentRow[]; total: number }> {
  const where = new Where('deleted_at IS NULL');
  if (filter.status) where.add('status = ?', filter.status);
  if (filter.q) where.add(`(name ILIKE ? OR host->>'hostname' ILIKE ?)`, containing(filter.q));
  if (filter.label) {
    const [key = '', ...rest] = filter.label.split('=');
    where.add('labels @> ?::jsonb', JSON.stringify({ [key]: rest.join('=') }));
  }
  return page<AgentRow>(db, {
    from: 'agents',
    columns: AGENT_COLUMNS,
    where,
    orderBy: 'name, id',
    ...filter,
  });
}

export interface AgentChanges {
  name?: string | undefined;
  labels?: Labels | undefined;
  status?: AgentStatus | undefined;
  approvedBy?: string | undefined;
  intervalS?: number | undefined;
  credentialHash?: string | undefined;
  rotateCredential?: boolean | undefined;
}

export async function updateAgent(db: Db, id: string, changes: AgentChanges): Promise<AgentRow> {
  const sets: string[] = [];
  const values: unknown[] = [id];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  if (changes.name !== undefined) set('name', changes.name);
  if (changes.labels !== undefined) set('labels', JSON.stringify(changes.labels));
  if (changes.status !== undefined) set('status', changes.status);
  if (changes.status === 'revoked') sets.push('revoked_at = now()');
  if (changes.approvedBy !== undefined) {
    set('approved_by', changes.approvedBy);
    sets.push('approved_at = now()');
  }
  if (changes.intervalS !== undefined) set('interval_s', changes.intervalS);
  if (changes.credentialHash !== undefined) {
    set('credential_hash', changes.credentialHash);
    sets.push('credential_rotated_at = now()');
  }
  if (changes.rotateCredential !== undefined) set('rotate_credential', changes.rotateCredential);
  const result = await db.query<AgentRow>(
    `UPDATE agents SET ${sets.join(', ')} WHERE id = $1 RETURNING ${AGENT_COLUMNS}`,
    values,
  );
  return onlyRow(result);
}

export async function softDeleteAgent(db: Db, id: string): Promise<AgentRow> {
  const result = await db.query<AgentRow>(
    `UPDATE agents SET deleted_at = now(), status = 'revoked', revoked_at = coalesce(revoked_at, now())
     WHERE id = $1 RETURNING ${AGENT_COLUMNS}`,
    [id],
  );
  return onlyRow(result);
}

export async function recordAgentEvent(
  db: Db,
  agentId: string,
  kind: string,
  details?: unknown,
): Promise<void> {
  await db.query('INSERT INTO agent_events (agent_id, kind, details) VALUES ($1, $2, $3)', [
    agentId,
    kind,
    details === undefined ? null : JSON.stringify(details),
  ]);
}

export async function listAgentEvents(db: Db, agentId: string, limit: number) {
  const result = await db.query<{ id: number; kind: string; details: unknown; occurred_at: Date }>(
    `SELECT id, kind, details, occurred_at FROM agent_events WHERE agent_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2`,
    [agentId, limit],
  );
  return result.rows;
}

/** Agents whose last batch is older than three of their intervals become offline; returns their ids. */
export async function markSilentAgentsOffline(db: Db): Promise<string[]> {
  const result = await db.query<{ id: string }>(
    `UPDATE agents SET status = 'offline'
     WHERE status = 'online' AND deleted_at IS NULL
       AND last_seen_at < now() - make_interval(secs => 3 * interval_s)
     RETURNING id`,
  );
  return result.rows.map((row) => row.id);
}
