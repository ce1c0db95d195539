import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerMatches } from './dns';
import { runProbe } from './runner';
import { agentProbe } from './test-support';

// A minimal authoritative DNS server over UDP (RFC 1035 encoding) for the test zone below.
const TYPE = { A: 1, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 } as const;
type Rr = { type: number; data: Buffer };

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
    Buffer.from([0]),
  ]);
}
const ipv4 = (s: string): Buffer => Buffer.from(s.split('.').map(Number));
const ipv6 = (groups: number[]): Buffer => {
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(g, i * 2));
  return b;
};
const txt = (...strings: string[]): Buffer =>
  Buffer.concat(strings.map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])));
const mx = (preference: number, exchange: string): Buffer => {
  const p = Buffer.alloc(2);
  p.writeUInt16BE(preference);
  return Buffer.concat([p, encodeName(exchange)]);
};

const ZONE: Record<string, Rr[]> = {
  'probe.emma.test': [
    { type: TYPE.A, data: ipv4('10.1.2.3') },
    { type: TYPE.A, data: ipv4('10.1.2.4') },
    { type: TYPE.AAAA, data: ipv6([0xfd00, 0, 0, 0, 0, 0, 0, 1]) },
    { type: TYPE.TXT, data: txt('v=emma1 ', 'hello') },
    { type: TYPE.TXT, data: txt('other') },
    { type: TYPE.MX, data: mx(10, 'mail.emma.test') },
  ],
  'alias.emma.test': [{ type: TYPE.CNAME, data: encodeName('probe.emma.test') }],
};
const SILENT = 'silent.emma.test';

function parseQuestion(msg: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let offset = 12;
  for (let len = msg.readUInt8(offset); len !== 0; len = msg.readUInt8(offset)) {
    labels.push(msg.subarray(offset + 1, offset + 1 + len).toString('ascii'));
    offset += len + 1;
  }
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(offset + 1), end: offset + 5 };
}

function answer(query: Buffer): Buffer | undefined {
  const question = parseQuestion(query);
  if (question.name === SILENT) return undefined;
  const records = ZONE[question.name];
  const matching = (records ?? []).filter((rr) => rr.type === question.type);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // id
  const rd = query.readUInt16BE(2) & 0x0100;
  header.writeUInt16BE(0x8400 | rd | (records ? 0 : 3), 2); // QR, AA, RD copied; rcode 3 = NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(matching.length, 6);
  const answers = matching.map((rr) => {
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    fixed.writeUInt16BE(rr.type, 2);
    fixed.writeUInt16BE(1, 4); // IN
    fixed.writeUInt32BE(60, 6);
    fixed.writeUInt16BE(rr.data.length, 10);
    return Buffer.concat([fixed, rr.data]);
  });
  return Buffer.concat([header, query.subarray(12, question.end), ...answers]);
}

describe('dns probe', () => {
  let server: dgram.Socket;
  let port = 0;
  const queries: string[] = [];

  beforeAll(async () => {
    server = dgram.createSocket('udp4');
    server.on('message', (msg, rinfo) => {
      queries.push(parseQuestion(msg).name);
      const reply = answer(msg);
      if (reply) server.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
    port = server.address().port;
  });
  afterAll(() => {
    server.close();
  });

  const check = (config: Record<string, unknown>, timeoutMs = 3000) =>
    runProbe(agentProbe('dns', { server: '127.0.0.1', port, ...config }, timeoutMs));

  it('resolves A records through the given server and port', async () => {
    const before = queries.length;
    const outcome = await check({ name: 'probe.emma.test' });
    expect(outcome.status).toBe('up');
    expect(outcome.message).toMatch(/^A probe\.emma\.test → 10\.1\.2\.3, 10\.1\.2\.4 in /);
    expect(outcome.details).toMatchObject({
      recordType: 'A',
      server: `127.0.0.1:${port}`,
      answers: ['10.1.2.3', '10.1.2.4'],
    });
    expect(outcome.latencyMs).toBeGreaterThan(0);
    expect(queries.slice(before)).toEqual(['probe.emma.test']);
  });

  it('requires one answer to equal the expected value', async () => {
    expect((await check({ name: 'probe.emma.test', expect: '10.1.2.4' })).status).toBe('up');
    const wrong = await check({ name: 'probe.emma.test', expect: '10.9.9.9' });
    expect(wrong).toMatchObject({
      status: 'down',
      message: 'A probe.emma.test: expected "10.9.9.9", got 10.1.2.3, 10.1.2.4',
    });
  });

  it('answers TXT, MX, AAAA and CNAME queries', async () => {
    const text = await check({ name: 'probe.emma.test', recordType: 'TXT', expect: 'v=emma1 hello' });
    expect(text.status).toBe('up');
    expect(text.details?.answers).toEqual(['v=emma1 hello', 'other']);
    expect((await check({ name: 'probe.emma.test', recordType: 'TXT', expect: 'v=emma1' })).status).toBe(
      'down',
    );
    expect(
      (await check({ name: 'probe.emma.test', recordType: 'MX', expect: 'mail.emma.test' })).status,
    ).toBe('up');
    expect(
      (await check({ name: 'probe.emma.test', recordType: 'MX', expect: '10 mail.emma.test' })).status,
    ).toBe('up');
    expect((await check({ name: 'probe.emma.test', recordType: 'AAAA', expect: 'fd00:0:0::1' })).status).toBe(
      'up',
    );
    const alias = await check({ name: 'alias.emma.test', recordType: 'CNAME', expect: 'PROBE.emma.test.' });
    expect(alias).toMatchObject({ status: 'up', details: { answers: ['probe.emma.test'] } });
  });

  it('is down for NXDOMAIN and for a name without records of the type', async () => {
    const nx = await check({ name: 'nope.emma.test' });
    expect(nx).toMatchObject({
      status: 'down',
      message: 'nope.emma.test does not exist (NXDOMAIN)',
      details: { code: 'ENOTFOUND' },
    });
    expect(nx.latencyMs).toBeGreaterThan(0);
    const nodata = await check({ name: 'probe.emma.test', recordType: 'CNAME' });
    expect(nodata).toMatchObject({ status: 'down', message: 'probe.emma.test has no CNAME records' });
  });

  it('is down when the server does not answer within the timeout', async () => {
    const started = Date.now();
    const outcome = await check({ name: SILENT }, 400);
    expect(outcome.status).toBe('down');
    expect(outcome.message).toMatch(
      /^(timed out after 400 ms|no answer from the DNS server for silent\.emma\.test)$/,
    );
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('compares names without case or trailing dot, TXT exactly', () => {
    expect(answerMatches('CNAME', 'a.example.com', 'A.Example.com.')).toBe(true);
    expect(answerMatches('TXT', 'Hello', 'hello')).toBe(false);
    expect(answerMatches('AAAA', '2001:db8::1', '2001:0db8:0:0:0:0:0:1')).toBe(true);
    expect(answerMatches('AAAA', '2001:db8::1', '2001:db8::2')).toBe(false);
    expect(answerMatches('MX', '10 mx.example.com', 'mx.example.com')).toBe(true);
    expect(answerMatches('A', '10.0.0.1', '10.0.0.10')).toBe(false);
  });
});
