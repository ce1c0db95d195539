// Parameterised filters for list queries, so every repo builds its WHERE clause and paging the same way.
import type { Db, QueryResultRow } from './pool';

/** LIKE treats _ and % as wildcards; a search term means them literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A pattern that finds the term anywhere in the text. */
export function containing(term: string): string {
  return `%${escapeLike(term)}%`;
}

/** Collects conditions; every `?` in one condition stands for that condition's one value. */
export class Where {
  private readonly conditions: string[];
  readonly values: unknown[] = [];

  constructor(...fixed: string[]) {
    this.conditions = [...fixed];
  }

  /** A condition without a value. */
  raw(sql: string): this {
    this.conditions.push(sql);
    return this;
  }

  add(sql: string, value: unknown): this {
    this.values.push(value);
    this.conditions.push(sql.replaceAll('?', `$${this.values.length}`));
    return this;
  }

  get sql(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }

  /** The placeholder of one more value after the conditions' ones (LIMIT, OFFSET). */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** One page of a filtered list and the total count of matching rows. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names its rows' type, as with db.query
export async function page<R extends QueryResultRow>(
  db: Db,
  query: { from: string; columns: string; where: Where; orderBy: string; limit: number; offset: number },
): Promise<{ rows: R[]; total: number }> {
  const { where } = query;
  const total = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM ${query.from} ${where.sql}`,
    [...where.values],
  );
  const rows = await db.query<R>(
    `SELECT ${query.columns} FROM ${query.from} ${where.sql} ORDER BY ${query.orderBy}
     LIMIT ${where.param(query.limit)} OFFSET ${where.param(query.offset)}`,
    where.values,
  );
  return { rows: rows.rows, total: total.rows[0]?.count ?? 0 };
}
