// The first admin: from EMMA_ADMIN_EMAIL/EMMA_ADMIN_PASSWORD when set, otherwise a generated password
// that is printed once (to stderr, never into the JSON logs).
import type { Config } from '../../config';
import { withTransaction, type Pool } from '../../db/pool';
import type { Logger } from '../../logger';
import * as audit from '../audit/service';
import { generatePassword, hashPassword } from '../auth/passwords';
import { toUser } from './mapper';
import * as repo from './repo';

const BOOTSTRAP_LOCK = 7_120_405_003;
export const DEFAULT_ADMIN_EMAIL = 'admin@emma.local';

export async function ensureFirstAdmin(
  config: Config,
  pool: Pool,
  logger: Logger,
  print: (text: string) => void = (text) => process.stderr.write(text),
): Promise<void> {
  await withTransaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
    if ((await repo.countLive(db)) > 0) return;
    const email = (config.bootstrapAdmin.email ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
    const chosen = config.bootstrapAdmin.password;
    const password = chosen ?? generatePassword();
    const generated = chosen === undefined ? password : undefined;
    const row = await repo.insert(db, {
      email,
      name: 'Administrator',
      role: 'admin',
      passwordHash: await hashPassword(password, config.auth.bcryptRounds),
      mustChangePassword: generated !== undefined,
    });
    await audit.record(db, audit.SYSTEM_ORIGIN, {
      action: 'user.bootstrap_admin',
      targetType: 'user',
      targetId: row.id,
      after: toUser(row),
    });
    logger.info({ email }, 'created the first admin user');
    if (generated !== undefined) {
      print(
        [
          '',
          '==================================================================',
          ' eMMA created the first admin account. This password is shown once:',
          `   email:    ${email}`,
          `   password: ${generated}`,
          ' Log in and change it (POST /api/v1/auth/password).',
          '==================================================================',
          '',
        ].join('\n'),
      );
    }
  });
}
