// Pure mapping of the engine's container JSON (GET /containers/json entries and GET /containers/:id/json)
// to the protocol's ContainerInfo. Docker and Podman (its Docker-compatible API) differ in details: Podman
// may report its own states ('configured', 'stopped'...), gives no health in the list, and leaves
// HostIp empty. Anything the server would refuse (over-long strings, too many labels) is trimmed here, so
// one odd container cannot spoil a whole batch.
import {
  ContainerIdSchema,
  type ContainerEngine,
  type ContainerHealth,
  type ContainerInfo,
  type ContainerPort,
  type ContainerState,
} from '@emma/protocol';

/** The parts of an inspect answer the agent reads (everything optional: engines differ). */
export interface RawInspect {
  Id?: string;
  Name?: string;
  Created?: string;
  Path?: string;
  Args?: string[] | null;
  Image?: string;
  RestartCount?: number;
  State?: {
    Status?: string;
    Running?: boolean;
    Paused?: boolean;
    Restarting?: boolean;
    Dead?: boolean;
    ExitCode?: number;
    StartedAt?: string;
    FinishedAt?: string;
    Health?: { Status?: string } | null;
  };
  Config?: { Image?: string; Labels?: Record<string, string> | null } | null;
  NetworkSettings?: {
    Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
  } | null;
}

/** The parts of a GET /containers/json entry the agent reads. */
export interface RawListEntry {
  Id?: string;
  Names?: string[] | null;
  Image?: string;
  ImageID?: string;
  Command?: string;
  /** Unix seconds. */
  Created?: number;
  Ports?: { PrivatePort?: number; PublicPort?: number; Type?: string; IP?: string }[] | null;
  Labels?: Record<string, string> | null;
  State?: string;
  Status?: string;
}

export interface RawVersion {
  Version?: string;
  ApiVersion?: string;
  Platform?: { Name?: string } | null;
  Components?: { Name?: string; Version?: string }[] | null;
}

const MAX_LABELS = 200;
const MAX_LABEL_KEY = 255;
const MAX_LABEL_VALUE = 4096;

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

/**
 * The protocol's state for an engine's state word. Docker's own words map to themselves; Podman's extra
 * ones to their nearest Docker meaning; anything unknown is 'dead' (a container the engine cannot account
 * for is not one to count on).
 */
export function mapState(status: string | undefined): ContainerState {
  switch ((status ?? '').trim().toLowerCase()) {
    case 'created':
    case 'configured': // Podman: defined, never initialised
    case 'initialized': // Podman: runtime prepared, not started
      return 'created';
    case 'running':
    case 'up':
    case 'stopping': // Podman: still running while it is being stopped
      return 'running';
    case 'paused':
      return 'paused';
    case 'restarting':
      return 'restarting';
    case 'removing':
      return 'removing';
    case 'exited':
    case 'stopped': // Podman: ran and stopped
      return 'exited';
    default:
      return 'dead';
  }
}

export function mapHealth(status: string | undefined | null): ContainerHealth {
  switch ((status ?? '').trim().toLowerCase()) {
    case 'starting':
      return 'starting';
    case 'healthy':
      return 'healthy';
    case 'unhealthy':
      return 'unhealthy';
    default:
      return 'none'; // no health check ('' or 'none')
  }
}

/** Unix ms from the engine's RFC 3339 time; null for Go's zero time (0001-01-01...) and anything unparsable. */
export function engineTime(value: string | undefined | null): number | null {
  if (!value || value.startsWith('0001-01-01')) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/** The name without Docker's leading '/', or the short id when the engine gives none. */
function containerName(name: string | undefined, id: string): string {
  const clean = (name ?? '').replace(/^\/+/, '').trim();
  return truncate(clean === '' ? id.slice(0, 12) : clean, 255);
}

function cleanLabels(labels: Record<string, string> | null | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (count >= MAX_LABELS) break;
    if (key.length > MAX_LABEL_KEY || typeof value !== 'string') continue;
    result[key] = truncate(value, MAX_LABEL_VALUE);
    count++;
  }
  return result;
}

function validPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 65_535;
}

/** NetworkSettings.Ports: {"80/tcp": [{HostIp, HostPort}] | null} → one entry per binding (or one unbound). */
export function portsFromInspect(
  ports: NonNullable<RawInspect['NetworkSettings']>['Ports'],
): ContainerPort[] {
  const result: ContainerPort[] = [];
  for (const [spec, bindings] of Object.entries(ports ?? {})) {
    const [portText, protocol = 'tcp'] = spec.split('/');
    const privatePort = Number(portText);
    if (!validPort(privatePort)) continue;
    const type = truncate(protocol, 8);
    if (!bindings || bindings.length === 0) {
      result.push({ privatePort, type });
      continue;
    }
    for (const binding of bindings) {
      const publicPort = Number(binding.HostPort);
      const ip = binding.HostIp?.trim();
      result.push({
        privatePort,
        ...(binding.HostPort && validPort(publicPort) ? { publicPort } : {}),
        type,
        ...(ip ? { ip: truncate(ip, 64) } : {}),
      });
    }
  }
  return result.slice(0, 500);
}

