// EMMA_AGENT_ENROLL_TOKEN: a secret from the environment that compose hands to both the api and its own agent
// container, so `docker compose up -d` enrols that agent with no manual step. At start the api makes sure one
// enrolment token with exactly this secret exists; once it does (used, expired, revoked or deleted alike) it is
// never made again, so revoking it in the dashboard sticks across restarts.
import { randomUUID } from 'node:crypto';
import { withTransaction, type Pool } from '../../db/pool';
import type { Logger } from '../../logger';
import * as audit from '../audit/service';
import { hashSecret } from './credentials';
import * as repo from './repo';
import { BOOTSTRAP_TOKEN_NAME, toEnrollmentToken } from './service';

/** Serialises the check and the insert of api replicas starting at the same moment. */
const ENROLL_BOOTSTRAP_LOCK = 7_120_405_004;
/** One enrolment (the host's own agent), within a week of the first start. */
const BOOTSTRAP_MAX_USES = 1;
const BOOTSTRAP_EXPIRES_IN_S = 7 * 86_400;

/** Returns the id of the token it created, or undefined when one with this secret already existed. */
export async function ensureBootstrapEnrollmentToken(
  secret: string,
  pool: Pool,
  logger: Logger,
): Promise<string | undefined> {
  // Hashed as every enrolment token's secret is; the agent sends it bare (service.ts, findTokenFor).
  const tokenHash = hashSecret(secret);
  return withTransaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock($1)', [ENROLL_BOOTSTRAP_LOCK]);
    if (await repo.findEnrollmentTokenByHash(db, tokenHash)) return undefined;
    const row = await repo.insertEnrollmentToken(db, {
      id: randomUUID(),
      name: BOOTSTRAP_TOKEN_NAME,
      tokenHash,
      labels: {},
      maxUses: BOOTSTRAP_MAX_USES,
      requiresApproval: false,
      expiresInS: BOOTSTRAP_EXPIRES_IN_S,
      createdBy: null,
    });
    await audit.record(db, audit.SYSTEM_ORIGIN, {
      action: 'enrollment_token.created',
      targetType: 'enrollment_token',
      targetId: row.id,
      after: toEnrollmentToken(row),
    });
    // The id only: the secret is in the environment and nowhere else.
    logger.info(
      { enrollmentTokenId: row.id, expiresAt: row.expires_at },
      'created the enrolment token of EMMA_AGENT_ENROLL_TOKEN',
    );
    return row.id;
  });
}
