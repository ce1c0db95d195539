// What the agent and the server say to each other: enrolment, configuration and ingest batches.
import { z } from 'zod';
import { ContainerEventSchema, ContainerInventorySchema, ContainerStatsSchema } from './containers';
import { AgentProbeSchema, ProbeResultSchema } from './probes';

export const LabelsSchema = z
  .record(
    z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'label names are lowercase letters, digits and _'),
    z.string().max(256),
  )
  .refine((labels) => Object.keys(labels).length <= 16, 'at most 16 labels');
export type Labels = z.infer<typeof LabelsSchema>;

/** Metric names: lowercase, dotted, unit last (cpu.percent, net.rx.bytes_per_s). */
export const MetricNameSchema = z
  .string()
  .max(128)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'lowercase dotted name with its unit last, e.g. cpu.percent');

export const HostFactsSchema = z.object({
  hostname: z.string().min(1).max(253),
  os: z.string().max(100),
  arch: z.string().max(50),
  kernel: z.string().max(200).optional(),
  cpus: z.number().int().min(0).max(100_000),
  memTotalBytes: z.number().min(0),
  agentVersion: z.string().max(50),
  machineId: z.string().max(128).optional(),
});
export type HostFacts = z.infer<typeof HostFactsSchema>;

export const EnrollRequestSchema = z.object({
  token: z.string().min(1).max(512),
  host: HostFactsSchema,
  name: z.string().min(1).max(200).optional(),
});
export type EnrollRequest = z.infer<typeof EnrollRequestSchema>;

export const AgentStatusSchema = z.enum(['pending', 'online', 'offline', 'revoked']);
export type AgentStatus = z.infer<typeof AgentStatusSchema>;

export const EnrollResponseSchema = z.object({
  agentId: z.uuid(),
  /** Shown once; the server keeps only its hash. Send as `Authorization: Bearer <credential>`. */
  credential: z.string(),
  status: AgentStatusSchema,
});
export type EnrollResponse = z.infer<typeof EnrollResponseSchema>;

export const AgentConfigSchema = z.object({
  agentId: z.uuid(),
  status: AgentStatusSchema,
  intervalS: z.number().int().min(1).max(3600),
  heartbeatS: z.number().int().min(1).max(3600),
  /** Largest number of samples the server accepts in one batch. */
  maxBatchSamples: z.number().int().min(1),
  /** An operator asked for a new credential: call POST /api/v1/agents/self/credential. */
  rotateCredential: z.boolean(),
  /** The probes this agent runs (directly assigned or matched by label selector). */
  probes: z.array(AgentProbeSchema).default([]),
});
export type AgentConfig = z.infer<typeof AgentConfigSchema>;

export type Point = [number, number];

/** What is wrong with a list of points, and where; undefined when every point is [unix ms ≥ 0, finite]. */
export function pointProblem(value: unknown): { path: number[]; message: string } | undefined {
  if (!Array.isArray(value)) return { path: [], message: 'points must be a list of [unix ms, value] pairs' };
  if (value.length === 0) return { path: [], message: 'points must hold at least one pair' };
  for (let i = 0; i < value.length; i++) {
    const point: unknown = value[i];
    if (!Array.isArray(point) || point.length !== 2)
      return { path: [i], message: 'expected a [unix ms, value] pair' };
    const [ts, v] = point as unknown[];
    if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0) {
      return { path: [i, 0], message: 'expected a time in unix milliseconds (an integer ≥ 0)' };
    }
    if (typeof v !== 'number' || !Number.isFinite(v))
      return { path: [i, 1], message: 'expected a finite number' };
  }
  return undefined;
}

/**
 * Points are checked by a plain loop rather than a schema per point: they are nearly all of an ingest
 * batch, and a per-element schema cost a fifth of the server's CPU per batch (docs/performance.md).
 */
export const PointsSchema = z
  .custom<Point[]>()
  .superRefine((value, ctx) => {
    const problem = pointProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  })
  // The JSON Schema of the documents (OpenAPI), written out: a custom check has none of its own.
  .meta({
    description: '[unix ms (integer ≥ 0), finite number] pairs, at least one',
    type: 'array',
    minItems: 1,
    items: {
      type: 'array',
      prefixItems: [{ type: 'integer', minimum: 0 }, { type: 'number' }],
      minItems: 2,
      maxItems: 2,
    },
  });

/** One time series in a batch: a metric with its labels and its points as [unix ms, value] pairs. */
export const SeriesPointsSchema = z.object({
  metric: MetricNameSchema,
  labels: LabelsSchema.optional(),
  points: PointsSchema,
});
export type SeriesPoints = z.infer<typeof SeriesPointsSchema>;

export const IngestBatchSchema = z.object({
  /** Per-agent, strictly increasing; the server stores each (agent, seq) once, so replays are harmless. */
  seq: z.number().int().positive(),
  sentAt: z.number().int().nonnegative(),
  /** Batches the agent's spool had to drop since the last accepted batch. */
  droppedBatches: z.number().int().nonnegative().default(0),
  series: z.array(SeriesPointsSchema).default([]),
  probeResults: z.array(ProbeResultSchema).default([]),
  /** The host's containers as the agent sees them (absent when nothing changed or Docker is not watched). */
  containers: ContainerInventorySchema.optional(),
  containerEvents: z.array(ContainerEventSchema).max(10_000).default([]),
  containerStats: z.array(ContainerStatsSchema).max(10_000).default([]),
});
export type IngestBatch = z.input<typeof IngestBatchSchema>;

export const IngestResultSchema = z.object({
  accepted: z.boolean(),
  duplicate: z.boolean(),
  samples: z.number().int(),
  rejectedSamples: z.number().int().describe('Points outside the retention window or too far in the future'),
});
export type IngestResult = z.infer<typeof IngestResultSchema>;
