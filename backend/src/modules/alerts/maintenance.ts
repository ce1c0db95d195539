// Maintenance windows: which are in effect at a moment, and whether one covers an incident's subject.
import type { Db } from '../../db/pool';
import { lastFiring, parseCron } from './cron';
import * as repo from './repo';

/** Where a subject lives: what a window's scope is compared with. */
export interface SubjectScope {
  agentIds: string[];
  agentLabels: Record<string, string>[];
  probeId?: string;
  containerId?: string;
}

/** Whether the window is in effect at `now` (one-off: within its bounds; cron: within an occurrence). */
export function isActive(window: repo.MaintenanceRow, now: Date): boolean {
  const t = now.getTime();
  if (window.starts_at && t < window.starts_at.getTime()) return false;
  if (window.ends_at && t >= window.ends_at.getTime()) return false;
  if (window.cron === null || window.duration_s === null) return true;
  try {
    return lastFiring(parseCron(window.cron), now, window.duration_s * 1000) !== undefined;
  } catch {
    return false;
  }
}

function contains(labels: Record<string, string>, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function covers(window: repo.MaintenanceRow, scope: SubjectScope): boolean {
  if (window.agent_id !== null) return scope.agentIds.includes(window.agent_id);
  if (window.probe_id !== null) return scope.probeId === window.probe_id;
  if (window.container_id !== null) return scope.containerId === window.container_id;
  const selector = window.labels;
  if (selector !== null) return scope.agentLabels.some((labels) => contains(labels, selector));
  return false;
}

/** The windows in effect now; evaluate once per tick, then ask `covered` per subject. */
export async function activeWindows(db: Db, now: Date): Promise<repo.MaintenanceRow[]> {
  return (await repo.liveWindows(db)).filter((w) => isActive(w, now));
}

export function coveringWindow(
  windows: repo.MaintenanceRow[],
  scope: SubjectScope,
): repo.MaintenanceRow | undefined {
  return windows.find((w) => covers(w, scope));
}
