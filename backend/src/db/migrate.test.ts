// The schema migrations, up and down, on an empty database of their own.
import { readdir } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/harness';
import { createLogger } from '../logger';
import { migrate, MIGRATIONS_DIR, pendingMigrations } from './migrate';

const APP_TABLES = [
  'agent_events',
  'alert_conditions',
  'alert_rules',
  'agents',
  'audit_log',
  'container_actions',
  'containers',
  'dashboards',
  'enrollment_tokens',
  'incident_events',
  'incidents',
  'ingest_batches',
  'login_throttle',
  'maintenance_windows',
  'notification_attempts',
  'notification_channels',
  'notification_deliveries',
  'probe_events',
  'probe_states',
  'probes',
  'refresh_tokens',
  'rollup_backfill',
  'rollup_progress',
  'series',
  'sessions',
  'users',
  'ws_tickets',
];
// Raw samples and their rollups carry their own time (ts, bucket): the one exception to created_at/updated_at.
const isTimeSeriesTable = (table: string) =>
  /^(samples|probe_results|container_events|samples_1m|samples_1h|probe_results_1m|probe_results_1h)(_p\d{6,8})?$/.test(
    table,
  );
const logger = createLogger('silent');

let url: string;
let db: pg.Pool;
let migrationNames: string[];

