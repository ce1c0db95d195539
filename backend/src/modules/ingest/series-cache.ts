// Series ids by (agent, metric, labels). Upserted on the pool in autocommit, so an id is cached only once
// its row is committed; a bounded map keeps memory flat however many series pass through.
import type { Pool } from '../../db/pool';

export interface SeriesKey {
  metric: string;
  labels: Record<string, string>;
}

export function seriesKey(agentId: string, metric: string, labels: Record<string, string>): string {
  // JSON, not k=v joined by commas: label values may contain ',' and '='.
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k] ?? '']);
  return JSON.stringify([agentId, metric, sorted]);
}

export class SeriesCache {
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly pool: Pool,
    private readonly maxEntries = 500_000,
  ) {}

  /** Returns the id of each series, in order, creating the ones that do not exist yet. */
  async resolve(agentId: string, series: SeriesKey[]): Promise<number[]> {
    const keys = series.map((s) => seriesKey(agentId, s.metric, s.labels));
    const missing = new Map<string, SeriesKey>();
    keys.forEach((key, i) => {
      const entry = series[i];
      if (entry && !this.ids.has(key)) missing.set(key, entry);
    });
    if (missing.size > 0) {
      // A fixed order, so two upserts over overlapping series lock their rows in the same order.
      const list = [...missing.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
      const result = await this.pool.query<{ id: number; metric: string; labels: Record<string, string> }>(
        `INSERT INTO series (agent_id, metric, labels)
         SELECT $1, m, l FROM unnest($2::text[], $3::jsonb[]) AS u(m, l)
         ON CONFLICT (agent_id, metric, labels) DO UPDATE SET metric = EXCLUDED.metric
         RETURNING id, metric, labels`,
        [agentId, list.map((s) => s.metric), list.map((s) => JSON.stringify(s.labels))],
      );
      if (this.ids.size + result.rows.length > this.maxEntries) this.ids.clear();
      for (const row of result.rows) this.ids.set(seriesKey(agentId, row.metric, row.labels), row.id);
    }
    return keys.map((key) => {
      const id = this.ids.get(key);
      if (id === undefined) throw new Error(`series ${key} was not resolved`);
      return id;
    });
  }

  /** Forgets an agent's series, e.g. after its rows were removed. */
  clear(): void {
    this.ids.clear();
  }
}
