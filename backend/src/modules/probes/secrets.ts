// Probe secrets (a SQL password) are stored encrypted with AES-256-GCM under a key derived from the server
// secret: the database alone does not reveal them, and the API never returns them.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

function key(serverSecret: string): Buffer {
  return createHmac('sha256', serverSecret).update('emma probe secrets v1').digest();
}

export function encryptSecrets(serverSecret: string, secrets: Record<string, string>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(serverSecret), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(
    ':',
  );
}

export function decryptSecrets(serverSecret: string, sealed: string): Record<string, string> {
  const [version, iv, tag, data] = sealed.split(':');
  if (version !== 'v1' || iv === undefined || tag === undefined || data === undefined) {
    throw new Error('unknown probe secret format');
  }
  const decipher = createDecipheriv('aes-256-gcm', key(serverSecret), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString(
    'utf8',
  );
  return JSON.parse(text) as Record<string, string>;
}

/** Config fields that are secrets, per type; they never leave the server except to the probe's agent. */
export const SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = { sql: ['password'] };

export function splitSecrets(
  type: string,
  config: Record<string, unknown>,
): { config: Record<string, unknown>; secrets: Record<string, string> } {
  const fields = SECRET_FIELDS[type] ?? [];
  const plain: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(config)) {
    if (fields.includes(name) && typeof value === 'string') secrets[name] = value;
    else plain[name] = value;
  }
  return { config: plain, secrets };
}
