// Channel secrets (webhook URLs, passwords, tokens) are sealed with AES-256-GCM under a key derived from
// the server secret (a different derivation than probe secrets), split from the visible config by each
// channel's secretFields.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

function key(serverSecret: string): Buffer {
  return createHmac('sha256', serverSecret).update('emma notification channel secrets v1').digest();
}

export function sealSecrets(serverSecret: string, secrets: Record<string, unknown>): string | null {
  if (Object.keys(secrets).length === 0) return null;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(serverSecret), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(
    ':',
  );
}

export function openSecrets(serverSecret: string, sealed: string | null): Record<string, unknown> {
  if (sealed === null) return {};
  const [version, iv, tag, data] = sealed.split(':');
  if (version !== 'v1' || iv === undefined || tag === undefined || data === undefined) {
    throw new Error('unknown channel secret format');
  }
  const decipher = createDecipheriv('aes-256-gcm', key(serverSecret), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString(
    'utf8',
  );
  return JSON.parse(text) as Record<string, unknown>;
}

export function splitSecrets(
  secretFields: readonly string[],
  config: Record<string, unknown>,
): { config: Record<string, unknown>; secrets: Record<string, unknown> } {
  const plain: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (secretFields.includes(name)) secrets[name] = value;
    else plain[name] = value;
  }
  return { config: plain, secrets };
}

/** Every secret string (nested ones too), longest first, for scrubbing error texts. */
export function secretStrings(secrets: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string' && value.length >= 4) found.push(value);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(secrets);
  return found.sort((a, b) => b.length - a.length);
}

/** The text with every secret (and, for URLs, the secret's path) replaced by ••••. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('••••');
  return out;
}
