// Agents waiting in GET /api/v1/agents/self/commands?waitS=… for a command. One registry per process:
// while anyone waits it asks the database about every waiting agent with one query per tick (not one per
// waiter), and an action queued in this process wakes its agent's waiters at once. Waiting holds no
// database connection.

export type WaitOutcome = 'woken' | 'timeout' | 'aborted' | 'closed';

export interface CommandWaitersOptions {
  /** Of these agents, those that have something queued (one query for all of them). */
  check: (agentIds: string[]) => Promise<string[]>;
  /** How often the check runs while someone waits. */
  everyMs?: number;
  onError?: (err: unknown) => void;
}

export class CommandWaiters {
  private readonly waiting = new Map<string, Set<(outcome: WaitOutcome) => void>>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private closed = false;
  private readonly everyMs: number;

  constructor(private readonly options: CommandWaitersOptions) {
    this.everyMs = options.everyMs ?? 1000;
  }

  /** True once close() ran (the server shuts down). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Waiters right now, over all agents. */
  get size(): number {
    let n = 0;
    for (const set of this.waiting.values()) n += set.size;
    return n;
  }

  /** Resolves when the agent may have a command ('woken'), after `timeoutMs`, on abort, or on close. */
  wait(agentId: string, timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome> {
    if (this.closed) return Promise.resolve('closed');
    if (signal?.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      let set = this.waiting.get(agentId);
      if (!set) {
        set = new Set();
        this.waiting.set(agentId, set);
      }
      const waiters = set;
      const settle = (outcome: WaitOutcome) => {
        clearTimeout(timeout);
        signal?.removeEventListener('abort', onAbort);
        waiters.delete(settle);
        if (waiters.size === 0 && this.waiting.get(agentId) === waiters) this.waiting.delete(agentId);
        if (this.waiting.size === 0) this.stopTimer();
        resolve(outcome);
      };
      const onAbort = () => {
        settle('aborted');
      };
      const timeout = setTimeout(() => {
        settle('timeout');
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.add(settle);
      this.startTimer();
    });
  }

  /** Wakes the agent's waiters (an action was queued for it in this process). */
  wake(agentId: string): void {
    for (const settle of [...(this.waiting.get(agentId) ?? [])]) settle('woken');
  }

  /** Ends every wait (shutdown); later waits end at once. */
  close(): void {
    this.closed = true;
    for (const set of [...this.waiting.values()]) for (const settle of [...set]) settle('closed');
    this.stopTimer();
  }

  /** One check of every waiting agent; runs on the timer, and may be called directly (tests). */
  async tick(): Promise<void> {
    if (this.checking || this.waiting.size === 0) return;
    this.checking = true;
    try {
      const ready = await this.options.check([...this.waiting.keys()]);
      for (const agentId of ready) this.wake(agentId);
    } catch (err) {
      this.options.onError?.(err);
    } finally {
      this.checking = false;
    }
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.tick();
    }, this.everyMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
