// The shape of one probe plug-in: a probe type, its config schema (from @emma/protocol, the contract) and
// one async `run`. Plug-ins are listed once in registry.ts; the runner validates, times out and catches.
import type { ProbeOutcome, ProbeType } from '@emma/protocol';
import type { z } from 'zod';

export interface ProbeContext {
  /** Aborted when the probe's timeout passes or the caller cancels; a probe stops its I/O then. */
  signal: AbortSignal;
  /** The probe's whole budget, for the probe's own lower-level timeouts (connect, query, resolver). */
  timeoutMs: number;
}

export interface ProbeModule<S extends z.ZodType = z.ZodType> {
  readonly type: ProbeType;
  readonly schema: S;
  /** Returns the outcome, or throws: the runner turns a throw into `down` with the error's message. */
  run(config: z.output<S>, ctx: ProbeContext): Promise<ProbeOutcome>;
  /** Values that must never leave the agent in a message, details or error text (e.g. a password). */
  secrets?(config: z.output<S>): string[];
}

/** Keeps the config type of a probe module's `run` tied to its schema. */
export function defineProbe<S extends z.ZodType>(module: ProbeModule<S>): ProbeModule<S> {
  return module;
}
