// Probe secrets: AES-256-GCM under a key derived from the server secret, and the split of a config into
// its plain part and its secrets.
import { describe, expect, it } from 'vitest';
import { decryptSecrets, encryptSecrets, SECRET_FIELDS, splitSecrets } from './secrets';

const SECRET = 'server-secret-that-is-long-enough-0123456789';
const CLEAR = { password: 'hunter2-correct-horse' };

/** Flips one byte of a base64 field of a sealed value. */
function tamper(sealed: string, field: 1 | 2 | 3): string {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[field]!, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[field] = bytes.toString('base64');
  return parts.join(':');
}

describe('encryptSecrets / decryptSecrets', () => {
  it('round-trips and does not show the clear text', () => {
    const sealed = encryptSecrets(SECRET, CLEAR);
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain(CLEAR.password);
    expect(sealed).not.toContain(Buffer.from(JSON.stringify(CLEAR)).toString('base64'));
    expect(decryptSecrets(SECRET, sealed)).toEqual(CLEAR);
    expect(decryptSecrets(SECRET, encryptSecrets(SECRET, { a: 'x', b: 'üñí' }))).toEqual({
      a: 'x',
      b: 'üñí',
    });
  });

  it('uses a fresh IV each time: the same secrets seal differently and both open', () => {
    const first = encryptSecrets(SECRET, CLEAR);
    const second = encryptSecrets(SECRET, CLEAR);
    expect(first).not.toBe(second);
    expect(first.split(':')[1]).not.toBe(second.split(':')[1]);
    expect(decryptSecrets(SECRET, second)).toEqual(CLEAR);
  });

  it('refuses a tampered ciphertext, IV or tag', () => {
    const sealed = encryptSecrets(SECRET, CLEAR);
    expect(() => decryptSecrets(SECRET, tamper(sealed, 3))).toThrow();
    expect(() => decryptSecrets(SECRET, tamper(sealed, 2))).toThrow();
    expect(() => decryptSecrets(SECRET, tamper(sealed, 1))).toThrow();
  });

  it('refuses to open with another server secret', () => {
    const sealed = encryptSecrets(SECRET, CLEAR);
    expect(() => decryptSecrets(`${SECRET}-other`, sealed)).toThrow();
  });

  it('refuses unknown formats', () => {
    const sealed = encryptSecrets(SECRET, CLEAR);
    expect(() => decryptSecrets(SECRET, sealed.replace(/^v1:/, 'v2:'))).toThrow(
      'unknown sealed format (emma probe secrets v1)',
    );
    expect(() => decryptSecrets(SECRET, 'v1:abc')).toThrow('unknown sealed format');
    expect(() => decryptSecrets(SECRET, CLEAR.password)).toThrow('unknown sealed format');
  });
});

describe('splitSecrets', () => {
  it("takes a sql probe's password out of its config", () => {
    const config = { engine: 'postgres', host: 'db', user: 'monitor', password: 'pw-1', query: 'SELECT 1' };
    expect(splitSecrets('sql', config)).toEqual({
      config: { engine: 'postgres', host: 'db', user: 'monitor', query: 'SELECT 1' },
      secrets: { password: 'pw-1' },
    });
    // The input is left as it was.
    expect(config.password).toBe('pw-1');
  });

  it('returns no secrets for a sql config without a password', () => {
    expect(splitSecrets('sql', { engine: 'mysql', host: 'db', user: 'u' })).toEqual({
      config: { engine: 'mysql', host: 'db', user: 'u' },
      secrets: {},
    });
  });

  it('leaves the config of types without secret fields as it is', () => {
    expect(SECRET_FIELDS).toEqual({ sql: ['password'] });
    const config = { url: 'https://x.example', headers: { authorization: 'Bearer abc' } };
    expect(splitSecrets('http', config)).toEqual({ config, secrets: {} });
    expect(splitSecrets('tcp', { host: 'h', port: 22 })).toEqual({
      config: { host: 'h', port: 22 },
      secrets: {},
    });
  });
});
