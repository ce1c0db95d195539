// Uptime reports: picks the tiers for the range, expands the maintenance windows, and turns the figures
// per group into availability, downtime, incidents, MTTR and latency p95.
import type { Db } from '../../db/pool';
import type { CsvTable } from '../../http/csv';
import { expandOccurrences } from './occurrences';
import * as repo from './repo';
import type { UptimeReport, UptimeReportItem, UptimeReportQuery } from './schemas';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DEFAULT_DAYS = 30;

const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);

/** Where each tier serves a range [fromMs, toMs): the boundaries and the aligned start. */
export interface TierPlan {
  fromMs: number;
  /** Buckets before it come from the 1 h tier. */
  hourUntilMs: number;
  /** Buckets from it on come from raw results. */
  rawFromMs: number;
  toMs: number;
  /** The exact p95 from raw results is available for the whole range. */
  exactP95: boolean;
}

/**
 * The range rounded out to whole minutes; the 1 h tier for what is older than the 1 m tier's oldest
 * partition (the range then starts on a whole hour), the 1 m tier up to its progress, raw results after.
 */
export function planTiers(fromMs: number, toMs: number, bounds: repo.TierBounds): TierPlan {
  let from = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
  const to = Math.ceil(toMs / MINUTE_MS) * MINUTE_MS;
  const done = bounds.doneUntil1m?.getTime();
  const rawFrom = done === undefined ? from : clamp(Math.floor(done / MINUTE_MS) * MINUTE_MS, from, to);
  const oldest1m = bounds.oldest1m?.getTime();
  const hourUntil =
    oldest1m === undefined ? from : clamp(Math.ceil(oldest1m / HOUR_MS) * HOUR_MS, from, rawFrom);
  if (hourUntil > from) from = Math.floor(from / HOUR_MS) * HOUR_MS;
  const oldestRaw = bounds.oldestRaw?.getTime();
  const exactP95 = oldestRaw !== undefined && from >= oldestRaw && hourUntil === from;
  return { fromMs: from, hourUntilMs: hourUntil, rawFromMs: rawFrom, toMs: to, exactP95 };
}

/** Incidents of an item: about its probe, or (agent and label groups) about its agents or its probes on them. */
export function itemIncidents(
  group: UptimeReportQuery['group'],
  key: string,
  probeIds: readonly string[],
  agentIds: readonly string[],
  incidents: readonly repo.IncidentRow[],
): repo.IncidentRow[] {
  if (group === 'probe') return incidents.filter((i) => i.subject === `probe:${key}`);
  const agents = new Set(agentIds);
  const probes = new Set(probeIds);
  return incidents.filter((i) => {
    const [kind, id = ''] = i.subject.split(':');
    if (kind === 'agent') return agents.has(id);
    return kind === 'probe' && probes.has(id) && (i.agent_ids ?? []).some((a) => agents.has(a));
  });
}

/** Mean (resolved − opened) in seconds of the resolved incidents; null when none is resolved. */
export function meanTimeToResolveS(incidents: readonly repo.IncidentRow[]): number | null {
  const resolved = incidents.filter((i) => i.resolved_at !== null);
  if (resolved.length === 0) return null;
  const total = resolved.reduce(
    (sum, i) => sum + ((i.resolved_at?.getTime() ?? 0) - i.opened_at.getTime()) / 1000,
    0,
  );
  return total / resolved.length;
}

export async function uptimeReport(
  db: Db,
  query: UptimeReportQuery,
  now = new Date(),
): Promise<UptimeReport> {
  const requestedTo = query.to ? Date.parse(query.to) : now.getTime();
  const requestedFrom = query.from ? Date.parse(query.from) : requestedTo - DEFAULT_DAYS * 86_400_000;
  const plan = planTiers(requestedFrom, requestedTo, await repo.tierBounds(db));
  const from = new Date(plan.fromMs);
  const to = new Date(plan.toMs);

  const occurrences: repo.Occurrence[] = [];
  for (const w of await repo.windows(db, from, to)) {
    for (const o of expandOccurrences(w, plan.fromMs, plan.toMs)) {
      occurrences.push({
        start: new Date(o.start),
        end: new Date(o.end),
        agentId: w.agent_id,
        probeId: w.probe_id,
        labels: w.labels,
      });
    }
  }
  const rows = await repo.figures(db, {
    from,
    hourUntil: new Date(plan.hourUntilMs),
    rawFrom: new Date(plan.rawFromMs),
    to,
    group: query.group,
    label: query.label ?? null,
    probeIds: query.probe ?? null,
    agentIds: query.agent ?? null,
    occurrences,
    exactP95: plan.exactP95,
  });
  const incidents = await repo.incidents(db, from, to);
  const source = plan.exactP95 ? 'raw' : 'rollup';

  const figures = (row: repo.FigureRow, own: repo.IncidentRow[]) =>
    ({
      availabilityPct: row.checks > 0 ? (row.ok / row.checks) * 100 : null,
      checks: row.checks,
      downChecks: row.down,
      downtimeMinutes: row.downtime,
      maintenanceMinutes: row.maintenance_minutes,
      incidents: own.length,
      mttrS: meanTimeToResolveS(own),
      latencyP95Ms: plan.exactP95
        ? row.exact_p95
        : row.latency_count > 0 && row.latency_p95_weighted !== null
          ? row.latency_p95_weighted / row.latency_count
          : null,
      latencyP95Source: source,
    }) as const;

  const counted = new Map<string, repo.IncidentRow>();
  const items: UptimeReportItem[] = [];
  let totalRow: repo.FigureRow | undefined;
  for (const row of rows) {
    if (row.total === 1) {
      totalRow = row;
      continue;
    }
    const key = row.key ?? '';
    const own = itemIncidents(query.group, key, row.probe_ids ?? [], row.agent_ids ?? [], incidents);
    for (const i of own) counted.set(i.id, i);
    items.push({
      key,
      name: itemName(query, key, row.name),
      ...(query.group === 'probe' ? {} : { probeCount: row.probes }),
      ...figures(row, own),
    });
  }
  items.sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
  const totals = totalRow ?? emptyRow();
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    group: query.group,
    label: query.group === 'label' ? (query.label ?? null) : null,
    generatedAt: now.toISOString(),
    totals: { probeCount: totals.probes, ...figures(totals, [...counted.values()]) },
    items,
  };
}

function itemName(query: UptimeReportQuery, key: string, name: string | null): string {
  if (query.group === 'label')
    return key === '' ? `${query.label ?? ''} (none)` : `${query.label ?? ''}=${key}`;
  return name ?? key;
}

function emptyRow(): repo.FigureRow {
  return {
    key: null,
    total: 1,
    name: null,
    probes: 0,
    probe_ids: null,
    agent_ids: null,
    checks: 0,
    ok: 0,
    down: 0,
    downtime: 0,
    latency_count: 0,
    latency_p95_weighted: null,
    maintenance_minutes: 0,
    exact_p95: null,
  };
}

export const CSV_COLUMNS = [
  'key',
  'name',
  'probeCount',
  'availabilityPct',
  'checks',
  'downChecks',
  'downtimeMinutes',
  'maintenanceMinutes',
  'incidents',
  'mttrS',
  'latencyP95Ms',
  'latencyP95Source',
] as const;

/** One CSV row per item, with the columns of the JSON items. */
export function reportCsv(report: UptimeReport): CsvTable {
  return {
    columns: CSV_COLUMNS,
    rows: report.items.map((item) => CSV_COLUMNS.map((column) => item[column])),
  };
}
