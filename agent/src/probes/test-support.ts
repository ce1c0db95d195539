// Test helpers for the probe tests (not used by the agent at run time): probe definitions, free and closed
// ports, the system tools the ICMP tests need, and X.509 certificates made with openssl at test time.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AgentProbeSchema, type AgentProbe } from '@emma/protocol';

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A probe as the server would hand it out, with the config's defaults applied by the protocol schema. */
export function agentProbe(
  type: AgentProbe['type'],
  config: Record<string, unknown>,
  timeoutMs = 5000,
): AgentProbe {
  return AgentProbeSchema.parse({
    id: randomUUID(),
    name: `test ${type}`,
    intervalS: 60,
    timeoutMs,
    type,
    config,
  });
}

/** A port nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Installs fping/ping/ip/openssl when missing (scripts/ensure-test-tools.sh); throws with its output. */
export function ensureTestTools(): Promise<void> {
  return runSetupScript('ensure-test-tools.sh');
}

/** Starts (and on a fresh machine installs) the MariaDB the SQL probe tests use (scripts/ensure-test-mariadb.sh). */
export function ensureTestMariadb(): Promise<void> {
  return runSetupScript('ensure-test-mariadb.sh');
}

async function runSetupScript(name: string): Promise<void> {
  const script = path.join(REPO_ROOT, 'scripts', name);
  try {
    await run('sh', [script], { timeout: 300_000 });
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    throw new Error(`${script} failed: ${typeof stderr === 'string' && stderr ? stderr : String(error)}`);
  }
}

export async function sh(command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(command, args, { timeout: 60_000 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    throw new Error(
      `${command} ${args.join(' ')} failed: ${typeof stderr === 'string' ? stderr : String(error)}`,
    );
  }
}

export interface KeyPair {
  key: string;
  cert: string;
}

export interface TestCertificates {
  /** Self-signed for localhost and 127.0.0.1, valid 30 days. */
  selfSigned: KeyPair;
  /** A private CA (30 days) and certificates it signed for localhost/127.0.0.1. */
  ca: string;
  /** Valid 30 days. */
  signed: KeyPair;
  /** Expired: valid until yesterday. */
  expired: KeyPair;
  cleanup(): Promise<void>;
}

const SAN = 'subjectAltName=DNS:localhost,IP:127.0.0.1';

export async function makeCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'emma-probe-certs-'));
  const file = (name: string): string => path.join(dir, name);
  const pair = async (name: string): Promise<KeyPair> => ({
    key: await readFile(file(`${name}.key`), 'utf8'),
    cert: await readFile(file(`${name}.crt`), 'utf8'),
  });
  const selfSignedArgs = (name: string, subject: string, days: number, ext: string): string[] => [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    String(days),
    '-subj',
    subject,
    '-addext',
    ext,
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.crt`),
  ];
  await sh('openssl', selfSignedArgs('self', '/CN=localhost', 30, SAN));
  await sh(
    'openssl',
    selfSignedArgs('ca', '/CN=eMMA Probe Test CA/O=eMMA tests', 30, 'basicConstraints=critical,CA:TRUE'),
  );
  await writeFile(file('san.ext'), `${SAN}\n`);
  const signedBy = async (name: string, days: number): Promise<void> => {
    await sh('openssl', [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
    ]);
    await sh('openssl', [
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      String(days),
      '-extfile',
      file('san.ext'),
      '-out',
      file(`${name}.crt`),
    ]);
  };
  await signedBy('signed', 30);
  // A negative validity period: notAfter is a day before now, so the certificate has already expired.
  await signedBy('expired', -1);
  return {
    selfSigned: await pair('self'),
    ca: await readFile(file('ca.crt'), 'utf8'),
    signed: await pair('signed'),
    expired: await pair('expired'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
