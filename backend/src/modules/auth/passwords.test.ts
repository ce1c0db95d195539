// Pure functions of passwords.ts: no server, no database.
import bcrypt from 'bcrypt';
import { describe, expect, it } from 'vitest';
import { PasswordSchema } from '@emma/protocol';
import { burnPasswordCheck, generatePassword, hashPassword, verifyPassword } from './passwords';

describe('hashPassword / verifyPassword', () => {
  it('hashes with bcrypt at the given cost, salted, never in clear', async () => {
    const password = 'correct horse battery';
    const first = await hashPassword(password, 4);
    const second = await hashPassword(password, 4);
    expect(first).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/);
    expect(first).not.toContain(password);
    expect(second).not.toBe(first);
    expect(bcrypt.getRounds(await hashPassword(password, 5))).toBe(5);
  });

  it('verifies the right password only', async () => {
    const hash = await hashPassword('correct horse battery', 4);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
    expect(await verifyPassword('correct horse battery ', hash)).toBe(false);
  });

  it('refuses when the stored hash is not a bcrypt hash', async () => {
    expect(await verifyPassword('plain-text-password', 'plain-text-password')).toBe(false);
  });
});

describe('burnPasswordCheck', () => {
  it('completes without throwing for any input and rounds, reusing the dummy hash per cost', async () => {
    await expect(burnPasswordCheck('anything', 4)).resolves.toBeUndefined();
    await expect(burnPasswordCheck('', 4)).resolves.toBeUndefined();
    await expect(burnPasswordCheck('x'.repeat(200), 5)).resolves.toBeUndefined();
  });

  it('costs about as much as a real check (no cheap path for unknown users)', async () => {
    const rounds = 8;
    const hash = await hashPassword('real-password-123', rounds);
    await burnPasswordCheck('warm-up', rounds);
    const time = async (fn: () => Promise<unknown>) => {
      const started = performance.now();
      for (let i = 0; i < 3; i += 1) await fn();
      return performance.now() - started;
    };
    const real = await time(() => verifyPassword('guess-password-1', hash));
    const burned = await time(() => burnPasswordCheck('guess-password-1', rounds));
    expect(burned).toBeGreaterThan(real * 0.3);
  });
});

describe('generatePassword', () => {
  it('produces distinct passwords that satisfy the password policy', () => {
    const generated = Array.from({ length: 50 }, generatePassword);
    expect(new Set(generated).size).toBe(50);
    for (const password of generated) {
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(PasswordSchema.safeParse(password).success).toBe(true);
    }
  });
});
