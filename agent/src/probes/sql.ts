// SQL probe: connect to PostgreSQL (pg) or MySQL/MariaDB (mysql2), run one query and optionally compare
// the first column of the first row, as the server's text, with an expected value. The password never
// leaves this module in a message, detail or error: everything is scrubbed of it.
import type Mysql from 'mysql2';
import type Pg from 'pg';
import { SqlProbeConfigSchema, type ProbeOutcome } from '@emma/protocol';
import type { z } from 'zod';
import { defineProbe, type ProbeContext } from './types';
import {
  abortError,
  errorMessage,
  formatMs,
  now,
  scrub,
  scrubValue,
  since,
  upOrSlow,
  whenAborted,
} from './util';

type SqlConfig = z.output<typeof SqlProbeConfigSchema>;

// The drivers load with the first SQL probe: together they cost about 30 MB of memory that an agent
// without SQL probes does not need.
let pgDriver: Promise<typeof Pg> | undefined;
let mysqlDriver: Promise<typeof Mysql> | undefined;
const loadPg = () => (pgDriver ??= import('pg').then((m) => m.default));
const loadMysql = () => (mysqlDriver ??= import('mysql2').then((m) => m.default));

interface QueryResult {
  /** Rows returned by the query (0 for a statement without a result set). */
  rowCount: number;
  /** First column of the first row as text, null for SQL NULL, undefined when there is no row. */
  firstValue: string | null | undefined;
  connectMs: number;
}

/** A driver value as text (null for SQL NULL); with the text parsers above it is nearly always a string. */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

const DEFAULT_PORTS = { postgres: 5432, mysql: 3306 } as const;

/** Every value arrives as the server's text: `getTypeParser` returns the identity parser. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

async function queryPostgres(config: SqlConfig, ctx: ProbeContext): Promise<QueryResult> {
  const pg = await loadPg();
  const client = new pg.Client({
    host: config.host,
    port: config.port ?? DEFAULT_PORTS.postgres,
    user: config.user,
    password: config.password ?? '',
    database: config.database ?? 'postgres',
    ssl: config.tls ? { rejectUnauthorized: true } : false,
    connectionTimeoutMillis: ctx.timeoutMs,
    statement_timeout: ctx.timeoutMs,
    query_timeout: ctx.timeoutMs,
    application_name: 'emma-probe',
    types: TEXT_TYPES,
  });
  client.on('error', () => undefined);
  const stop = whenAborted(ctx.signal, () => {
    void client.end().catch(() => undefined);
  });
  try {
    const start = now();
    await client.connect();
    const connectMs = since(start);
    if (ctx.signal.aborted) throw abortError(ctx.signal.reason);
    const result = await client.query({ text: config.query, rowMode: 'array' });
    const first: unknown = result.rows[0]?.[0];
    return {
      rowCount: result.rows.length,
      firstValue: result.rows.length === 0 ? undefined : asText(first),
      connectMs,
    };
  } finally {
    stop();
    await client.end().catch(() => undefined);
  }
}

async function queryMysql(config: SqlConfig, ctx: ProbeContext): Promise<QueryResult> {
  const mysql = await loadMysql();
  return new Promise<QueryResult>((resolve, reject) => {
    const start = now();
    const conn = mysql.createConnection({
      host: config.host,
      port: config.port ?? DEFAULT_PORTS.mysql,
      user: config.user,
      password: config.password ?? '',
      ...(config.database ? { database: config.database } : {}),
      ...(config.tls ? { ssl: { rejectUnauthorized: true } } : {}),
      connectTimeout: ctx.timeoutMs,
      typeCast: (field) => field.string(),
    });
    let settled = false;
    let stop = (): void => undefined;
    const finish = (error: unknown, value?: QueryResult): void => {
      if (settled) return;
      settled = true;
      stop();
      conn.destroy();
      if (value) resolve(value);
      else reject(error instanceof Error ? error : new Error(errorMessage(error)));
    };
    stop = whenAborted(ctx.signal, (reason) => {
      finish(abortError(reason));
    });
    conn.on('error', (error) => {
      finish(error);
    });
    conn.connect((connectError) => {
      if (connectError) {
        finish(connectError);
        return;
      }
      const connectMs = since(start);
      conn.query({ sql: config.query, rowsAsArray: true, timeout: ctx.timeoutMs }, (queryError, rows) => {
        if (queryError) {
          finish(queryError);
          return;
        }
        const list: unknown[] = Array.isArray(rows) ? rows : [];
        const row = list[0];
        const first: unknown = Array.isArray(row) ? (row as unknown[])[0] : undefined;
        finish(undefined, {
          rowCount: list.length,
          firstValue: list.length === 0 ? undefined : asText(first),
          connectMs,
        });
      });
    });
  });
}

const ENGINES = { postgres: queryPostgres, mysql: queryMysql } as const;

const FIRST_VALUE_SHOWN = 200;

function shown(value: string | null | undefined): string {
  if (value === undefined) return 'no row';
  if (value === null) return 'NULL';
  const text = value.length > FIRST_VALUE_SHOWN ? `${value.slice(0, FIRST_VALUE_SHOWN)}…` : value;
  return JSON.stringify(text);
}

function secretsOf(config: SqlConfig): string[] {
  return config.password ? [config.password] : [];
}

export const sqlProbe = defineProbe({
  type: 'sql',
  schema: SqlProbeConfigSchema,
  secrets: secretsOf,
  async run(config, ctx): Promise<ProbeOutcome> {
    const secrets = secretsOf(config);
    const start = now();
    let result: QueryResult;
    try {
      result = await ENGINES[config.engine](config, ctx);
    } catch (error) {
      throw new Error(scrub(errorMessage(error), secrets));
    }
    const latencyMs = since(start);
    const target = `${config.engine} ${config.host}:${config.port ?? DEFAULT_PORTS[config.engine]}`;
    const details: Record<string, unknown> = {
      engine: config.engine,
      rowCount: result.rowCount,
      connectMs: result.connectMs,
      firstValue:
        typeof result.firstValue === 'string'
          ? result.firstValue.slice(0, FIRST_VALUE_SHOWN)
          : result.firstValue,
    };
    let outcome: ProbeOutcome;
    if (config.expectFirstValue !== undefined && result.firstValue !== config.expectFirstValue) {
      outcome = {
        status: 'down',
        latencyMs,
        message: `${target}: first value ${shown(result.firstValue)}, expected ${JSON.stringify(config.expectFirstValue)}`,
        details,
      };
    } else {
      const rows = `${result.rowCount} row${result.rowCount === 1 ? '' : 's'}`;
      outcome = upOrSlow(
        latencyMs,
        config.degradedAboveMs,
        `${target}: query ok in ${formatMs(latencyMs)} (${rows})`,
        details,
      );
    }
    return {
      ...outcome,
      message: scrub(outcome.message, secrets),
      details: scrubValue(outcome.details, secrets) as Record<string, unknown>,
    };
  },
});
