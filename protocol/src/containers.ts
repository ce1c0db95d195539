// Containers on an agent's host: what the agent reports (inventory, engine events, stats) and the
// commands (start/stop/restart) the server hands to it.
import { z } from 'zod';

/** The engine's container id: 64 hex characters (a 12-character short id is accepted from users). */
export const ContainerIdSchema = z.string().regex(/^[0-9a-f]{12,64}$/, 'a container id: 12 to 64 hex digits');

export const CONTAINER_STATES = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
] as const;
export const ContainerStateSchema = z.enum(CONTAINER_STATES);
export type ContainerState = z.infer<typeof ContainerStateSchema>;

export const ContainerHealthSchema = z.enum(['none', 'starting', 'healthy', 'unhealthy']);
export type ContainerHealth = z.infer<typeof ContainerHealthSchema>;

const UnixMs = z.number().int().nonnegative();

export const ContainerPortSchema = z.object({
  privatePort: z.number().int().min(0).max(65_535),
  publicPort: z.number().int().min(0).max(65_535).optional(),
  type: z.string().max(8),
  ip: z.string().max(64).optional(),
});
export type ContainerPort = z.infer<typeof ContainerPortSchema>;

/** Engine labels are free-form (com.docker.compose.project...), unlike eMMA's metric labels. */
export const ContainerLabelsSchema = z
  .record(z.string().max(255), z.string().max(4096))
  .refine((labels) => Object.keys(labels).length <= 200, 'at most 200 labels');

export const ContainerInfoSchema = z.object({
  id: ContainerIdSchema,
  name: z.string().min(1).max(255),
  image: z.string().max(512),
  imageId: z.string().max(128).optional(),
  command: z.string().max(1024).optional(),
  labels: ContainerLabelsSchema.default({}),
  state: ContainerStateSchema,
  health: ContainerHealthSchema.default('none'),
  exitCode: z.number().int().nullable().default(null),
  restartCount: z.number().int().nonnegative().default(0),
  ports: z.array(ContainerPortSchema).max(500).default([]),
  /** Unix ms; null when the engine does not say (never started, never finished). */
  createdAt: UnixMs.nullable().default(null),
  startedAt: UnixMs.nullable().default(null),
  finishedAt: UnixMs.nullable().default(null),
});
export type ContainerInfo = z.input<typeof ContainerInfoSchema>;
export type ContainerInfoParsed = z.infer<typeof ContainerInfoSchema>;

export const ContainerEngineSchema = z.object({
  name: z.string().max(100),
  version: z.string().max(100),
  apiVersion: z.string().max(50).optional(),
});
export type ContainerEngine = z.infer<typeof ContainerEngineSchema>;

/**
 * The agent's view of its host's containers at `at`. A full report lists every container (the server
 * marks those it does not list as removed); an incremental one carries changed containers and removals.
 */
export const ContainerInventorySchema = z.object({
  at: UnixMs,
  full: z.boolean(),
  /** False when the agent runs read-only (EMMA_CONTAINER_ACTIONS=false): the server refuses actions. */
  actionsEnabled: z.boolean(),
  engine: ContainerEngineSchema.optional(),
  containers: z.array(ContainerInfoSchema).max(10_000).default([]),
  removed: z.array(ContainerIdSchema).max(10_000).default([]),
});
export type ContainerInventory = z.input<typeof ContainerInventorySchema>;

/** One event from the engine's event stream (start, die, kill, oom, health_status, destroy...). */
export const ContainerEventSchema = z.object({
  id: ContainerIdSchema,
  ts: UnixMs,
  action: z.string().min(1).max(64),
  exitCode: z.number().int().optional(),
  message: z.string().max(1000).optional(),
});
export type ContainerEvent = z.infer<typeof ContainerEventSchema>;

/** Stats of one running container, computed by the agent from two consecutive samples of the engine's counters. */
export const ContainerStatsSchema = z.object({
  id: ContainerIdSchema,
  ts: UnixMs,
  /** 100 = one core fully used (like `docker stats`); null on the first sample (no previous one). */
  cpuPercent: z.number().nonnegative().nullable(),
  memUsedBytes: z.number().nonnegative(),
  memLimitBytes: z.number().nonnegative().nullable(),
  netRxBytesPerS: z.number().nonnegative().nullable(),
  netTxBytesPerS: z.number().nonnegative().nullable(),
  blockReadBytesPerS: z.number().nonnegative().nullable(),
  blockWriteBytesPerS: z.number().nonnegative().nullable(),
  pids: z.number().int().nonnegative().nullable(),
});
export type ContainerStats = z.infer<typeof ContainerStatsSchema>;

/** The series the server derives from container stats and inventory (labels: {container: <name>}). */
export const CONTAINER_METRICS = {
  cpuPercent: 'container.cpu.percent',
  memUsedBytes: 'container.mem.used.bytes',
  memLimitBytes: 'container.mem.limit.bytes',
  netRxBytesPerS: 'container.net.rx.bytes_per_s',
  netTxBytesPerS: 'container.net.tx.bytes_per_s',
  blockReadBytesPerS: 'container.blk.read.bytes_per_s',
  blockWriteBytesPerS: 'container.blk.write.bytes_per_s',
  pids: 'container.pids',
  restarts: 'container.restarts',
} as const;

export const CONTAINER_ACTIONS = ['start', 'stop', 'restart'] as const;
export const ContainerActionSchema = z.enum(CONTAINER_ACTIONS);
export type ContainerAction = z.infer<typeof ContainerActionSchema>;

export const ActionStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'expired']);
export type ActionStatus = z.infer<typeof ActionStatusSchema>;

/** A command the server hands to an agent once (GET /api/v1/agents/self/commands). */
export const AgentCommandSchema = z.object({
  id: z.uuid(),
  kind: z.literal('container_action'),
  containerId: ContainerIdSchema,
  action: ContainerActionSchema,
  /** Seconds the engine waits for the container to stop before it kills it (stop, restart). */
  stopTimeoutS: z.number().int().min(0).max(600),
  /** Unix ms after which the agent must not start it any more. */
  expiresAt: UnixMs,
});
export type AgentCommand = z.infer<typeof AgentCommandSchema>;

export const AgentCommandsSchema = z.object({ commands: z.array(AgentCommandSchema) });
export type AgentCommands = z.infer<typeof AgentCommandsSchema>;

/** POST /api/v1/agents/self/commands/:id/result */
export const CommandResultSchema = z.object({
  status: z.enum(['succeeded', 'failed']),
  message: z.string().max(2000).default(''),
  finishedAt: UnixMs,
});
export type CommandResult = z.input<typeof CommandResultSchema>;