function portsFromList(ports: RawListEntry['Ports']): ContainerPort[] {
  const result: ContainerPort[] = [];
  for (const port of ports ?? []) {
    if (!validPort(port.PrivatePort)) continue;
    result.push({
      privatePort: port.PrivatePort,
      ...(validPort(port.PublicPort) ? { publicPort: port.PublicPort } : {}),
      type: truncate(port.Type ?? 'tcp', 8),
      ...(port.IP ? { ip: truncate(port.IP, 64) } : {}),
    });
  }
  return result.slice(0, 500);
}

function validId(id: unknown): id is string {
  return typeof id === 'string' && ContainerIdSchema.safeParse(id).success;
}

/** ContainerInfo from an inspect answer; undefined when it carries no usable id. */
export function containerFromInspect(raw: unknown): ContainerInfo | undefined {
  const inspect = asObject(raw) as RawInspect | undefined;
  if (!inspect || !validId(inspect.Id)) return undefined;
  const id = inspect.Id;
  const state = mapState(inspect.State?.Status);
  const command = [inspect.Path ?? '', ...(inspect.Args ?? [])].join(' ').trim();
  const imageName = inspect.Config?.Image ?? inspect.Image ?? '';
  const exitCode = inspect.State?.ExitCode;
  return {
    id,
    name: containerName(inspect.Name, id),
    image: truncate(imageName, 512),
    ...(inspect.Image ? { imageId: truncate(inspect.Image, 128) } : {}),
    ...(command ? { command: truncate(command, 1024) } : {}),
    labels: cleanLabels(inspect.Config?.Labels),
    state,
    health: mapHealth(inspect.State?.Health?.Status),
    // A running container's ExitCode is a leftover (0 or its previous run's): only a stopped one has one.
    exitCode:
      (state === 'exited' || state === 'dead') && typeof exitCode === 'number' && Number.isInteger(exitCode)
        ? exitCode
        : null,
    restartCount:
      typeof inspect.RestartCount === 'number' && inspect.RestartCount >= 0
        ? Math.floor(inspect.RestartCount)
        : 0,
    ports: portsFromInspect(inspect.NetworkSettings?.Ports),
    createdAt: engineTime(inspect.Created),
    startedAt: engineTime(inspect.State?.StartedAt),
    finishedAt: engineTime(inspect.State?.FinishedAt),
  };
}

/** The exit code in a list entry's Status ("Exited (137) 5 minutes ago"). */
function exitCodeFromStatus(status: string | undefined): number | null {
  const match = /^exited \((-?\d+)\)/i.exec(status ?? '');
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** Health in a list entry's Status ("Up 5 minutes (unhealthy)"); Podman puts none there. */
function healthFromStatus(status: string | undefined): ContainerHealth {
  const match = /\((health: starting|healthy|unhealthy)\)/i.exec(status ?? '');
  const word = match?.[1]?.toLowerCase();
  return word === 'health: starting' ? 'starting' : mapHealth(word);
}

/**
 * ContainerInfo from a list entry alone, for a container whose inspect failed (not with 404): less
 * precise (no start/finish times, no restart count), better than leaving it out of a full inventory.
 */
export function containerFromList(raw: unknown): ContainerInfo | undefined {
  const entry = asObject(raw) as RawListEntry | undefined;
  if (!entry || !validId(entry.Id)) return undefined;
  const id = entry.Id;
  const state = mapState(entry.State);
  return {
    id,
    name: containerName(entry.Names?.[0], id),
    image: truncate(entry.Image ?? '', 512),
    ...(entry.ImageID ? { imageId: truncate(entry.ImageID, 128) } : {}),
    ...(entry.Command ? { command: truncate(entry.Command, 1024) } : {}),
    labels: cleanLabels(entry.Labels),
    state,
    health: healthFromStatus(entry.Status),
    exitCode: state === 'exited' || state === 'dead' ? exitCodeFromStatus(entry.Status) : null,
    restartCount: 0,
    ports: portsFromList(entry.Ports),
    createdAt: typeof entry.Created === 'number' && entry.Created > 0 ? entry.Created * 1000 : null,
    startedAt: null,
    finishedAt: null,
  };
}

/** The id of a list entry, when it has a usable one. */
export function listEntryId(raw: unknown): string | undefined {
  const id = asObject(raw)?.Id;
  return validId(id) ? id : undefined;
}

/** Engine name and version from GET /version ("Podman Engine" 4.3.1, "Docker Engine - Community" 27.3.1). */
export function engineFromVersion(raw: unknown): ContainerEngine {
  const version = (asObject(raw) ?? {}) as RawVersion;
  const podman = version.Components?.find((c) => /podman/i.test(c.Name ?? ''));
  const name =
    podman?.Name ?? (/docker/i.test(version.Platform?.Name ?? '') ? version.Platform?.Name : undefined);
  return {
    name: truncate(name ?? 'Docker Engine', 100),
    version: truncate(podman?.Version ?? version.Version ?? 'unknown', 100),
    ...(version.ApiVersion ? { apiVersion: truncate(version.ApiVersion, 50) } : {}),
  };
}
