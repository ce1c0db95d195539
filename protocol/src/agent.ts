// What the agent and the server say to each other: enrolment, configuration and ingest batches.
import { z } from 'zod';
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

/** One time series in a batch: a metric with its labels and its points as [unix ms, value] pairs. */
export const SeriesPointsSchema = z.object({
  metric: MetricNameSchema,
  labels: LabelsSchema.optional(),
  points: z.array(z.tuple([z.number().int().nonnegative(), z.number()])).min(1),
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
});
export type IngestBatch = z.input<typeof IngestBatchSchema>;

export const IngestResultSchema = z.object({
  accepted: z.boolean(),
  duplicate: z.boolean(),
  samples: z.number().int(),
  rejectedSamples: z.number().int().describe('Points outside the retention window or too far in the future'),
});
export type IngestResult = z.infer<typeof IngestResultSchema>;
