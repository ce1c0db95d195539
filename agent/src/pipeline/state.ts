// The agent's persisted identity and sequence counter: `agent.json` in the state directory.
//
// Sequence numbers must never repeat for an agent, even across crashes, because the server stores each
// (agent, seq) once and would silently drop a reused one as a duplicate. Writing the file for every
// batch is wasteful, so numbers are reserved in blocks: before handing out the first number of a block
// the file is updated to `nextSeq = first + seqBlock`, then numbers come from memory. A crash therefore
// only skips the rest of the block (gaps are fine, repeats are not).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './fsutil';

export const STATE_FILE = 'agent.json';

export interface AgentState {
  serverUrl: string;
  agentId: string;
  credential: string;
  /** Persisted: the lowest sequence number that may still be handed out after a restart. */
  nextSeq: number;
}
export type AgentIdentity = Omit<AgentState, 'nextSeq'>;

export interface StateStoreOptions {
  /** Sequence numbers reserved per write of the state file; 1 means one write per batch. */
  seqBlock?: number;
}

function isState(value: unknown): value is AgentState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.serverUrl === 'string' &&
    typeof v.agentId === 'string' &&
    typeof v.credential === 'string' &&
    typeof v.nextSeq === 'number' &&
    Number.isSafeInteger(v.nextSeq) &&
    v.nextSeq >= 1
  );
}

/** The state file's content, or undefined when the agent was never enrolled. Throws on a corrupt file. */
export async function readState(dir: string): Promise<AgentState | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, STATE_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed: unknown = JSON.parse(text);
  if (!isState(parsed)) throw new Error(`${STATE_FILE} in ${dir} is not a valid agent state`);
  return parsed;
}

/** Writes the state file atomically with mode 0600 (it holds the credential). */
export async function writeState(dir: string, state: AgentState): Promise<void> {
  await writeFileAtomic(path.join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

export class StateStore {
  private identityValue: AgentIdentity;
  private next: number;
  /** Numbers below this are covered by the file; `next` may be handed out without a write. */
  private reservedUntil: number;
  private readonly seqBlock: number;
  /** Every write goes through this chain, so writes never overtake each other. */
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    state: AgentState,
    options: StateStoreOptions,
  ) {
    this.identityValue = {
      serverUrl: state.serverUrl,
      agentId: state.agentId,
      credential: state.credential,
    };
    this.next = state.nextSeq;
    this.reservedUntil = state.nextSeq;
    this.seqBlock = Math.max(1, Math.floor(options.seqBlock ?? 100));
  }

  /** Opens the existing state, or resolves undefined when the agent is not enrolled yet. */
  static async load(dir: string, options: StateStoreOptions = {}): Promise<StateStore | undefined> {
    const state = await readState(dir);
    return state ? new StateStore(dir, state, options) : undefined;
  }

  /**
   * Stores a new identity (after enrolment). A counter already in the directory is kept, so a
   * re-enrolment never restarts the sequence.
   */
  static async create(
    dir: string,
    identity: AgentIdentity,
    options: StateStoreOptions = {},
  ): Promise<StateStore> {
    let nextSeq = 1;
    try {
      nextSeq = (await readState(dir))?.nextSeq ?? 1;
    } catch {
      // A corrupt file is replaced; its counter is lost, the new identity starts over.
    }
    const state = { ...identity, nextSeq };
    await writeState(dir, state);
    return new StateStore(dir, state, options);
  }

  get identity(): Readonly<AgentIdentity> {
    return this.identityValue;
  }

  /** Hands out the next sequence number; resolves only once the file covers it. */
  allocateSeq(): Promise<number> {
    return this.serial(async () => {
      if (this.next >= this.reservedUntil) {
        const until = this.next + this.seqBlock;
        await writeState(this.dir, { ...this.identityValue, nextSeq: until });
        this.reservedUntil = until;
      }
      return this.next++;
    });
  }

  /** Changes the identity (e.g. a new credential) without touching the counter. */
  update(patch: Partial<AgentIdentity>): Promise<void> {
    return this.serial(async () => {
      const identity = { ...this.identityValue, ...patch };
      await writeState(this.dir, { ...identity, nextSeq: this.reservedUntil });
      this.identityValue = identity;
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
