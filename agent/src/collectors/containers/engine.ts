// The Docker API as the agent uses it: a handful of calls on dockerode, each with a timeout and an abort
// signal, returning the engine's raw JSON (mapped by the pure functions in inventory.ts and stats-math.ts).
// Podman's Docker-compatible API answers the same calls.
import Docker from 'dockerode';
import type { DockerEndpoint } from '../../config';

export interface Engine {
  /** GET /version (raw). */
  version(signal?: AbortSignal): Promise<unknown>;
  /** GET /containers/json?all=true (raw entries). */
  list(signal?: AbortSignal): Promise<unknown[]>;
  /** GET /containers/:id/json (raw); rejects with statusCode 404 when the container is gone. */
  inspect(id: string, signal?: AbortSignal): Promise<unknown>;
  /** One sample of the engine's counters: stream=false, one-shot=true (no precpu, no 1 s wait). */
  stats(id: string, signal?: AbortSignal): Promise<unknown>;
  /** GET /events filtered to containers: a never-ending stream of JSON lines; `since` (unix s) replays. */
  events(signal: AbortSignal, since?: number): Promise<NodeJS.ReadableStream>;
  start(id: string, signal?: AbortSignal): Promise<void>;
  /** `timeoutS`: how long the engine waits for the container to exit before it kills it. */
  stop(id: string, timeoutS: number, signal?: AbortSignal): Promise<void>;
  restart(id: string, timeoutS: number, signal?: AbortSignal): Promise<void>;
}

/** Per call, unless the call says otherwise (stop and restart wait for the container). */
export const ENGINE_TIMEOUT_MS = 15_000;

/** The HTTP status of a failed engine call (dockerode puts it on the error), if there was one. */
export function engineStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function isNotFound(err: unknown): boolean {
  return engineStatus(err) === 404;
}

/** A short, single-line description of an engine failure (dockerode's messages end in a space). */
export function engineErrorMessage(err: unknown): string {
  const json = typeof err === 'object' && err !== null ? (err as { json?: unknown }).json : undefined;
  const fromEngine =
    typeof json === 'object' && json !== null && typeof (json as { message?: unknown }).message === 'string'
      ? (json as { message: string }).message
      : undefined;
  const status = engineStatus(err);
  const base = fromEngine ?? (err instanceof Error ? err.message : String(err));
  const text = base.replace(/\s+/g, ' ').trim();
  return status !== undefined && fromEngine !== undefined ? `${text} (HTTP ${status})` : text;
}

function deadline(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/**
 * A dockerode client for the endpoint. docker-modem merges its own defaults from DOCKER_HOST into the
 * options, so the unix-socket case clears host/port/protocol explicitly (else DOCKER_HOST=tcp://... would
 * win over EMMA_DOCKER_SOCKET). Throws when docker-modem refuses the environment (a malformed DOCKER_HOST).
 */
export function createDocker(endpoint: DockerEndpoint): Docker {
  if ('socketPath' in endpoint) {
    return new Docker({
      socketPath: endpoint.socketPath,
      host: undefined,
      port: undefined,
      protocol: undefined,
      ca: undefined,
      cert: undefined,
      key: undefined,
    });
  }
  // tcp: docker-modem adds https and the client certificates from DOCKER_TLS_VERIFY / DOCKER_CERT_PATH.
  return new Docker({ host: endpoint.host, port: endpoint.port });
}

interface LooseDocker {
  version(options: { abortSignal: AbortSignal }): Promise<unknown>;
  listContainers(options: { all: boolean; abortSignal: AbortSignal }): Promise<unknown>;
  getEvents(options: {
    filters: { type: string[] };
    since?: number;
    abortSignal: AbortSignal;
  }): Promise<NodeJS.ReadableStream>;
  getContainer(id: string): LooseContainer;
}

interface LooseContainer {
  inspect(options: { abortSignal: AbortSignal }): Promise<unknown>;
  stats(options: { stream: false; 'one-shot': true; abortSignal: AbortSignal }): Promise<unknown>;
  start(options: { abortSignal: AbortSignal }): Promise<unknown>;
  stop(options: { t: number; abortSignal: AbortSignal }): Promise<unknown>;
  restart(options: { t: number; abortSignal: AbortSignal }): Promise<unknown>;
}

/** The Engine over dockerode; the client is made on first use, so a bad environment fails calls, not start. */
export function dockerEngine(endpoint: DockerEndpoint | (() => Docker)): Engine {
  let client: LooseDocker | undefined;
  const docker = (): LooseDocker => {
    // dockerode's typings omit the abortSignal the library accepts on every call.
    client ??= (typeof endpoint === 'function'
      ? endpoint()
      : createDocker(endpoint)) as unknown as LooseDocker;
    return client;
  };
  /** Stop/restart may take the whole grace period before the engine answers. */
  const actionTimeout = (timeoutS: number) => ENGINE_TIMEOUT_MS + timeoutS * 1000;
  return {
    version: (signal) => docker().version({ abortSignal: deadline(signal, ENGINE_TIMEOUT_MS) }),
    list: async (signal) => {
      const list = await docker().listContainers({
        all: true,
        abortSignal: deadline(signal, ENGINE_TIMEOUT_MS),
      });
      if (!Array.isArray(list)) throw new Error('the engine answered the container list with no list');
      return list as unknown[];
    },
    inspect: (id, signal) =>
      docker()
        .getContainer(id)
        .inspect({ abortSignal: deadline(signal, ENGINE_TIMEOUT_MS) }),
    stats: (id, signal) =>
      docker()
        .getContainer(id)
        .stats({ stream: false, 'one-shot': true, abortSignal: deadline(signal, ENGINE_TIMEOUT_MS) }),
    events: (signal, since) =>
      docker().getEvents({
        filters: { type: ['container'] },
        ...(since === undefined ? {} : { since }),
        abortSignal: signal,
      }),
    start: async (id, signal) => {
      await docker()
        .getContainer(id)
        .start({ abortSignal: deadline(signal, ENGINE_TIMEOUT_MS) });
    },
    stop: async (id, timeoutS, signal) => {
      await docker()
        .getContainer(id)
        .stop({ t: timeoutS, abortSignal: deadline(signal, actionTimeout(timeoutS)) });
    },
    restart: async (id, timeoutS, signal) => {
      await docker()
        .getContainer(id)
        .restart({ t: timeoutS, abortSignal: deadline(signal, actionTimeout(timeoutS)) });
    },
  };
}
