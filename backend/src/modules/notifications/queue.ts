// The alerting side's one entry point: queue a message for some channels in the caller's transaction.
// Workers send what is queued; wakeNotificationWorkers() (after commit) lets workers in this process
// start at once instead of at their next tick.
import { NotificationMessageSchema, type NotificationMessage } from '@emma/protocol';
import type { Db } from '../../db/pool';
import * as repo from './repo';

/**
 * Inserts one pending delivery per existing, enabled, not-deleted channel among channelIds (unknown and
 * deleted ids are skipped) and returns the delivery ids. Throws on an invalid message.
 */
export async function enqueueNotifications(
  db: Db,
  message: NotificationMessage,
  channelIds: string[],
): Promise<string[]> {
  const parsed = NotificationMessageSchema.parse(message);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  return repo.enqueue(
    db,
    parsed,
    JSON.stringify(parsed),
    channelIds.filter((id) => uuid.test(id)),
  );
}

const wakers = new Set<() => void>();

/** Nudges the delivery workers running in this process (call it after the enqueueing transaction commits). */
export function wakeNotificationWorkers(): void {
  for (const wake of wakers) wake();
}

/** For the worker: listen for wake-ups; returns the function that stops listening. */
export function onWake(wake: () => void): () => void {
  wakers.add(wake);
  return () => {
    wakers.delete(wake);
  };
}
