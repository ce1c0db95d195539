// TLS probe: a handshake with host:port, reporting the certificate's days left, issuer, subject and whether
// it is valid for the name; degraded when it expires soon, down when expired or (unless allowed) untrusted.
import net from 'node:net';
import tls from 'node:tls';
import { TlsProbeConfigSchema, type ProbeOutcome } from '@emma/protocol';
import { certificateFacts } from './cert';
import { defineProbe, type ProbeModule } from './types';
import { abortError, formatMs, now, since, whenAborted } from './util';

export interface TlsProbeOptions {
  /** Extra trust anchors (PEM) besides the system's; for private CAs. */
  ca?: string | string[];
}

interface Handshake {
  latencyMs: number;
  socket: tls.TLSSocket;
}

export function createTlsProbe(options: TlsProbeOptions = {}): ProbeModule<typeof TlsProbeConfigSchema> {
  return defineProbe({
    type: 'tls',
    schema: TlsProbeConfigSchema,
    async run(config, ctx): Promise<ProbeOutcome> {
      const name = config.servername ?? config.host;
      // SNI carries names only; an IP address is checked against the certificate's IP entries.
      const servername = net.isIP(name) ? undefined : name;
      const { latencyMs, socket } = await new Promise<Handshake>((resolve, reject) => {
        const start = now();
        const s = tls.connect({
          host: config.host,
          port: config.port,
          ...(servername ? { servername } : {}),
          rejectUnauthorized: false,
          ...(options.ca ? { ca: [...tls.rootCertificates, ...[options.ca].flat()] } : {}),
        });
        const stop = whenAborted(ctx.signal, (reason) => {
          s.destroy();
          reject(abortError(reason));
        });
        s.once('secureConnect', () => {
          stop();
          resolve({ latencyMs: since(start), socket: s });
        });
        s.once('error', (error: Error) => {
          stop();
          s.destroy();
          reject(error);
        });
      });
      try {
        const peer = socket.getPeerCertificate();
        const cert = certificateFacts(peer);
        if (!cert) return { status: 'down', latencyMs, message: `${name}: the server sent no certificate` };
        const identityError = tls.checkServerIdentity(name, peer);
        const hostnameValid = identityError === undefined;
        const authorizationError = socket.authorized ? null : String(socket.authorizationError);
        // Node counts a name mismatch as unauthorized too; "trusted" here means a CA vouches for the chain.
        const trusted = socket.authorized || authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID';
        const details: Record<string, unknown> = {
          daysLeft: cert.daysLeft,
          validFrom: cert.validFrom,
          validTo: cert.validTo,
          issuer: cert.issuer,
          subject: cert.subject,
          subjectAltName: cert.subjectAltName,
          hostnameValid,
          trusted,
          authorizationError,
          protocol: socket.getProtocol(),
          fingerprint256: cert.fingerprint256,
        };
        const down = (message: string): ProbeOutcome => ({ status: 'down', latencyMs, message, details });
        if (cert.expired) return down(`${name}: certificate expired on ${cert.validTo}`);
        if (cert.notYetValid) return down(`${name}: certificate not valid before ${cert.validFrom}`);
        if (!config.allowUntrusted) {
          if (!trusted) return down(`${name}: certificate not trusted (${authorizationError ?? 'unknown'})`);
          if (identityError) return down(`${name}: ${identityError.message}`);
        }
        const summary = `${name}: certificate valid for ${cert.daysLeft} more days (until ${cert.validTo}), handshake ${formatMs(latencyMs)}`;
        if (cert.daysLeft < config.minDaysLeft) {
          return {
            status: 'degraded',
            latencyMs,
            message: `expires soon: ${summary}; fewer than ${config.minDaysLeft} days left`,
            details,
          };
        }
        return { status: 'up', latencyMs, message: summary, details };
      } finally {
        socket.destroy();
      }
    },
  });
}

export const tlsProbe = createTlsProbe();
