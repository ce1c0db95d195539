// Probe secrets (a SQL password) are stored encrypted with AES-256-GCM under a key derived from the server
// secret: the database alone does not reveal them, and the API never returns them.
import { seal, splitFields, unseal } from '../../crypto/sealed';

const PURPOSE = 'emma probe secrets v1';

export function encryptSecrets(serverSecret: string, secrets: Record<string, string>): string {
  return seal(serverSecret, PURPOSE, secrets);
}

export function decryptSecrets(serverSecret: string, sealed: string): Record<string, string> {
  return unseal(serverSecret, PURPOSE, sealed) as Record<string, string>;
}

/** Config fields that are secrets, per type; they never leave the server except to the probe's agent. */
export const SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = { sql: ['password'] };

export function splitSecrets(
  type: string,
  config: Record<string, unknown>,
): { config: Record<string, unknown>; secrets: Record<string, string> } {
  // The schemas make every secret field a string.
  const split = splitFields(SECRET_FIELDS[type] ?? [], config);
  return { config: split.config, secrets: split.secrets as Record<string, string> };
}
