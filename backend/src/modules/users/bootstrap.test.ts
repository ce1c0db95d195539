// The first admin, created by ensureFirstAdmin on an empty users table.
import { Writable } from 'node:stream';
import bcrypt from 'bcrypt';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/harness';
import { loadConfig } from '../../config';
import { createLogger } from '../../logger';
import { DEFAULT_ADMIN_EMAIL, ensureFirstAdmin } from './bootstrap';

let pool: pg.Pool;
let databaseUrl: string;

beforeEach(async () => {
  databaseUrl = await createTestDatabase();
  pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
});
afterEach(async () => {
  await pool.end();
});

function config(env: Record<string, string> = {}) {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    EMMA_BCRYPT_ROUNDS: '4',
    EMMA_LOG_LEVEL: 'silent',
    ...env,
  });
}

function printer() {
  const printed: string[] = [];
  return { printed, print: (text: string) => printed.push(text) };
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  must_change_password: boolean;
  disabled_at: Date | null;
}

async function users(): Promise<UserRow[]> {
  const result = await pool.query<UserRow>(
    'SELECT id, email, name, role, password_hash, must_change_password, disabled_at FROM users',
  );
  return result.rows;
}

describe('ensureFirstAdmin without EMMA_ADMIN_PASSWORD', () => {
  it('creates an admin with a generated password, printed once, that must be changed', async () => {
    const { printed, print } = printer();
    await ensureFirstAdmin(config(), pool, createLogger('silent'), print);

    expect(printed).toHaveLength(1);
    const text = printed[0]!;
    expect(text).toContain(`email:    ${DEFAULT_ADMIN_EMAIL}`);
    const password = /password: (\S+)/.exec(text)?.[1];
    expect(password).toBeDefined();
    expect(password!.length).toBeGreaterThanOrEqual(10);

    const rows = await users();
    expect(rows).toHaveLength(1);
    const admin = rows[0]!;
    expect(admin).toMatchObject({
      email: DEFAULT_ADMIN_EMAIL,
      role: 'admin',
      must_change_password: true,
      disabled_at: null,
    });
    expect(await bcrypt.compare(password!, admin.password_hash)).toBe(true);
    expect(await bcrypt.compare('some-other-password', admin.password_hash)).toBe(false);
    expect(admin.password_hash).not.toContain(password!);

    const audit = await pool.query(
      "SELECT actor_id, actor_email, target_id, after FROM audit_log WHERE action = 'user.bootstrap_admin'",
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor_id: null, actor_email: 'system', target_id: admin.id });
    expect(JSON.stringify(audit.rows[0].after)).not.toContain(password!);
  });

  it('creates nothing and prints nothing the second time', async () => {
    const first = printer();
    await ensureFirstAdmin(config(), pool, createLogger('silent'), first.print);
    const before = await users();

    const second = printer();
    await ensureFirstAdmin(config(), pool, createLogger('silent'), second.print);
    expect(second.printed).toEqual([]);
    expect(await users()).toEqual(before);
    const audit = await pool.query("SELECT 1 FROM audit_log WHERE action = 'user.bootstrap_admin'");
    expect(audit.rowCount).toBe(1);
  });

  it('creates exactly one admin when started twice at the same moment', async () => {
    const { printed, print } = printer();
    await Promise.all([
      ensureFirstAdmin(config(), pool, createLogger('silent'), print),
      ensureFirstAdmin(config(), pool, createLogger('silent'), print),
    ]);
    expect(await users()).toHaveLength(1);
    expect(printed).toHaveLength(1);
  });

  it('never writes the generated password to the logs', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const { printed, print } = printer();
    await ensureFirstAdmin(config(), pool, createLogger('trace', sink), print);
    const password = /password: (\S+)/.exec(printed[0]!)![1]!;
    expect(lines.join('')).toContain('created the first admin user');
    expect(lines.join('')).not.toContain(password);
  });
});

describe('ensureFirstAdmin with EMMA_ADMIN_EMAIL and EMMA_ADMIN_PASSWORD', () => {
  it('uses that email (lowercased) and password, and prints nothing', async () => {
    const { printed, print } = printer();
    const env = { EMMA_ADMIN_EMAIL: 'Boss@Example.TEST', EMMA_ADMIN_PASSWORD: 'configured-password-1' };
    await ensureFirstAdmin(config(env), pool, createLogger('silent'), print);

    expect(printed).toEqual([]);
    const rows = await users();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: 'boss@example.test', role: 'admin', must_change_password: false });
    expect(await bcrypt.compare('configured-password-1', rows[0]!.password_hash)).toBe(true);
  });

  it('does nothing when a user exists already, even with other settings', async () => {
    await ensureFirstAdmin(config(), pool, createLogger('silent'), () => undefined);
    const before = await users();
    const { printed, print } = printer();
    await ensureFirstAdmin(
      config({ EMMA_ADMIN_EMAIL: 'second@example.test', EMMA_ADMIN_PASSWORD: 'configured-password-1' }),
      pool,
      createLogger('silent'),
      print,
    );
    expect(printed).toEqual([]);
    expect(await users()).toEqual(before);
  });
});
