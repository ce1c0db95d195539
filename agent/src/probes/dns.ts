// DNS probe: resolve a name for one record type through node:dns's Resolver (the system's servers, or the
// given server and port), optionally requiring one answer to equal an expected value.
import { lookup, Resolver } from 'node:dns/promises';
import net from 'node:net';
import { DnsProbeConfigSchema, type ProbeOutcome } from '@emma/protocol';
import type { z } from 'zod';
import { defineProbe } from './types';
import { errorCode, formatMs, now, since, upOrSlow, whenAborted } from './util';

type DnsConfig = z.output<typeof DnsProbeConfigSchema>;
type RecordType = DnsConfig['recordType'];

/** Each record type's answers as text: addresses, names, "10 mail.example.com", joined TXT chunks. */
const QUERIES: Record<RecordType, (resolver: Resolver, name: string) => Promise<string[]>> = {
  A: (r, name) => r.resolve4(name),
  AAAA: (r, name) => r.resolve6(name),
  CNAME: (r, name) => r.resolveCname(name),
  MX: async (r, name) => (await r.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`),
  TXT: async (r, name) => (await r.resolveTxt(name)).map((chunks) => chunks.join('')),
};

/** Names compare case-insensitively and without a trailing dot; TXT compares exactly. */
export function answerMatches(recordType: RecordType, answer: string, expected: string): boolean {
  if (recordType === 'TXT') return answer === expected;
  const norm = (s: string): string => s.trim().toLowerCase().replace(/\.$/, '');
  if (norm(answer) === norm(expected)) return true;
  if (recordType === 'AAAA' && net.isIPv6(answer) && net.isIPv6(expected)) {
    return expandIPv6(answer) === expandIPv6(expected);
  }
  // MX: the exchange alone also matches ("mail.example.com" for "10 mail.example.com").
  return recordType === 'MX' && norm(answer.split(' ').slice(1).join(' ')) === norm(expected);
}

function expandIPv6(address: string): string {
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = address.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...Array<string>(missing).fill('0'), ...right]
    .map((part) => part.padStart(4, '0'))
    .join(':');
}

const FAILURES: Record<string, (c: DnsConfig) => string> = {
  ENOTFOUND: (c) => `${c.name} does not exist (NXDOMAIN)`,
  ENODATA: (c) => `${c.name} has no ${c.recordType} records`,
  ETIMEOUT: (c) => `no answer from the DNS server for ${c.name}`,
  ESERVFAIL: (c) => `the DNS server failed to answer for ${c.name} (SERVFAIL)`,
  EREFUSED: (c) => `the DNS server refused the query for ${c.name} (REFUSED)`,
  ECONNREFUSED: (c) => `could not contact the DNS server for ${c.name}`,
};

async function serverAddress(server: string): Promise<string> {
  if (net.isIP(server)) return server;
  const { address } = await lookup(server);
  return address;
}

export const dnsProbe = defineProbe({
  type: 'dns',
  schema: DnsProbeConfigSchema,
  async run(config, ctx): Promise<ProbeOutcome> {
    const resolver = new Resolver({ timeout: ctx.timeoutMs, tries: 1 });
    let server: string | undefined;
    if (config.server) {
      const address = await serverAddress(config.server);
      const port = config.port ?? 53;
      server = net.isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
      resolver.setServers([server]);
    } else if (config.port) {
      const port = config.port;
      // getServers() lists a non-default port already ("1.2.3.4:5353"); only bare addresses get ours.
      resolver.setServers(
        resolver
          .getServers()
          .map((s) => (net.isIPv6(s) ? `[${s}]:${port}` : net.isIPv4(s) ? `${s}:${port}` : s)),
      );
    }
    const details: Record<string, unknown> = { recordType: config.recordType, server: server ?? null };
    const stop = whenAborted(ctx.signal, () => {
      resolver.cancel();
    });
    const start = now();
    let answers: string[];
    try {
      answers = await QUERIES[config.recordType](resolver, config.name);
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const code = errorCode(error);
      const describe = code === undefined ? undefined : FAILURES[code];
      if (!describe) throw error;
      details.code = code;
      return { status: 'down', latencyMs: since(start), message: describe(config), details };
    } finally {
      stop();
    }
    const latencyMs = since(start);
    details.answers = answers;
    const shown = answers.length > 5 ? `${answers.slice(0, 5).join(', ')}, …` : answers.join(', ');
    if (config.expect !== undefined) {
      const expected = config.expect;
      if (!answers.some((answer) => answerMatches(config.recordType, answer, expected))) {
        return {
          status: 'down',
          latencyMs,
          message: `${config.recordType} ${config.name}: expected ${JSON.stringify(expected)}, got ${shown || 'nothing'}`,
          details,
        };
      }
    }
    return upOrSlow(
      latencyMs,
      config.degradedAboveMs,
      `${config.recordType} ${config.name} → ${shown} in ${formatMs(latencyMs)}`,
      details,
    );
  },
});
