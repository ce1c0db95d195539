// The one list of probe types. Each plug-in appears here once; loading refuses two with the same type.
import type { ProbeOutcome, ProbeType } from '@emma/protocol';
import { z } from 'zod';
import { dnsProbe } from './dns';
import { httpProbe } from './http';
import { icmpProbe } from './icmp';
import { sqlProbe } from './sql';
import { tcpProbe } from './tcp';
import { tlsProbe } from './tls';
import type { ProbeContext, ProbeModule } from './types';

/** A config that passed its type's schema, ready to run. */
export interface PreparedProbe {
  run(ctx: ProbeContext): Promise<ProbeOutcome>;
  /** Values to scrub from anything the probe reports (e.g. its password). */
  secrets: string[];
}

/** A registered probe type with its config type erased; `prepare` validates with the type's schema. */
export interface RegisteredProbe {
  readonly type: ProbeType;
  readonly schema: z.ZodType;
  prepare(config: unknown): { ok: true; probe: PreparedProbe } | { ok: false; error: string };
}

export interface ProbeRegistry {
  get(type: string): RegisteredProbe | undefined;
  types(): ProbeType[];
}

export class DuplicateProbeTypeError extends Error {
  constructor(readonly type: string) {
    super(`probe type "${type}" is registered more than once`);
    this.name = 'DuplicateProbeTypeError';
  }
}

function register<S extends z.ZodType>(module: ProbeModule<S>): RegisteredProbe {
  return {
    type: module.type,
    schema: module.schema,
    prepare(config) {
      const parsed = module.schema.safeParse(config);
      if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error).replace(/\n/g, '; ') };
      const valid = parsed.data;
      return {
        ok: true,
        probe: { run: (ctx) => module.run(valid, ctx), secrets: module.secrets?.(valid) ?? [] },
      };
    },
  };
}

/** Builds a registry from plug-ins; throws DuplicateProbeTypeError when two share a type. */
export function createProbeRegistry(modules: readonly ProbeModule[]): ProbeRegistry {
  const byType = new Map<string, RegisteredProbe>();
  for (const module of modules) {
    if (byType.has(module.type)) throw new DuplicateProbeTypeError(module.type);
    byType.set(module.type, register(module));
  }
  return {
    get: (type) => byType.get(type),
    types: () => [...byType.values()].map((entry) => entry.type),
  };
}

/** Every probe type the agent runs, each listed once. */
export const PROBE_MODULES: readonly ProbeModule[] = [
  httpProbe,
  tcpProbe,
  icmpProbe,
  sqlProbe,
  dnsProbe,
  tlsProbe,
];

export const probeRegistry: ProbeRegistry = createProbeRegistry(PROBE_MODULES);
