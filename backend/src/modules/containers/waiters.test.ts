// The registry of waiting command polls on its own: one check for all waiting agents per tick, wakes,
// timeouts, aborts and shutdown. (The database side is covered end to end in actions.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { CommandWaiters } from './waiters';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let registry: CommandWaiters | undefined;

afterEach(() => {
  registry?.close();
});

describe('CommandWaiters', () => {
  it('checks every waiting agent with one call per tick and wakes those with something queued', async () => {
    const calls: string[][] = [];
    let ready: string[] = [];
    registry = new CommandWaiters({
      check: (agentIds) => {
        calls.push([...agentIds].sort());
        return Promise.resolve(ready);
      },
      everyMs: 50,
    });
    const waits = ['a', 'b', 'c', 'a'].map((agent) => registry!.wait(agent, 5000));
    expect(registry.size).toBe(4);
    await sleep(130);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const call of calls) expect(call).toEqual(['a', 'b', 'c']);
    ready = ['a'];
    expect(await waits[0]).toBe('woken');
    expect(await waits[3]).toBe('woken');
    expect(registry.size).toBe(2);
    ready = [];
    registry.wake('b');
    expect(await waits[1]).toBe('woken');
    registry.close();
    expect(await waits[2]).toBe('closed');
    expect(registry.size).toBe(0);
    expect(await registry.wait('d', 5000)).toBe('closed');
  });

  it('times out, ends on abort, and stops checking when nobody waits', async () => {
    let calls = 0;
    registry = new CommandWaiters({
      check: () => {
        calls += 1;
        return Promise.resolve([]);
      },
      everyMs: 20,
    });
    const started = Date.now();
    expect(await registry.wait('a', 100)).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    const controller = new AbortController();
    const aborted = registry.wait('a', 5000, controller.signal);
    controller.abort();
    expect(await aborted).toBe('aborted');
    expect(await registry.wait('a', 5000, controller.signal)).toBe('aborted');
    expect(registry.size).toBe(0);
    const after = calls;
    await sleep(100);
    expect(calls).toBe(after);
  });

  it('survives a failing check and reports it', async () => {
    const errors: unknown[] = [];
    let fail = true;
    registry = new CommandWaiters({
      check: (agentIds) => (fail ? Promise.reject(new Error('database down')) : Promise.resolve(agentIds)),
      everyMs: 20,
      onError: (err) => errors.push(err),
    });
    const waiting = registry.wait('a', 5000);
    await sleep(60);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    fail = false;
    expect(await waiting).toBe('woken');
  });
});
