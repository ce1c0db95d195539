// Small helpers for data that stays current on the agents and admin pages.
import { createMemo, onCleanup, type Accessor, type Resource } from 'solid-js';

/**
 * Enrolments, approvals and revocations publish no realtime notice an operator may subscribe to (only the
 * admin-only `audit` topic hears them), so the agents page also re-reads now and then while visible.
 */
export function pollWhileVisible(refresh: () => void, intervalMs: number): void {
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') refresh();
  }, intervalMs);
  const onVisible = () => {
    if (document.visibilityState === 'visible') refresh();
  };
  document.addEventListener('visibilitychange', onVisible);
  onCleanup(() => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
  });
}

/**
 * The last value a resource loaded, kept while a later re-read fails (reading a failed resource throws),
 * so a live list does not vanish on one failed refresh; the error is shown beside it.
 */
export function lastGood<T>(resource: Resource<T>): Accessor<T | undefined> {
  return createMemo<T | undefined>((previous) =>
    resource.error === undefined ? (resource.latest ?? previous) : previous,
  );
}
