// Secrets at rest (probe passwords, notification channel URLs and tokens): AES-256-GCM under a key derived
// from the server secret and a purpose, so the database alone does not reveal them and one purpose's key
// opens nothing of another's. Format: v1:<iv>:<tag>:<data>, base64.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

function key(serverSecret: string, purpose: string): Buffer {
  return createHmac('sha256', serverSecret).update(purpose).digest();
}

export function seal(serverSecret: string, purpose: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(serverSecret, purpose), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(
    ':',
  );
}

export function unseal(serverSecret: string, purpose: string, sealed: string): unknown {
  const [version, iv, tag, data] = sealed.split(':');
  if (version !== 'v1' || iv === undefined || tag === undefined || data === undefined) {
    throw new Error(`unknown sealed format (${purpose})`);
  }
  const decipher = createDecipheriv('aes-256-gcm', key(serverSecret, purpose), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString(
    'utf8',
  );
  return JSON.parse(text) as unknown;
}

/** Splits a config into its visible fields and the named secret fields (undefined values are left out). */
export function splitFields(
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
