// The engine's event stream (GET /events, type=container): a long-lived HTTP response of JSON objects, one
// per line. Network chunks do not follow the lines (one chunk may hold half an event or several), so the
// splitter below cuts complete top-level objects out of the byte stream itself. The stream ends when the
// engine restarts or the socket breaks; EventStream then reconnects with backoff, replays what it missed
// (`since`, duplicates dropped) and says so, so the monitor can re-read the whole inventory.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as delay } from 'node:timers/promises';
import { ContainerIdSchema, type ContainerEvent } from '@emma/protocol';
import { backoffDelay } from '../../pipeline/sender';
import type { Engine } from './engine';

/** One event as the engine sends it (Docker and Podman agree on these fields). */
export interface RawEvent {
  Type?: string;
  Action?: string;
  /** Old (pre-1.22) spelling of Action. */
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> | null } | null;
  time?: number;
  timeNano?: number;
  /** Podman puts the health status here; Docker in the Action ("health_status: healthy"). */
  HealthStatus?: string;
}

/** Most bytes one event may take before the splitter gives up on it (events are a few hundred bytes). */
const MAX_EVENT_BYTES = 1024 * 1024;

/** Cuts complete JSON objects out of a byte stream, whatever the chunking and separators. */
export class JsonObjectSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private scan = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Objects that did not parse, or grew beyond the size bound. */
  invalid = 0;

  /** Feeds a chunk; returns the objects it completed, in order. */
  push(chunk: Buffer | string): unknown[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const out: unknown[] = [];
    let start = 0;
    for (let i = this.scan; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (this.depth === 0) {
        // Between objects: skip separators (and any stray bytes) up to the next '{'.
        if (c === '{') {
          start = i;
          this.depth = 1;
        } else {
          start = i + 1;
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (c === '"') this.inString = true;
      else if (c === '{' || c === '[') this.depth++;
      else if (c === '}' || c === ']') {
        this.depth--;
        if (this.depth === 0) {
          const text = this.buffer.slice(start, i + 1);
          try {
            out.push(JSON.parse(text));
          } catch {
            this.invalid++;
          }
          start = i + 1;
        }
      }
    }
    this.buffer = this.buffer.slice(start);
    this.scan = this.buffer.length;
    if (this.buffer.length > MAX_EVENT_BYTES) {
      this.invalid++;
      this.reset();
    }
    return out;
  }

  /** Drops a partial object (the stream broke off in the middle of one). */
  reset(): void {
    this.buffer = '';
    this.scan = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }
}

/** What the monitor does about an event: re-read the container, mark it removed, or nothing. */
export type EventEffect = 'inspect' | 'remove' | 'ignore';

export interface ParsedEvent {
  id: string;
  /** Normalised action: Podman's 'remove' is Docker's 'destroy'; health_status loses its suffix. */
  action: string;
  effect: EventEffect;
  /** Unix ms of the event (from timeNano, else time). */
  ts: number;
  /** For the server's event history (undefined for actions not worth reporting: exec_*, attach...). */
  event?: ContainerEvent;
  /** Nanosecond stamp (approximate beyond 2^53) and a key for recognising a replayed duplicate. */
  timeNano: number;
  key: string;
}

/** Lifecycle actions reported to the server and answered with a re-inspect. */
const REPORTED = new Set([
  'create',
  'start',
  'restart',
  'stop',
  'kill',
  'die',
  'oom',
  'pause',
  'unpause',
  'destroy',
  'rename',
  'update',
  'health_status',
]);
const ALIASES: Record<string, string> = { remove: 'destroy', died: 'die' };

/** The signal's state now (a call, so TypeScript does not carry a narrowing across an await). */
export function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

/** Pure: the engine's event object → what it means for the monitor; undefined when it is not a container event. */
export function parseEngineEvent(raw: unknown, now: number = Date.now()): ParsedEvent | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const e = raw as RawEvent;
  if (e.Type !== undefined && e.Type !== 'container') return undefined;
  const id = e.Actor?.ID ?? e.id;
  if (typeof id !== 'string' || !ContainerIdSchema.safeParse(id).success) return undefined;
  const fullAction = (e.Action ?? e.status ?? '').trim();
  if (fullAction === '') return undefined;
  // "health_status: healthy", "exec_start: sh -c ..." carry a detail after the colon.
  const colon = fullAction.indexOf(':');
  const word = (colon === -1 ? fullAction : fullAction.slice(0, colon)).trim().toLowerCase();
  const detail = colon === -1 ? '' : fullAction.slice(colon + 1).trim();
  const action = ALIASES[word] ?? word;
  const attributes = e.Actor?.Attributes ?? {};
  const timeNano =
    typeof e.timeNano === 'number' && e.timeNano > 0
      ? e.timeNano
      : typeof e.time === 'number' && e.time > 0
        ? e.time * 1e9
        : now * 1e6;
  // timeNano is beyond 2^53, so the double is off by up to ~256 ns: allow 1 µs before cutting to the ms.
  const ts = Math.floor(timeNano / 1e6 + 1e-3);
  const effect: EventEffect = action === 'destroy' ? 'remove' : REPORTED.has(action) ? 'inspect' : 'ignore';
  const key = `${id}\u0000${fullAction}\u0000${String(timeNano)}`;
  if (effect === 'ignore') return { id, action, effect, ts, timeNano, key };

  const exitText = attributes.exitCode;
  const exitCode = exitText !== undefined && /^-?\d+$/.test(exitText) ? Number(exitText) : undefined;
  let message: string | undefined;
  if (action === 'health_status') message = detail || e.HealthStatus || undefined;
  else if (action === 'kill' && attributes.signal) message = `signal ${attributes.signal}`;
  else if (action === 'rename' && attributes.oldName) message = `renamed from ${attributes.oldName}`;
  else if (action === 'oom') message = 'out of memory';
  const event: ContainerEvent = {
    id,
    ts,
    action: truncate(action, 64),
    ...(action === 'die' && exitCode !== undefined ? { exitCode } : {}),
    ...(message ? { message: truncate(message, 1000) } : {}),
  };
  return { id, action, effect, ts, event, timeNano, key };
}

