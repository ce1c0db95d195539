// The command poller: asks the server for container actions (a long poll, so an operator's click reaches
// the host within a second), runs each one once on the engine, reports the outcome until the server has
// it, and has the container re-read at once so the new state follows the result.
//
// - Each command is handed out once by the server; the ids the agent ran are remembered (bounded), so a
//   repeated one is skipped rather than run twice.
// - A command past its expiresAt is not run: it is reported as failed ('expired before the agent could run
//   it'). Actions on one container run one after the other, in the order they came; other containers'
//   actions do not wait for them.
// - Poll failures back off (full jitter, Retry-After honoured); the result report is retried with backoff
//   until the server answers 2xx, or 404/409 (it no longer wants the result).
import { setTimeout as delay } from 'node:timers/promises';
import type { AgentCommand, CommandResult } from '@emma/protocol';
import type { Engine } from '../collectors/containers/engine';
import { aborted } from '../collectors/containers/events';
import type { HttpFailure } from '../pipeline/http';
import { silentLogger, type PipelineLogger } from '../pipeline/logger';
import { backoffDelay, type BackoffOptions } from '../pipeline/sender';
import { fetchCommands, postCommandResult } from './client';
import { EXPIRED_MESSAGE, executeCommand } from './executor';

export interface CommandPollerOptions {
  serverUrl: string;
  credential: string;
  engine: Engine;
  /** The long poll's waitS (1..30). */
  waitS: number;
  /** After each executed command (not after an expired one), e.g. to re-read the container. */
  onExecuted?: (command: AgentCommand, result: CommandResult) => Promise<void> | void;
  logger?: PipelineLogger;
  /** Poll retry backoff; default 1 s doubling up to 60 s. */
  backoff?: BackoffOptions;
  /** Result report retry backoff; default 1 s doubling up to 60 s. */
  resultBackoff?: BackoffOptions;
  /** How long stop() lets running actions and reports finish; default 5 s. */
  stopGraceMs?: number;
  /** Executed command ids remembered; default 1,000. */
  rememberIds?: number;
  now?: () => number;
  random?: () => number;
}

export interface CommandPollerStats {
  polls: number;
  pollFailures: number;
  received: number;
  executed: number;
  succeeded: number;
  failed: number;
  expired: number;
  duplicates: number;
  reported: number;
  /** Results the server no longer wanted (404/409). */
  unwanted: number;
  inFlight: number;
  lastError?: { status: number; code: string; message: string; at: number };
}

export class CommandPoller {
  private credential: string;
  private readonly logger: PipelineLogger;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly pollAbort = new AbortController();
  private readonly taskAbort = new AbortController();
  private running: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private readonly seen = new Set<string>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly tasks = new Set<Promise<void>>();
  private warnedPoll = false;
  private lastError: CommandPollerStats['lastError'];
  private readonly counters = {
    polls: 0,
    pollFailures: 0,
    received: 0,
    executed: 0,
    succeeded: 0,
    failed: 0,
    expired: 0,
    duplicates: 0,
    reported: 0,
    unwanted: 0,
  };

