// ICMP probe: reachability, round-trip time and loss, through the system's `fping` (falling back to
// `ping` when fping is not installed). The agent image must ship fping (see the agent's Dockerfile).
import { spawn } from 'node:child_process';
import { IcmpProbeConfigSchema, type ProbeOutcome } from '@emma/protocol';
import { defineProbe, type ProbeContext, type ProbeModule } from './types';
import { errorCode, formatMs, roundMs, upOrSlow } from './util';

export interface PingStats {
  tool: 'fping' | 'ping';
  sent: number;
  received: number;
  lossPercent: number;
  rttMinMs: number | null;
  rttAvgMs: number | null;
  rttMaxMs: number | null;
}

export interface IcmpProbeOptions {
  /** Executables to run; names are looked up on PATH. */
  fping?: string;
  ping?: string;
}

function lossOf(sent: number, received: number): number {
  return sent === 0 ? 100 : Math.round(((sent - received) / sent) * 1000) / 10;
}

function stats(tool: PingStats['tool'], sent: number, rtts: number[]): PingStats {
  const received = rtts.length;
  return {
    tool,
    sent,
    received,
    lossPercent: lossOf(sent, received),
    rttMinMs: received ? roundMs(Math.min(...rtts)) : null,
    rttAvgMs: received ? roundMs(rtts.reduce((a, b) => a + b, 0) / received) : null,
    rttMaxMs: received ? roundMs(Math.max(...rtts)) : null,
  };
}

/** `fping -C n -q` writes one line per host to stderr: "host : 0.21 - 0.04" ("-" is a lost reply). */
export function parseFpingOutput(stderr: string, host: string): PingStats | undefined {
  const lines = stderr.split('\n');
  const pattern = /^\s*(\S+)\s+:\s+((?:[\d.]+|-)(?:\s+(?:[\d.]+|-))*)\s*$/;
  let fallback: string | undefined;
  for (const line of lines) {
    const match = pattern.exec(line);
    if (!match?.[2]) continue;
    fallback ??= match[2];
    if (match[1] === host) {
      fallback = match[2];
      break;
    }
  }
  if (fallback === undefined) return undefined;
  const tokens = fallback.trim().split(/\s+/);
  const rtts = tokens.filter((t) => t !== '-').map(Number);
  if (rtts.some((n) => Number.isNaN(n))) return undefined;
  return stats('fping', tokens.length, rtts);
}

/** iputils/busybox `ping -c` summary: "3 packets transmitted, 2 received" and "min/avg/max[/mdev] = a/b/c". */
export function parsePingOutput(stdout: string): PingStats | undefined {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(stdout);
  if (!counts) return undefined;
  const sent = Number(counts[1]);
  const received = Number(counts[2]);
  const rtt = /min\/avg\/max(?:\/\S+)? = ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(stdout);
  return {
    tool: 'ping',
    sent,
    received,
    lossPercent: lossOf(sent, received),
    rttMinMs: rtt ? roundMs(Number(rtt[1])) : null,
    rttAvgMs: rtt ? roundMs(Number(rtt[2])) : null,
    rttMaxMs: rtt ? roundMs(Number(rtt[3])) : null,
  };
}

interface Completed {
  code: number | null;
  stdout: string;
  stderr: string;
}

function execute(command: string, args: string[], signal: AbortSignal): Promise<Completed> {
  return new Promise<Completed>((resolve, reject) => {
    const child = spawn(command, args, {
      signal,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** Per-reply timeout and spacing that fit `count` pings into most of the probe's budget. */
export function pingTiming(
  count: number,
  timeoutMs: number,
  minPeriodMs = 20,
): { periodMs: number; replyTimeoutMs: number } {
  const budget = Math.max(100, Math.floor(timeoutMs * 0.8));
  const periodMs = Math.min(1000, Math.max(minPeriodMs, Math.floor(budget / (2 * count))));
  const replyTimeoutMs = Math.min(2000, Math.max(50, budget - (count - 1) * periodMs));
  return { periodMs, replyTimeoutMs };
}

/** Unprivileged ping refuses intervals below 0.2 s. */
const PING_MIN_PERIOD_MS = 200;

async function withFping(bin: string, host: string, count: number, ctx: ProbeContext): Promise<PingStats> {
  const { periodMs, replyTimeoutMs } = pingTiming(count, ctx.timeoutMs);
  const args = ['-C', String(count), '-q', '-t', String(replyTimeoutMs), '-p', String(periodMs), '--', host];
  const result = await execute(bin, args, ctx.signal);
  if (result.code === 2) throw new Error(`cannot resolve host ${host}`);
  const parsed = parseFpingOutput(result.stderr, host);
  if (!parsed)
    throw new Error(`fping failed (exit ${result.code ?? 'signal'}): ${result.stderr.trim() || 'no output'}`);
  return parsed;
}

async function withPing(bin: string, host: string, count: number, ctx: ProbeContext): Promise<PingStats> {
  const { periodMs, replyTimeoutMs } = pingTiming(count, ctx.timeoutMs, PING_MIN_PERIOD_MS);
  // With -c, ping exits after waiting -W for the last echo's reply.
  const interval = (periodMs / 1000).toFixed(3);
  const wait = (replyTimeoutMs / 1000).toFixed(3);
  const args = ['-n', '-c', String(count), '-i', interval, '-W', wait, '--', host];
  const result = await execute(bin, args, ctx.signal);
  const parsed = parsePingOutput(result.stdout);
  if (!parsed) {
    const text = (result.stderr || result.stdout).trim() || 'no output';
    throw new Error(`ping failed (exit ${result.code ?? 'signal'}): ${text}`);
  }
  return parsed;
}

export function createIcmpProbe(options: IcmpProbeOptions = {}): ProbeModule<typeof IcmpProbeConfigSchema> {
  const fping = options.fping ?? 'fping';
  const ping = options.ping ?? 'ping';
  return defineProbe({
    type: 'icmp',
    schema: IcmpProbeConfigSchema,
    async run(config, ctx): Promise<ProbeOutcome> {
      if (config.host.startsWith('-') || /\s/.test(config.host))
        throw new Error(`invalid host: ${config.host}`);
      let result: PingStats;
      try {
        result = await withFping(fping, config.host, config.count, ctx);
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
        try {
          result = await withPing(ping, config.host, config.count, ctx);
        } catch (fallbackError) {
          if (errorCode(fallbackError) === 'ENOENT') throw new Error('neither fping nor ping is installed');
          throw fallbackError;
        }
      }
      const details: Record<string, unknown> = { ...result };
      const summary = `${result.received}/${result.sent} replies, ${result.lossPercent}% loss`;
      if (result.received === 0 || result.rttAvgMs === null) {
        return {
          status: 'down',
          latencyMs: null,
          message: `no reply from ${config.host} (${summary})`,
          details,
        };
      }
      const latencyMs = result.rttAvgMs;
      const message = `${config.host}: ${summary}, avg ${formatMs(latencyMs)}`;
      if (result.lossPercent > config.degradedLossPercent) {
        return { status: 'degraded', latencyMs, message: `packet loss: ${message}`, details };
      }
      return upOrSlow(latencyMs, config.degradedAboveMs, message, details);
    },
  });
}

export const icmpProbe = createIcmpProbe();
