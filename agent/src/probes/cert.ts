// What a probe reports about a peer's X.509 certificate (HTTPS and TLS probes).
import type { PeerCertificate } from 'node:tls';

const DAY_MS = 86_400_000;

export interface CertificateFacts {
  subject: string;
  issuer: string;
  subjectAltName: string | null;
  validFrom: string;
  validTo: string;
  /** Whole days until expiry; negative once expired. */
  daysLeft: number;
  expired: boolean;
  notYetValid: boolean;
  fingerprint256: string;
}

/** Undefined when the peer sent no certificate (an empty object from getPeerCertificate). */
export function certificateFacts(
  cert: PeerCertificate | null | undefined,
  at = Date.now(),
): CertificateFacts | undefined {
  if (!cert || typeof cert.valid_to !== 'string' || !cert.valid_to) return undefined;
  const validFrom = Date.parse(cert.valid_from);
  const validTo = Date.parse(cert.valid_to);
  if (Number.isNaN(validTo)) return undefined;
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    subjectAltName: cert.subjectaltname ?? null,
    validFrom: Number.isNaN(validFrom) ? cert.valid_from : new Date(validFrom).toISOString(),
    validTo: new Date(validTo).toISOString(),
    daysLeft: Math.floor((validTo - at) / DAY_MS),
    expired: validTo <= at,
    notYetValid: !Number.isNaN(validFrom) && validFrom > at,
    fingerprint256: cert.fingerprint256,
  };
}

/** "CN=example.com, O=Example" from Node's name object (values may repeat as arrays). */
export function formatName(name: object | undefined): string {
  if (!name) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(name as Record<string, unknown>)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const v of values) if (typeof v === 'string') parts.push(`${key}=${v}`);
  }
  return parts.join(', ');
}
