// Test support for the alerting suites (imported only by *.test.ts files): channels, rules through the
// API, evaluation at a chosen time, and rows read back.
import type { TestServer } from '../../../test/harness';
import { evaluateAlerts, type AlertSettings } from './evaluate';

export const SETTINGS: AlertSettings = { reopenWindowS: 600, metricStaleS: 600 };

/** A notification channel row (the alerting side only needs it to exist). */
export async function channel(t: TestServer, name = 'ops webhook'): Promise<string> {
  const result = await t.db.query<{ id: string }>(
    `INSERT INTO notification_channels (name, type, config) VALUES ($1, 'webhook', '{}') RETURNING id`,
    [name],
  );
  const row = result.rows[0];
  if (!row) throw new Error('inserting a channel returned no row');
  return row.id;
}

export async function createRule(t: TestServer, token: string, body: unknown): Promise<{ id: string }> {
  const res = await t.request<{ id: string }>('POST', '/api/v1/alert-rules', { token, body });
  if (res.status !== 201) throw new Error(`creating a rule failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

export function evaluate(t: TestServer, now = new Date(), settings = SETTINGS) {
  return evaluateAlerts(t.server.pool, settings, now);
}

export interface DeliveryRow {
  channel_id: string;
  incident_id: string | null;
  event: string;
}

export async function deliveries(t: TestServer, incidentId?: string): Promise<DeliveryRow[]> {
  const result = await t.db.query<DeliveryRow>(
    `SELECT channel_id, incident_id, event FROM notification_deliveries
     WHERE $1::uuid IS NULL OR incident_id = $1 ORDER BY created_at, id`,
    [incidentId ?? null],
  );
  return result.rows;
}

export interface IncidentRowLite {
  id: string;
  status: string;
  subject: string;
  reopen_count: number;
}

export async function incidentsOf(t: TestServer, ruleId: string): Promise<IncidentRowLite[]> {
  const result = await t.db.query<IncidentRowLite>(
    'SELECT id, status, subject, reopen_count FROM incidents WHERE rule_id = $1 ORDER BY opened_at, id',
    [ruleId],
  );
  return result.rows;
}

export async function historyKinds(t: TestServer, incidentId: string): Promise<string[]> {
  const result = await t.db.query<{ kind: string }>(
    'SELECT kind FROM incident_events WHERE incident_id = $1 ORDER BY id',
    [incidentId],
  );
  return result.rows.map((r) => r.kind);
}

export const at = (base: number, seconds: number) => new Date(base + seconds * 1000);