  constructor(private readonly options: CommandPollerOptions) {
    this.credential = options.credential;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Uses a new credential from the next request on (after a rotation). */
  setCredential(credential: string): void {
    this.credential = credential;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops polling at once; running actions and reports get stopGraceMs to finish, then are aborted. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.pollAbort.abort();
      await this.running;
      const all = Promise.all([...this.tasks]);
      const grace = delay(this.options.stopGraceMs ?? 5000, undefined, { ref: false });
      await Promise.race([all, grace]);
      this.taskAbort.abort();
      await all;
    })();
    return this.stopping;
  }

  /** Resolves when no command is being run or reported (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all([...this.tasks]);
  }

  stats(): CommandPollerStats {
    return {
      ...this.counters,
      inFlight: this.tasks.size,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  private async loop(): Promise<void> {
    const signal = this.pollAbort.signal;
    let attempt = 0;
    while (!signal.aborted) {
      const started = this.now();
      this.counters.polls++;
      const result = await fetchCommands(this.options.serverUrl, this.credential, this.options.waitS, signal);
      if (aborted(signal)) break;
      if (!result.ok) {
        this.counters.pollFailures++;
        this.noteError(result);
        const waitMs = this.retryDelay(attempt++, result, this.options.backoff);
        const details = { status: result.status, code: result.code, err: result.message, retryInMs: waitMs };
        if (!this.warnedPoll) this.logger.warn(details, 'command poll failed; retrying');
        else this.logger.debug(details, 'command poll failed; retrying');
        this.warnedPoll = true;
        await delay(waitMs, undefined, { signal }).catch(() => undefined);
        continue;
      }
      if (this.warnedPoll) this.logger.info({}, 'command poll works again');
      this.warnedPoll = false;
      attempt = 0;
      for (const command of result.value.commands) this.accept(command);
      // A server answering at once with nothing (no long poll) must not make this loop spin.
      if (result.value.commands.length === 0 && this.now() - started < 1000) {
        await delay(1000, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private retryDelay(attempt: number, failure: HttpFailure, backoff: BackoffOptions | undefined): number {
    const jittered = backoffDelay(attempt, this.random, { baseMs: 1000, capMs: 60_000, ...backoff });
    const told = failure.retryAfterS === undefined ? 0 : Math.min(600, failure.retryAfterS) * 1000;
    return Math.max(jittered, told, 100);
  }

  private noteError(failure: HttpFailure): void {
    this.lastError = { status: failure.status, code: failure.code, message: failure.message, at: this.now() };
  }

  private accept(command: AgentCommand): void {
    this.counters.received++;
    if (this.seen.has(command.id)) {
      this.counters.duplicates++;
      this.logger.debug({ commandId: command.id }, 'command already run; skipped');
      return;
    }
    this.seen.add(command.id);
    const limit = this.options.rememberIds ?? 1000;
    for (const id of this.seen) {
      if (this.seen.size <= limit) break;
      this.seen.delete(id);
    }
    // One container's actions run in order; the chain entry goes once its last action is done.
    const previous = this.chains.get(command.containerId) ?? Promise.resolve();
    const run = previous.then(() => this.run(command));
    this.chains.set(command.containerId, run);
    const task = run.finally(() => {
      if (this.chains.get(command.containerId) === run) this.chains.delete(command.containerId);
      this.tasks.delete(task);
    });
    this.tasks.add(task);
  }

  private async run(command: AgentCommand): Promise<void> {
    const signal = this.taskAbort.signal;
    if (signal.aborted) return;
    const result = await executeCommand(this.options.engine, command, { now: this.now, signal });
    const expired = result.status === 'failed' && result.message === EXPIRED_MESSAGE;
    if (expired) this.counters.expired++;
    else {
      this.counters.executed++;
      if (result.status === 'succeeded') this.counters.succeeded++;
      else this.counters.failed++;
    }
    this.logger.info(
      {
        commandId: command.id,
        container: command.containerId,
        action: command.action,
        status: result.status,
        message: result.message,
      },
      'container action done',
    );
    // The report and the re-read go together: neither waits for the other.
    await Promise.all([
      this.report(command.id, result),
      expired
        ? Promise.resolve()
        : Promise.resolve(this.options.onExecuted?.(command, result)).catch((err: unknown) => {
            this.logger.debug({ err: String(err) }, 'after-action refresh failed');
          }),
    ]);
  }

  private async report(commandId: string, result: CommandResult): Promise<void> {
    const signal = this.taskAbort.signal;
    for (let attempt = 0; !signal.aborted; attempt++) {
      const answer = await postCommandResult(
        this.options.serverUrl,
        this.credential,
        commandId,
        result,
        signal,
      );
      if (answer.ok) {
        this.counters.reported++;
        return;
      }
      if (aborted(signal)) return;
      if (answer.status === 404 || answer.status === 409) {
        this.counters.unwanted++;
        this.logger.info(
          { commandId, status: answer.status, code: answer.code },
          'the server no longer wants this command result',
        );
        return;
      }
      this.noteError(answer);
      const waitMs = this.retryDelay(attempt, answer, this.options.resultBackoff);
      this.logger.warn(
        { commandId, status: answer.status, code: answer.code, err: answer.message, retryInMs: waitMs },
        'reporting a command result failed; retrying',
      );
      await delay(waitMs, undefined, { signal }).catch(() => undefined);
    }
  }
}
