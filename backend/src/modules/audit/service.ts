import type { Db } from '../../db/pool';
import type { RequestOrigin } from '../../http/context';
import { notifyChange } from '../ingest/repo';
import { auditHash, GENESIS_HASH, scrubSecrets, type AuditContent } from './chain';
import * as repo from './repo';
import type { AuditEntry, AuditQuery, AuditVerification } from './schemas';

export interface AuditEvent {
  action: string;
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
}

/** The system itself (bootstrap, workers) when no person asked for the change. */
export const SYSTEM_ORIGIN: RequestOrigin = {
  actorId: null,
  actorEmail: 'system',
  ip: '',
  requestId: '',
  userAgent: undefined,
};

/** An enrolled agent acting through its own credential: no user id, `agent:<id>` in place of the email. */
export function agentOrigin(origin: RequestOrigin, agentId: string): RequestOrigin {
  return { ...origin, actorId: null, actorEmail: `agent:${agentId}` };
}

/**
 * Appends one row to the chain, in the caller's transaction: the change and its audit row commit together,
 * with a `{t: 'audit', id}` notice on `emma_changes`.
 */
export async function record(db: Db, origin: RequestOrigin, event: AuditEvent): Promise<void> {
  const { id, prevHash } = await repo.reserveNext(db);
  const content: AuditContent = {
    id,
    occurredAt: new Date().toISOString(),
    actorId: origin.actorId,
    actorEmail: origin.actorEmail,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    before: scrubSecrets(event.before),
    after: scrubSecrets(event.after),
    ip: origin.ip || null,
    requestId: origin.requestId || null,
  };
  const previous = prevHash ?? GENESIS_HASH;
  await repo.insert(db, {
    id,
    occurred_at: new Date(content.occurredAt),
    actor_id: content.actorId,
    actor_email: content.actorEmail,
    action: content.action,
    target_type: content.targetType,
    target_id: content.targetId,
    before: content.before,
    after: content.after,
    ip: content.ip,
    request_id: content.requestId,
    prev_hash: previous,
    hash: auditHash(previous, content),
  });
  // Delivered at commit, like the row: the realtime `audit` topic, and a hint to re-check its connections.
  await notifyChange(db, { t: 'audit', id });
}

/** The hashed content of a stored row (what verify() recomputes; tests use it too). */
export function contentOf(row: repo.AuditRow): AuditContent {
  return {
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    actorId: row.actor_id,
    actorEmail: row.actor_email,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    before: row.before,
    after: row.after,
    ip: row.ip,
    requestId: row.request_id,
  };
}

function toEntry(row: repo.AuditRow): AuditEntry {
  return { ...contentOf(row), hash: row.hash, prevHash: row.prev_hash };
}

export async function list(
  db: Db,
  query: AuditQuery,
): Promise<{ items: AuditEntry[]; nextCursor: number | null }> {
  const rows = await repo.list(db, query);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map(toEntry),
    nextCursor: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/** Walks the whole chain in id order; a changed row breaks its own hash, a removed or inserted one breaks the link. */
export async function verify(db: Db, pageSize = 1000): Promise<AuditVerification> {
  let expectedPrev = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await repo.pageAfter(db, lastId, pageSize);
    for (const row of rows) {
      if (row.prev_hash !== expectedPrev) {
        return { intact: false, checked, firstBrokenId: row.id, reason: 'chain_broken' };
      }
      if (auditHash(row.prev_hash, contentOf(row)) !== row.hash) {
        return { intact: false, checked, firstBrokenId: row.id, reason: 'content_changed' };
      }
      expectedPrev = row.hash;
      lastId = row.id;
      checked += 1;
    }
    if (rows.length < pageSize) return { intact: true, checked, firstBrokenId: null, reason: null };
  }
}
