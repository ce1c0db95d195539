// Channel secrets (webhook URLs, passwords, tokens) are sealed with AES-256-GCM under a key derived from
// the server secret (a different derivation than probe secrets), split from the visible config by each
// channel's secretFields.
import { seal, splitFields, unseal } from '../../crypto/sealed';

const PURPOSE = 'emma notification channel secrets v1';

export function sealSecrets(serverSecret: string, secrets: Record<string, unknown>): string | null {
  return Object.keys(secrets).length === 0 ? null : seal(serverSecret, PURPOSE, secrets);
}

export function openSecrets(serverSecret: string, sealed: string | null): Record<string, unknown> {
  return sealed === null ? {} : (unseal(serverSecret, PURPOSE, sealed) as Record<string, unknown>);
}

export { splitFields as splitSecrets };

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
