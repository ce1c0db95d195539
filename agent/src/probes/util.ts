// Small helpers the probe modules share: timing, error text, abort wiring, the "slow is degraded" rule.
import { performance } from 'node:perf_hooks';
import type { ProbeOutcome } from '@emma/protocol';

/** Milliseconds since `start` (a performance.now() value), to three decimals. */
export function since(start: number): number {
  return roundMs(performance.now() - start);
}

export function roundMs(ms: number): number {
  return Math.max(0, Math.round(ms * 1000) / 1000);
}

export function now(): number {
  return performance.now();
}

/** A readable message for anything thrown, including Node's AggregateError with an empty message. */
export function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && !error.message) {
    const inner = error.errors.map((e) => errorMessage(e)).filter((m) => m.length > 0);
    if (inner.length > 0) return [...new Set(inner)].join('; ');
  }
  if (error instanceof Error) {
    if (error.message) return error.message;
    return errorCode(error) ?? error.name;
  }
  if (typeof error === 'string') return error;
  return 'unknown error';
}

/** The error's Node code (ECONNREFUSED, ENOTFOUND, ...), when it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  return typeof code === 'string' ? code : undefined;
}

/** Calls `onAbort` once when the signal aborts (at once when already aborted); returns the unsubscribe. */
export function whenAborted(signal: AbortSignal, onAbort: (reason: unknown) => void): () => void {
  if (signal.aborted) {
    onAbort(signal.reason);
    return () => undefined;
  }
  const listener = (): void => {
    onAbort(signal.reason);
  };
  signal.addEventListener('abort', listener, { once: true });
  return () => {
    signal.removeEventListener('abort', listener);
  };
}

/** The reason of an aborted signal as an Error. */
export function abortError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error('aborted');
}

/** `up` with the message, or `degraded` when slower than `degradedAboveMs`. */
export function upOrSlow(
  latencyMs: number,
  degradedAboveMs: number | undefined,
  message: string,
  details: Record<string, unknown>,
): ProbeOutcome {
  if (degradedAboveMs !== undefined && latencyMs > degradedAboveMs) {
    return {
      status: 'degraded',
      latencyMs,
      message: `slow: ${formatMs(latencyMs)} > ${degradedAboveMs} ms; ${message}`,
      details,
    };
  }
  return { status: 'up', latencyMs, message, details };
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`;
}

/** Replaces every occurrence of each secret (and its URL-encoded form) with `***`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

/** Scrubs every string inside a JSON-like value. */
export function scrubValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets));
  if (value instanceof Date) return value;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[scrub(key, secrets)] = scrubValue(v, secrets);
    return out;
  }
  return value;
}
