import type { Role, User } from '@emma/protocol';
import type { Config } from '../../config';
import type { Db } from '../../db/pool';
import type { Principal, RequestOrigin } from '../../http/context';
import { conflict, notFound } from '../../http/errors';
import * as audit from '../audit/service';
import { generatePassword, hashPassword } from '../auth/passwords';
import * as sessions from '../auth/sessions-repo';
import { toUser } from './mapper';
import * as repo from './repo';
import type { UpdateUserInput } from './schemas';

const EMAIL_TAKEN = () => conflict('email_taken', 'A user with this email already exists');
const LAST_ADMIN = () =>
  conflict('last_admin', 'This is the last active admin; make another user admin first');

export async function list(db: Db, filter: repo.UserFilter) {
  const { rows, total } = await repo.list(db, filter);
  return { items: rows.map(toUser), total, limit: filter.limit, offset: filter.offset };
}

export async function get(db: Db, id: string, includeDeleted = false): Promise<User> {
  const row = await repo.findById(db, id, { includeDeleted });
  if (!row) throw notFound('User');
  return toUser(row);
}

export async function create(
  config: Config,
  db: Db,
  origin: RequestOrigin,
  input: { email: string; name: string; role: Role; password?: string | undefined },
): Promise<{ user: User; temporaryPassword?: string }> {
  if (await repo.findLiveByEmail(db, input.email)) throw EMAIL_TAKEN();
  const password = input.password ?? generatePassword();
  const generated = input.password === undefined ? password : undefined;
  const row = await repo.insert(db, {
    email: input.email,
    name: input.name,
    role: input.role,
    passwordHash: await hashPassword(password, config.auth.bcryptRounds),
    // Whoever set the password is not the user: they choose their own at first login.
    mustChangePassword: true,
  });
  const user = toUser(row);
  await audit.record(db, origin, {
    action: 'user.created',
    targetType: 'user',
    targetId: user.id,
    after: user,
  });
  return generated === undefined ? { user } : { user, temporaryPassword: generated };
}

export async function update(
  config: Config,
  db: Db,
  origin: RequestOrigin,
  id: string,
  input: UpdateUserInput,
): Promise<User> {
  const current = await repo.findById(db, id, { forUpdate: true });
  if (!current) throw notFound('User');
  const losesAdmin =
    current.role === 'admin' &&
    current.disabled_at === null &&
    ((input.role !== undefined && input.role !== 'admin') || input.disabled === true);
  if (losesAdmin && (await repo.countOtherActiveAdmins(db, id)) === 0) throw LAST_ADMIN();
  if (input.email !== undefined && input.email !== current.email) {
    const holder = await repo.findLiveByEmail(db, input.email);
    if (holder && holder.id !== id) throw EMAIL_TAKEN();
  }

  const updated = await repo.update(db, id, {
    email: input.email,
    name: input.name,
    role: input.role,
    disabled: input.disabled,
    ...(input.password === undefined
      ? {}
      : {
          passwordHash: await hashPassword(input.password, config.auth.bcryptRounds),
          mustChangePassword: true,
        }),
  });
  // Tokens of a disabled user, or of one whose password was reset, stop working at once.
  if (input.disabled === true) await sessions.revokeUserSessions(db, id, 'user_disabled');
  if (input.password !== undefined) await sessions.revokeUserSessions(db, id, 'password_reset');

  const before = toUser(current);
  const after = toUser(updated);
  await audit.record(db, origin, {
    action: input.password === undefined ? 'user.updated' : 'user.password_reset',
    targetType: 'user',
    targetId: id,
    before,
    after: { ...after, ...(input.password === undefined ? {} : { passwordReset: true }) },
  });
  return after;
}

export async function remove(db: Db, origin: RequestOrigin, principal: Principal, id: string): Promise<void> {
  if (id === principal.userId) throw conflict('cannot_delete_self', 'You cannot delete your own account');
  const current = await repo.findById(db, id, { forUpdate: true });
  if (!current) throw notFound('User');
  if (
    current.role === 'admin' &&
    current.disabled_at === null &&
    (await repo.countOtherActiveAdmins(db, id)) === 0
  ) {
    throw LAST_ADMIN();
  }
  const deleted = await repo.softDelete(db, id);
  await sessions.revokeUserSessions(db, id, 'user_deleted');
  await audit.record(db, origin, {
    action: 'user.deleted',
    targetType: 'user',
    targetId: id,
    before: toUser(current),
    after: toUser(deleted),
  });
}
