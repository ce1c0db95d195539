// Service probes: their configuration (one schema per type, a discriminated union on `type`), what the
// server hands an agent, and the one result shape every probe returns.
import { z } from 'zod';

export const PROBE_TYPES = ['http', 'tcp', 'icmp', 'sql', 'dns', 'tls'] as const;
export const ProbeTypeSchema = z.enum(PROBE_TYPES);
export type ProbeType = z.infer<typeof ProbeTypeSchema>;

/** What one check found. */
export const ProbeResultStatusSchema = z.enum(['up', 'down', 'degraded']);
export type ProbeResultStatus = z.infer<typeof ProbeResultStatusSchema>;

/** A probe's current state on the server; `pending` before its first result, `paused` when disabled. */
export const ProbeStateSchema = z.enum(['up', 'down', 'degraded', 'pending', 'paused']);
export type ProbeState = z.infer<typeof ProbeStateSchema>;

const host = z.string().min(1).max(253);
const port = z.number().int().min(1).max(65535);
const degradedAboveMs = z.number().int().positive().optional().describe('Slower than this is degraded');

/** e.g. "200-299", "200,301-302". */
export const StatusRangesSchema = z
  .string()
  .regex(/^[1-5]\d\d(-[1-5]\d\d)?(,[1-5]\d\d(-[1-5]\d\d)?)*$/, 'status codes or ranges, e.g. 200-299,301');

export const HttpProbeConfigSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
    headers: z.record(z.string().min(1).max(256), z.string().max(8192)).default({}),
    body: z.string().max(65_536).optional(),
    expectStatus: StatusRangesSchema.default('200-399'),
    keyword: z.string().min(1).max(1024).optional().describe('Must appear in the body'),
    keywordAbsent: z.string().min(1).max(1024).optional().describe('Must not appear in the body'),
    jsonPath: z
      .string()
      .regex(/^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$/, 'a path like $.status or $.items[0].id')
      .optional(),
    jsonEquals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    followRedirects: z.boolean().default(true),
    ignoreTlsErrors: z.boolean().default(false),
    degradedAboveMs,
  })
  .strict();

export const TcpProbeConfigSchema = z.object({ host, port, degradedAboveMs }).strict();

export const IcmpProbeConfigSchema = z
  .object({
    host,
    count: z.number().int().min(1).max(10).default(3),
    degradedLossPercent: z
      .number()
      .min(0)
      .max(100)
      .default(0)
      .describe('Loss above this (but not 100%) is degraded'),
    degradedAboveMs,
  })
  .strict();

export const SqlProbeConfigSchema = z
  .object({
    engine: z.enum(['postgres', 'mysql']),
    host,
    port: port.optional(),
    database: z.string().max(128).optional(),
    user: z.string().min(1).max(128),
    /** Write-only: stored encrypted, handed only to the probe's agent, never returned by the API. */
    password: z.string().max(1024).optional(),
    query: z.string().min(1).max(10_000).default('SELECT 1'),
    expectFirstValue: z.string().max(1024).optional().describe('The first column of the first row, as text'),
    tls: z.boolean().default(false),
    degradedAboveMs,
  })
  .strict();

export const DnsProbeConfigSchema = z
  .object({
    name: z.string().min(1).max(253),
    recordType: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT']).default('A'),
    server: z.string().max(253).optional().describe('Resolver address; the system resolver when unset'),
    port: port.optional(),
    expect: z.string().max(1024).optional().describe('One of the answers must equal this'),
    degradedAboveMs,
  })
  .strict();

export const TlsProbeConfigSchema = z
  .object({
    host,
    port: port.default(443),
    servername: z.string().max(253).optional(),
    minDaysLeft: z.number().int().min(0).max(3650).default(14).describe('Fewer days left is degraded'),
    allowUntrusted: z
      .boolean()
      .default(false)
      .describe('Report expiry even for certificates no CA vouches for'),
  })
  .strict();

export const PROBE_CONFIG_SCHEMAS = {
  http: HttpProbeConfigSchema,
  tcp: TcpProbeConfigSchema,
  icmp: IcmpProbeConfigSchema,
  sql: SqlProbeConfigSchema,
  dns: DnsProbeConfigSchema,
  tls: TlsProbeConfigSchema,
} as const;

/** Type and config together, discriminated on `type`. */
export const ProbeDefinitionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('http'), config: HttpProbeConfigSchema }),
  z.object({ type: z.literal('tcp'), config: TcpProbeConfigSchema }),
  z.object({ type: z.literal('icmp'), config: IcmpProbeConfigSchema }),
  z.object({ type: z.literal('sql'), config: SqlProbeConfigSchema }),
  z.object({ type: z.literal('dns'), config: DnsProbeConfigSchema }),
  z.object({ type: z.literal('tls'), config: TlsProbeConfigSchema }),
]);

/**
 * The same union with members that refuse unknown keys, for request bodies that add fields of their own
 * (in an intersection, zod reports an unknown key only when every side refuses it).
 */
export function strictProbeDefinition<T extends z.ZodRawShape>(extra: T) {
  return z.discriminatedUnion('type', [
    z.object({ ...extra, type: z.literal('http'), config: HttpProbeConfigSchema }).strict(),
    z.object({ ...extra, type: z.literal('tcp'), config: TcpProbeConfigSchema }).strict(),
    z.object({ ...extra, type: z.literal('icmp'), config: IcmpProbeConfigSchema }).strict(),
    z.object({ ...extra, type: z.literal('sql'), config: SqlProbeConfigSchema }).strict(),
    z.object({ ...extra, type: z.literal('dns'), config: DnsProbeConfigSchema }).strict(),
    z.object({ ...extra, type: z.literal('tls'), config: TlsProbeConfigSchema }).strict(),
  ]);
}
export type ProbeDefinition = z.infer<typeof ProbeDefinitionSchema>;

/** A probe as its agent receives it in the configuration pull. */
export const AgentProbeSchema = z.intersection(
  z.object({
    id: z.uuid(),
    name: z.string(),
    intervalS: z.number().int().min(5),
    timeoutMs: z.number().int().min(100).max(120_000),
  }),
  ProbeDefinitionSchema,
);
export type AgentProbe = z.infer<typeof AgentProbeSchema>;

/** The one result shape: every probe returns it; the runner turns a throw or a timeout into `down`. */
export const ProbeOutcomeSchema = z.object({
  status: ProbeResultStatusSchema,
  latencyMs: z.number().min(0).nullable(),
  message: z.string().max(2000),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ProbeOutcome = z.infer<typeof ProbeOutcomeSchema>;

/** One check's result in an ingest batch. */
export const ProbeResultSchema = ProbeOutcomeSchema.extend({
  probeId: z.uuid(),
  ts: z.number().int().nonnegative(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;