export interface EventStreamOptions {
  engine: Engine;
  /** Each container event, in stream order. */
  onEvent: (event: ParsedEvent) => void;
  /** The stream is (again) connected; `reconnect` is false the first time. */
  onConnected?: (info: { reconnect: boolean }) => void;
  /** The stream failed to connect or broke off; it is retried after `retryInMs`. */
  onError?: (error: unknown, retryInMs: number) => void;
  /** Reconnect backoff (full jitter); default 500 ms doubling up to 30 s. */
  backoff?: { baseMs?: number; capMs?: number };
  /** A connection that lasted this long resets the backoff; default 10 s. */
  stableMs?: number;
  /** Replay window on reconnect: at most this far back (default 5 min). */
  maxReplayMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface EventStreamStats {
  connected: boolean;
  connects: number;
  events: number;
  duplicates: number;
  invalid: number;
}

/** Keeps one event subscription open, reconnecting forever until stop(). */
export class EventStream {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private connected = false;
  private connects = 0;
  private events = 0;
  private duplicates = 0;
  private invalid = 0;
  /** Keys of recent events (by event time), to drop the ones a `since` replay repeats. */
  private recent = new Map<string, number>();
  private disconnectedAt: number | undefined;
  private current: NodeJS.ReadableStream | undefined;
  private readonly now: () => number;

  constructor(private readonly options: EventStreamOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.destroyCurrent();
    await this.running;
  }

  /** Breaks the current connection (as a dying engine would); the stream reconnects. For tests and recovery. */
  interrupt(): void {
    this.destroyCurrent();
  }

  stats(): EventStreamStats {
    return {
      connected: this.connected,
      connects: this.connects,
      events: this.events,
      duplicates: this.duplicates,
      invalid: this.invalid,
    };
  }

  private destroyCurrent(): void {
    const stream = this.current;
    // dockerode hands out the HTTP response (a Readable): destroying it closes the connection.
    if (stream && 'destroy' in stream && typeof stream.destroy === 'function') (stream as Readable).destroy();
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    const stableMs = this.options.stableMs ?? 10_000;
    let attempt = 0;
    while (!signal.aborted) {
      let connectedAt: number | undefined;
      let failure: unknown;
      try {
        const stream = await this.options.engine.events(signal, this.replayFrom());
        connectedAt = this.now();
        this.current = stream;
        this.connected = true;
        this.connects++;
        this.options.onConnected?.({ reconnect: this.connects > 1 });
        failure = await this.consume(stream, signal);
      } catch (err) {
        failure = err;
      } finally {
        this.current = undefined;
        if (this.connected) this.disconnectedAt = this.now();
        this.connected = false;
      }
      if (aborted(signal)) break;
      if (connectedAt !== undefined && this.now() - connectedAt >= stableMs) attempt = 0;
      const waitMs = Math.max(
        50,
        backoffDelay(attempt++, this.options.random ?? Math.random, {
          baseMs: this.options.backoff?.baseMs ?? 500,
          capMs: this.options.backoff?.capMs ?? 30_000,
        }),
      );
      this.options.onError?.(failure ?? new Error('the engine closed the event stream'), waitMs);
      await delay(waitMs, undefined, { signal }).catch(() => undefined);
    }
  }

  /** Unix seconds to replay from after a break: a little before it (events in flight), bounded. */
  private replayFrom(): number | undefined {
    if (this.disconnectedAt === undefined) return undefined;
    const floor = this.now() - (this.options.maxReplayMs ?? 5 * 60_000);
    return Math.floor(Math.max(floor, this.disconnectedAt - 2000) / 1000);
  }

  /** Reads events until the stream ends; resolves with the error that ended it (undefined: a clean end). */
  private consume(stream: NodeJS.ReadableStream, signal: AbortSignal): Promise<unknown> {
    const splitter = new JsonObjectSplitter();
    return new Promise<unknown>((resolve) => {
      let settled = false;
      const finish = (err?: unknown) => {
        if (settled) return;
        settled = true;
        this.invalid += splitter.invalid;
        stream.removeListener('data', onData);
        signal.removeEventListener('abort', onAbort);
        resolve(err);
      };
      const onData = (chunk: Buffer | string) => {
        for (const raw of splitter.push(chunk)) this.deliver(raw);
      };
      const onAbort = () => {
        finish();
      };
      stream.on('data', onData);
      stream.once('end', () => {
        finish();
      });
      stream.once('close', () => {
        finish();
      });
      // Kept attached after the end: a late second 'error' must not become an uncaught exception.
      stream.on('error', (err: unknown) => {
        finish(err);
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private deliver(raw: unknown): void {
    const parsed = parseEngineEvent(raw, this.now());
    if (!parsed) return;
    if (this.recent.has(parsed.key)) {
      this.duplicates++;
      return;
    }
    this.recent.set(parsed.key, parsed.ts);
    if (this.recent.size > 2000) {
      // Keep the last minute of events (by event time): enough to recognise a replay's overlap.
      const cutoff = parsed.ts - 60_000;
      for (const [key, ts] of this.recent) if (ts < cutoff) this.recent.delete(key);
      if (this.recent.size > 2000) this.recent = new Map([...this.recent].slice(-1000));
    }
    this.events++;
    try {
      this.options.onEvent(parsed);
    } catch {
      // The monitor's handler does not throw; a bug there must not end the subscription.
    }
  }
}
