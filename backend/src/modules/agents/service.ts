import { randomUUID } from 'node:crypto';
import type { AgentConfig, EnrollRequest, EnrollResponse } from '@emma/protocol';
import type { Db, Pool } from '../../db/pool';
import type { AgentPrincipal, RequestOrigin } from '../../http/context';
import { AppError, conflict, notFound, unauthorized } from '../../http/errors';
import * as audit from '../audit/service';
import { notifyChange } from '../ingest/repo';
import { probesForAgent } from '../probes/service';
import {
  enrollmentTokenFor,
  ENROLLMENT_PREFIX,
  hashSecret,
  newAgentCredential,
  parseSecret,
  secretMatches,
} from './credentials';
import { AGENT_PREFIX } from './credentials';
import * as repo from './repo';
import type { Agent, EnrollmentToken, UpdateAgentInput } from './schemas';

export interface AgentDeps {
  /** Derives enrolment-token secrets; the JWT secret, so a database copy alone reveals no token. */
  serverSecret: string;
  agentImage: string;
  /** How agents reach this server; falls back to the request's own origin. */
  publicUrl: string | undefined;
  maxBatchSamples: number;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

function tokenStatus(row: repo.EnrollmentTokenRow): EnrollmentToken['status'] {
  if (row.revoked_at) return 'revoked';
  if (row.expires_at.getTime() <= Date.now()) return 'expired';
  if (row.uses >= row.max_uses) return 'used_up';
  return 'active';
}

/** The name of the token made from EMMA_AGENT_ENROLL_TOKEN (bootstrap-token.ts). */
export const BOOTSTRAP_TOKEN_NAME = 'bootstrap (EMMA_AGENT_ENROLL_TOKEN)';

export function toEnrollmentToken(row: repo.EnrollmentTokenRow): EnrollmentToken {
  return {
    id: row.id,
    name: row.name,
    labels: row.labels,
    maxUses: row.max_uses,
    uses: row.uses,
    requiresApproval: row.requires_approval,
    expiresAt: row.expires_at.toISOString(),
    status: tokenStatus(row),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

export function toAgent(row: repo.AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    labels: row.labels,
    status: row.status,
    host: row.host,
    intervalS: row.interval_s,
    lastSeenAt: row.last_seen_at?.toISOString() ?? null,
    lastSeq: row.last_seq,
    droppedBatches: row.dropped_batches,
    approvedAt: row.approved_at?.toISOString() ?? null,
    rotateCredential: row.rotate_credential,
    enrollmentTokenId: row.enrollment_token_id,
    containers: {
      engine: row.container_engine,
      actionsEnabled: row.container_actions_enabled,
      reportedAt: row.containers_reported_at?.toISOString() ?? null,
    },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    deletedAt: row.deleted_at?.toISOString() ?? null,
  };
}

export function installCommands(image: string, serverUrl: string, token: string) {
  const env = [
    `EMMA_URL=${serverUrl}`,
    `EMMA_ENROLL_TOKEN=${token}`,
    'EMMA_HOST_PROC=/host/proc',
    'EMMA_HOST_ROOT=/host/root',
    'EMMA_STATE_DIR=/var/lib/emma-agent',
  ];
  const dockerRun = [
    'docker run -d --name emma-agent --restart unless-stopped',
    // The image runs as an unprivileged user; the socket's group lets it talk to Docker.
    '  -v /var/run/docker.sock:/var/run/docker.sock:ro',
    '  --group-add $(stat -c %g /var/run/docker.sock)',
    '  -v /proc:/host/proc:ro',
    '  -v /:/host/root:ro',
    '  -v emma-agent-state:/var/lib/emma-agent',
    ...env.map((e) => `  -e ${e}`),
    `  ${image}`,
  ].join(' \\\n');
  const compose = [
    'services:',
    '  emma-agent:',
    `    image: ${image}`,
    '    restart: unless-stopped',
    '    group_add:',
    '      - "${DOCKER_GID:?export DOCKER_GID=$(stat -c %g /var/run/docker.sock) first}"',
    '    volumes:',
    '      - /var/run/docker.sock:/var/run/docker.sock:ro',
    '      - /proc:/host/proc:ro',
    '      - /:/host/root:ro',
    '      - emma-agent-state:/var/lib/emma-agent',
    '    environment:',
    ...env.map((e) => `      - ${e}`),
    'volumes:',
    '  emma-agent-state: {}',
    '',
  ].join('\n');
  return { image, serverUrl, token, dockerRun, compose };
}

export async function createEnrollmentToken(
  deps: AgentDeps,
  db: Db,
  origin: RequestOrigin,
  requestOrigin: string,
  input: {
    name: string;
    expiresInS: number;
    maxUses: number;
    labels: Record<string, string>;
    requiresApproval: boolean;
  },
) {
  const id = randomUUID();
  const token = enrollmentTokenFor(deps.serverSecret, id);
  const parsed = parseSecret(ENROLLMENT_PREFIX, token);
  if (!parsed) throw new Error('generated enrolment token does not parse');
  const row = await repo.insertEnrollmentToken(db, {
    id,
    name: input.name,
    tokenHash: hashSecret(parsed.secret),
    labels: input.labels,
    maxUses: input.maxUses,
    requiresApproval: input.requiresApproval,
    expiresInS: input.expiresInS,
    createdBy: origin.actorId,
  });
  const enrollmentToken = toEnrollmentToken(row);
  await audit.record(db, origin, {
    action: 'enrollment_token.created',
    targetType: 'enrollment_token',
    targetId: id,
    after: enrollmentToken,
  });
  return {
    enrollmentToken,
    token,
    install: installCommands(deps.agentImage, deps.publicUrl ?? requestOrigin, token),
  };
}

export async function listEnrollmentTokens(db: Db) {
  return { items: (await repo.listEnrollmentTokens(db)).map(toEnrollmentToken) };
}

export async function installForToken(deps: AgentDeps, db: Db, id: string, requestOrigin: string) {
  const row = await repo.findEnrollmentToken(db, id);
  if (!row) throw notFound('Enrolment token');
  if (tokenStatus(row) !== 'active') {
    throw conflict(
      'enrollment_token_inactive',
      `This enrolment token is ${tokenStatus(row).replace('_', ' ')}`,
    );
  }
  const token = enrollmentTokenFor(deps.serverSecret, id);
  const parsed = parseSecret(ENROLLMENT_PREFIX, token);
  // Its secret is not the one derived from the server secret: that changed since the token was made, or the
  // token is EMMA_AGENT_ENROLL_TOKEN's, whose secret only the server's environment holds.
  if (!parsed || !secretMatches(parsed.secret, row.token_hash)) {
    throw conflict(
      'enrollment_token_unrecoverable',
      "This token's secret cannot be rebuilt (the server secret changed, or it is EMMA_AGENT_ENROLL_TOKEN); create a new enrolment token",
    );
  }
  return installCommands(deps.agentImage, deps.publicUrl ?? requestOrigin, token);
}

export async function revokeEnrollmentToken(db: Db, origin: RequestOrigin, id: string): Promise<void> {
  const row = await repo.findEnrollmentToken(db, id, true);
  if (!row) throw notFound('Enrolment token');
  await repo.revokeEnrollmentToken(db, id);
  await audit.record(db, origin, {
    action: 'enrollment_token.revoked',
    targetType: 'enrollment_token',
    targetId: id,
    before: toEnrollmentToken(row),
  });
}

const ENROLL_REFUSALS = {
  invalid: ['invalid_enrollment_token', 'The enrolment token is not valid'],
  revoked: ['enrollment_token_revoked', 'The enrolment token was revoked; ask an operator for a new one'],
  expired: ['enrollment_token_expired', 'The enrolment token has expired; ask an operator for a new one'],
  used_up: ['enrollment_token_used_up', 'The enrolment token has been used as often as allowed'],
} as const;

/**
 * Tells live views (the `overview` and `agent:<id>` topics) that an agent appeared, changed or went away,
 * in the same notice ingest and the liveness check send when it comes online or goes offline.
 */
function announce(db: Db, agentId: string, status: string): Promise<void> {
  return notifyChange(db, { t: 'agent', a: agentId, status });
}

/**
 * The token an agent enrols with, locked for the use count: `emmaet_<id>.<secret>` (made in the dashboard) by its
 * id and then its secret; anything else is a bare secret (the EMMA_AGENT_ENROLL_TOKEN bootstrap token, see
 * bootstrap-token.ts), found by its hash.
 */
async function findTokenFor(db: Db, token: string): Promise<repo.EnrollmentTokenRow | undefined> {
  if (!token.startsWith(ENROLLMENT_PREFIX))
    return repo.findEnrollmentTokenByHash(db, hashSecret(token), true);
  const parsed = parseSecret(ENROLLMENT_PREFIX, token);
  if (!parsed) return undefined;
  const row = await repo.findEnrollmentToken(db, parsed.id, true, true);
  return row && secretMatches(parsed.secret, row.token_hash) ? row : undefined;
}

export async function enroll(
  db: Db,
  origin: RequestOrigin,
  request: EnrollRequest,
): Promise<Outcome<EnrollResponse>> {
  // Revoked tokens are soft-deleted; they are still found here so the agent learns why it was refused.
  const row = await findTokenFor(db, request.token);
  let refusal: keyof typeof ENROLL_REFUSALS | undefined;
  if (!row) refusal = 'invalid';
  else {
    const status = tokenStatus(row);
    if (status !== 'active') refusal = status;
  }
  if (refusal !== undefined || !row) {
    const [code, message] = ENROLL_REFUSALS[refusal ?? 'invalid'];
    await audit.record(db, origin, {
      action: 'agent.enroll_failed',
      targetType: 'enrollment_token',
      targetId: row?.id,
      after: { reason: code, hostname: request.host.hostname },
    });
    return { ok: false, error: new AppError(401, code, message) };
  }

  const agentId = randomUUID();
  const { credential, hash } = newAgentCredential(agentId);
  const agent = await repo.insertAgent(db, {
    id: agentId,
    name: request.name ?? request.host.hostname,
    labels: row.labels,
    status: row.requires_approval ? 'pending' : 'offline',
    host: request.host,
    credentialHash: hash,
    enrollmentTokenId: row.id,
  });
  await repo.countEnrollmentUse(db, row.id);
  await repo.recordAgentEvent(db, agentId, 'enrolled', { enrollmentTokenId: row.id });
  await announce(db, agentId, agent.status);
  await audit.record(
    db,
    { ...origin, actorEmail: `agent:${agentId}` },
    { action: 'agent.enrolled', targetType: 'agent', targetId: agentId, after: toAgent(agent) },
  );
  return { ok: true, value: { agentId, credential, status: agent.status } };
}

/** Resolves an agent credential; revoked, deleted and unknown agents get 401 at once. */
export async function authenticateAgent(
  db: Db | Pool,
  authorization: string | undefined,
): Promise<AgentPrincipal> {
  const value = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const parsed = value === undefined ? undefined : parseSecret(AGENT_PREFIX, value);
  if (!parsed)
    throw unauthorized(
      'Send the agent credential as "Authorization: Bearer <credential>"',
      'invalid_agent_credential',
    );
  const row = await repo.findAgent(db, parsed.id);
  if (!row || !secretMatches(parsed.secret, row.credential_hash)) {
    throw unauthorized('Unknown agent or wrong credential', 'invalid_agent_credential');
  }
  if (row.status === 'revoked') throw unauthorized('This agent was revoked', 'agent_revoked');
  return {
    agentId: row.id,
    status: row.status,
    intervalS: row.interval_s,
    rotateCredential: row.rotate_credential,
  };
}

export async function agentConfig(deps: AgentDeps, db: Db, agent: AgentPrincipal): Promise<AgentConfig> {
  return {
    agentId: agent.agentId,
    status: agent.status,
    intervalS: agent.intervalS,
    heartbeatS: Math.max(agent.intervalS, 10),
    maxBatchSamples: deps.maxBatchSamples,
    rotateCredential: agent.rotateCredential,
    // Pending agents get no work until approved.
    probes:
      agent.status === 'pending'
        ? []
        : await probesForAgent({ serverSecret: deps.serverSecret }, db, agent.agentId),
  };
}

export async function rotateOwnCredential(db: Db, origin: RequestOrigin, agent: AgentPrincipal) {
  const { credential, hash } = newAgentCredential(agent.agentId);
  await repo.updateAgent(db, agent.agentId, { credentialHash: hash, rotateCredential: false });
  await repo.recordAgentEvent(db, agent.agentId, 'credential_rotated');
  await audit.record(
    db,
    { ...origin, actorEmail: `agent:${agent.agentId}` },
    { action: 'agent.credential_rotated', targetType: 'agent', targetId: agent.agentId },
  );
  return { agentId: agent.agentId, credential };
}

export async function listAgents(db: Db, filter: repo.AgentFilter) {
  const { rows, total } = await repo.listAgents(db, filter);
  return { items: rows.map(toAgent), total, limit: filter.limit, offset: filter.offset };
}

export async function getAgent(db: Db, id: string): Promise<Agent> {
  const row = await repo.findAgent(db, id);
  if (!row) throw notFound('Agent');
  return toAgent(row);
}

export async function updateAgent(
  db: Db,
  origin: RequestOrigin,
  id: string,
  input: UpdateAgentInput,
): Promise<Agent> {
  const current = await repo.findAgent(db, id, { forUpdate: true });
  if (!current) throw notFound('Agent');
  if (input.approved && current.status !== 'pending') {
    throw conflict('agent_not_pending', `Only pending agents can be approved; this one is ${current.status}`);
  }
  const updated = await repo.updateAgent(db, id, {
    name: input.name,
    labels: input.labels,
    intervalS: input.intervalS,
    ...(input.approved ? { status: 'offline' as const, approvedBy: origin.actorId ?? undefined } : {}),
  });
  if (input.approved) await repo.recordAgentEvent(db, id, 'approved', { by: origin.actorId });
  await announce(db, id, updated.status);
  await audit.record(db, origin, {
    action: input.approved ? 'agent.approved' : 'agent.updated',
    targetType: 'agent',
    targetId: id,
    before: toAgent(current),
    after: toAgent(updated),
  });
  return toAgent(updated);
}

export async function revokeAgent(db: Db, origin: RequestOrigin, id: string): Promise<Agent> {
  const current = await repo.findAgent(db, id, { forUpdate: true });
  if (!current) throw notFound('Agent');
  const updated =
    current.status === 'revoked' ? current : await repo.updateAgent(db, id, { status: 'revoked' });
  if (current.status !== 'revoked') {
    await repo.recordAgentEvent(db, id, 'revoked', { by: origin.actorId });
    await announce(db, id, 'revoked');
  }
  await audit.record(db, origin, {
    action: 'agent.revoked',
    targetType: 'agent',
    targetId: id,
    before: toAgent(current),
    after: toAgent(updated),
  });
  return toAgent(updated);
}

export async function requestCredentialRotation(db: Db, origin: RequestOrigin, id: string): Promise<Agent> {
  const current = await repo.findAgent(db, id, { forUpdate: true });
  if (!current) throw notFound('Agent');
  if (current.status === 'revoked')
    throw conflict('agent_revoked', 'A revoked agent cannot rotate its credential');
  const updated = await repo.updateAgent(db, id, { rotateCredential: true });
  await audit.record(db, origin, {
    action: 'agent.credential_rotation_requested',
    targetType: 'agent',
    targetId: id,
  });
  return toAgent(updated);
}

export async function deleteAgent(db: Db, origin: RequestOrigin, id: string): Promise<void> {
  const current = await repo.findAgent(db, id, { forUpdate: true });
  if (!current) throw notFound('Agent');
  const deleted = await repo.softDeleteAgent(db, id);
  await repo.recordAgentEvent(db, id, 'deleted', { by: origin.actorId });
  await announce(db, id, 'deleted');
  await audit.record(db, origin, {
    action: 'agent.deleted',
    targetType: 'agent',
    targetId: id,
    before: toAgent(current),
    after: toAgent(deleted),
  });
}

export async function agentEvents(db: Db, id: string, limit: number) {
  if (!(await repo.findAgent(db, id, { includeDeleted: true }))) throw notFound('Agent');
  const rows = await repo.listAgentEvents(db, id, limit);
  return {
    items: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      details: row.details,
      occurredAt: row.occurred_at.toISOString(),
    })),
  };
}
