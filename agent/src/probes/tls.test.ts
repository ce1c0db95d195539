import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbeRegistry } from './registry';
import { runProbe } from './runner';
import { agentProbe, closedPort, makeCertificates, type TestCertificates } from './test-support';
import { createTlsProbe } from './tls';

describe('tls probe', () => {
  let certs: TestCertificates;
  const servers: net.Server[] = [];
  const ports = { selfSigned: 0, signed: 0, expired: 0, plain: 0 };

  const listen = async (server: net.Server): Promise<number> => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as net.AddressInfo).port;
  };
  const tlsServer = (pair: { key: string; cert: string }): tls.Server =>
    tls.createServer(pair, (socket) => {
      socket.on('error', () => undefined);
      socket.end('hello');
    });

  beforeAll(async () => {
    certs = await makeCertificates();
    ports.selfSigned = await listen(tlsServer(certs.selfSigned));
    ports.signed = await listen(tlsServer(certs.signed));
    ports.expired = await listen(tlsServer(certs.expired));
    // Speaks no TLS: answers the ClientHello with plain text and hangs up.
    ports.plain = await listen(
      net.createServer((socket) => {
        socket.resume(); // read (and drop) the ClientHello so the client's FIN arrives
        socket.end('SSH-2.0-NotTls\r\n');
      }),
    );
  });
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    await certs.cleanup();
  });

  const withCa = () => ({ registry: createProbeRegistry([createTlsProbe({ ca: certs.ca })]) });

  it('is down for a self-signed certificate unless untrusted ones are allowed', async () => {
    const refused = await runProbe(agentProbe('tls', { host: '127.0.0.1', port: ports.selfSigned }));
    expect(refused.status).toBe('down');
    expect(refused.message).toBe('127.0.0.1: certificate not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)');
    expect(refused.latencyMs).toBeGreaterThan(0);
    expect(refused.details).toMatchObject({ trusted: false, hostnameValid: true, daysLeft: 29 });

    const allowed = await runProbe(
      agentProbe('tls', { host: '127.0.0.1', port: ports.selfSigned, allowUntrusted: true }),
    );
    expect(allowed.status).toBe('up');
    expect(allowed.message).toMatch(/^127\.0\.0\.1: certificate valid for 29 more days/);
    expect(allowed.details).toMatchObject({
      daysLeft: 29,
      issuer: 'CN=localhost',
      subject: 'CN=localhost',
      hostnameValid: true,
      trusted: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });

  it('is degraded when fewer than minDaysLeft days are left', async () => {
    const config = { host: 'localhost', port: ports.selfSigned, allowUntrusted: true };
    expect((await runProbe(agentProbe('tls', { ...config, minDaysLeft: 29 }))).status).toBe('up');
    const soon = await runProbe(agentProbe('tls', { ...config, minDaysLeft: 30 }));
    expect(soon.status).toBe('degraded');
    expect(soon.message).toMatch(/^expires soon: localhost: .*fewer than 30 days left$/);
  });

  it('is up for a certificate its CA vouches for, checking the hostname', async () => {
    const outcome = await runProbe(agentProbe('tls', { host: 'localhost', port: ports.signed }), withCa());
    expect(outcome.status).toBe('up');
    expect(outcome.details).toMatchObject({
      trusted: true,
      hostnameValid: true,
      authorizationError: null,
      issuer: 'CN=eMMA Probe Test CA, O=eMMA tests',
      subject: 'CN=localhost',
      subjectAltName: 'DNS:localhost, IP Address:127.0.0.1',
    });
    // The agent's own registry does not know that CA.
    const unknownCa = await runProbe(agentProbe('tls', { host: 'localhost', port: ports.signed }));
    expect(unknownCa.message).toBe('localhost: certificate not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)');

    const wrongName = agentProbe('tls', {
      host: '127.0.0.1',
      port: ports.signed,
      servername: 'db.example.org',
    });
    const mismatch = await runProbe(wrongName, withCa());
    expect(mismatch.status).toBe('down');
    expect(mismatch.message).toMatch(/^db\.example\.org: Hostname\/IP does not match certificate's altnames/);
    expect(mismatch.details).toMatchObject({ hostnameValid: false, trusted: true });
    const tolerated = await runProbe(
      { ...wrongName, config: { ...wrongName.config, allowUntrusted: true } } as typeof wrongName,
      withCa(),
    );
    expect(tolerated.status).toBe('up');
    expect(tolerated.details).toMatchObject({ hostnameValid: false });
  });

  it('is down for an expired certificate, trusted or not', async () => {
    const expired = await runProbe(agentProbe('tls', { host: 'localhost', port: ports.expired }), withCa());
    expect(expired.status).toBe('down');
    expect(expired.message).toMatch(/^localhost: certificate expired on \d{4}-\d\d-\d\dT/);
    expect(expired.details?.daysLeft).toBeLessThan(0);
    const allowed = await runProbe(
      agentProbe('tls', { host: 'localhost', port: ports.expired, allowUntrusted: true }),
    );
    expect(allowed.status).toBe('down');
    expect(allowed.message).toMatch(/certificate expired/);
  });

  it('is down when nothing listens or the server speaks no TLS', async () => {
    const port = await closedPort();
    const closed = await runProbe(agentProbe('tls', { host: '127.0.0.1', port }));
    expect(closed).toEqual({
      status: 'down',
      latencyMs: null,
      message: `connect ECONNREFUSED 127.0.0.1:${port}`,
    });
    const plain = await runProbe(agentProbe('tls', { host: '127.0.0.1', port: ports.plain }));
    expect(plain.status).toBe('down');
    expect(plain.latencyMs).toBeNull();
    expect(plain.message).toMatch(
      /wrong version number|packet length too long|socket disconnected|ECONNRESET/,
    );
  });
});