async function tables(): Promise<string[]> {
  const result = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'pgmigrations'
     ORDER BY table_name`,
  );
  return result.rows.map((row) => row.table_name);
}

async function columns(table: string): Promise<Map<string, { data_type: string; is_nullable: string }>> {
  const result = await db.query<{ column_name: string; data_type: string; is_nullable: string }>(
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return new Map(result.rows.map((row) => [row.column_name, row]));
}

beforeAll(async () => {
  url = await createTestDatabase({ empty: true });
  db = new pg.Pool({ connectionString: url, max: 2 });
  migrationNames = (await readdir(MIGRATIONS_DIR))
    .filter((file) => file.endsWith('.sql'))
    .map((file) => file.replace(/\.sql$/, ''))
    .sort();
  expect(migrationNames.length).toBeGreaterThan(0);
});
afterAll(async () => {
  await db.end();
});

describe('migrations', () => {
  it('start from an empty database with every migration pending', async () => {
    expect(await tables()).toEqual([]);
    expect((await pendingMigrations(db)).sort()).toEqual(migrationNames);
  });

  it('up creates every table, each with created_at and updated_at, and users with deleted_at', async () => {
    expect(await migrate(url, 'up', logger)).toEqual(migrationNames);
    expect(await pendingMigrations(db)).toEqual([]);
    const created = await tables();
    expect(created).toEqual(expect.arrayContaining(APP_TABLES));
    for (const table of created.filter((name) => !isTimeSeriesTable(name))) {
      const cols = await columns(table);
      for (const name of ['created_at', 'updated_at']) {
        expect(cols.get(name), `${table}.${name}`).toEqual({
          column_name: name,
          data_type: 'timestamp with time zone',
          is_nullable: 'NO',
        });
      }
    }
    const users = await columns('users');
    expect(users.get('deleted_at')).toMatchObject({
      data_type: 'timestamp with time zone',
      is_nullable: 'YES',
    });
    // Running up again is a no-op.
    expect(await migrate(url, 'up', logger)).toEqual([]);
  });

  it('keeps emails unique among live users only', async () => {
    await db.query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ('a@example.test', 'A', 'viewer', 'h')`,
    );
    await expect(
      db.query(
        `INSERT INTO users (email, name, role, password_hash) VALUES ('A@example.test', 'A2', 'viewer', 'h')`,
      ),
    ).rejects.toMatchObject({ code: '23505' });
    await db.query(`UPDATE users SET deleted_at = now() WHERE email = 'a@example.test'`);
    await db.query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ('a@example.test', 'A3', 'viewer', 'h')`,
    );
    await expect(
      db.query(
        `INSERT INTO users (email, name, role, password_hash) VALUES ('b@example.test', 'B', 'root', 'h')`,
      ),
    ).rejects.toMatchObject({ code: '23514' });
    await db.query('DELETE FROM users');
  });

  it('bumps updated_at on UPDATE through the trigger, leaving created_at alone', async () => {
    await db.query(
      `INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
       VALUES ('touch@example.test', 'T', 'viewer', 'h', now() - interval '1 day', now() - interval '1 day')`,
    );
    await db.query(
      `INSERT INTO login_throttle (key, created_at, updated_at)
       VALUES ('ip:1.2.3.4', now() - interval '1 day', now() - interval '1 day')`,
    );
    const before = await db.query<{ created_at: Date; updated_at: Date }>(
      `SELECT created_at, updated_at FROM users WHERE email = 'touch@example.test'`,
    );
    await db.query(`UPDATE users SET name = 'T2' WHERE email = 'touch@example.test'`);
    await db.query(`UPDATE login_throttle SET failures = 1 WHERE key = 'ip:1.2.3.4'`);
    const after = await db.query<{ created_at: Date; updated_at: Date; now: Date }>(
      `SELECT created_at, updated_at, now() AS now FROM users WHERE email = 'touch@example.test'`,
    );
    const row = after.rows[0]!;
    expect(row.created_at.getTime()).toBe(before.rows[0]!.created_at.getTime());
    expect(row.updated_at.getTime()).toBeGreaterThan(before.rows[0]!.updated_at.getTime() + 23 * 3600 * 1000);
    expect(Math.abs(row.updated_at.getTime() - row.now.getTime())).toBeLessThan(60_000);
    const throttle = await db.query<{ stale: boolean }>(
      `SELECT updated_at < now() - interval '1 hour' AS stale FROM login_throttle WHERE key = 'ip:1.2.3.4'`,
    );
    expect(throttle.rows[0]!.stale).toBe(false);
    // Even an UPDATE that tries to set updated_at itself gets the current time.
    await db.query(`UPDATE users SET updated_at = '2000-01-01' WHERE email = 'touch@example.test'`);
    const forced = await db.query<{ updated_at: Date }>(
      `SELECT updated_at FROM users WHERE email = 'touch@example.test'`,
    );
    expect(forced.rows[0]!.updated_at.getFullYear()).toBeGreaterThan(2000);
    const triggers = await db.query<{ table: string }>(
      `SELECT DISTINCT event_object_table AS table FROM information_schema.triggers
       WHERE action_statement LIKE '%emma_touch_updated_at%' ORDER BY 1`,
    );
    // Tables whose rows change get the trigger; append-only ones (audit, events, batches) and series and
    // containers, whose hot-path updates set updated_at themselves, do not.
    expect(triggers.rows.map((r) => r.table)).toEqual([
      'agents',
      'alert_conditions',
      'container_actions',
      'dashboards',
      'enrollment_tokens',
      'incidents',
      'login_throttle',
      'maintenance_windows',
      'notification_channels',
      'notification_deliveries',
      'probes',
      'refresh_tokens',
      'rollup_progress',
      'sessions',
      'users',
    ]);
    await db.query('DELETE FROM login_throttle');
    await db.query('DELETE FROM users');
  });

  it('down removes every table (and the trigger function); up again brings them back', async () => {
    expect(await migrate(url, 'down', logger, Infinity)).toEqual([...migrationNames].reverse());
    expect(await tables()).toEqual([]);
    expect((await pendingMigrations(db)).sort()).toEqual(migrationNames);
    const fn = await db.query(`SELECT 1 FROM pg_proc WHERE proname = 'emma_touch_updated_at'`);
    expect(fn.rowCount).toBe(0);
    const seq = await db.query(`SELECT 1 FROM pg_class WHERE relname = 'audit_log_id_seq'`);
    expect(seq.rowCount).toBe(0);
    expect(await migrate(url, 'down', logger, Infinity)).toEqual([]);

    expect(await migrate(url, 'up', logger)).toEqual(migrationNames);
    expect(await tables()).toEqual(expect.arrayContaining(APP_TABLES));
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it('down without a count reverts only the latest migration', async () => {
    expect(await migrate(url, 'down', logger)).toEqual([migrationNames.at(-1)]);
    expect(await pendingMigrations(db)).toEqual([migrationNames.at(-1)]);
    expect(await migrate(url, 'up', logger)).toEqual([migrationNames.at(-1)]);
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it('lets migrators started together wait their turn: all succeed, one applies each migration', async () => {
    // What podman-compose does: `emma migrate` and two `emma api` replicas start at once on a new database.
    const fresh = await createTestDatabase({ empty: true });
    const runs = await Promise.all([1, 2, 3].map(() => migrate(fresh, 'up', logger)));
    expect(runs.flat().sort()).toEqual(migrationNames);
    expect(runs.filter((names) => names.length === 0)).toHaveLength(2);
  });
});
