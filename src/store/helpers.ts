import { MysqlAdapter, PostgresAdapter, sql, type Expression, type InsertQueryBuilder, type InsertResult, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema.js';

/** A Kysely instance or a transaction (a Transaction is a Kysely too). */
export type Q = Kysely<Database>;

/**
 * Inserts one row and returns its id on every dialect: RETURNING where supported
 * (SQLite, PostgreSQL), insertId where not (MySQL).
 */
export async function insertId<T extends keyof Database>(db: Q, qb: InsertQueryBuilder<Database, T, InsertResult>): Promise<number> {
  if (db.getExecutor().adapter.supportsReturning) {
    const row = (await (qb as any).returning('id').executeTakeFirstOrThrow()) as { id: number };
    return Number(row.id);
  }
  const result = await qb.executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/**
 * The same INSERT, skipping rows whose unique key is there already — also when another transaction
 * (another bot instance) has just written it: PostgreSQL waits for that transaction, then skips.
 * `ON CONFLICT DO NOTHING` on SQLite and PostgreSQL, `INSERT IGNORE` on MySQL. The result counts
 * only the rows written.
 * @example await orIgnore(db, db.insertInto('processed_message').values(row)).executeTakeFirst()
 */
export function orIgnore<DB, T extends keyof DB & string, O>(db: Q, qb: InsertQueryBuilder<DB, T, O>): InsertQueryBuilder<DB, T, O> {
  return db.getExecutor().adapter instanceof MysqlAdapter ? qb.ignore() : qb.onConflict((oc) => oc.doNothing());
}

/** Runs `fn` in a transaction: the caller's, when `db` is one already; otherwise a new one. */
export function transactionally<T>(db: Q, fn: (trx: Q) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * A column of many rows as one comma-separated text (NULL when there are none): `group_concat` on
 * SQLite, `string_agg` on PostgreSQL, `group_concat … separator` on MySQL. For the hot multi-row
 * reads of every command (a meeting's talk pairs and items): better-sqlite3 builds a JS object per
 * row, which costs more than SQLite reading it; one string of 30 rows reads in half the time
 * (a meeting's 34 talks: 38 → 20 µs in a loop on the bench's store). The values must not contain commas.
 */
export function joinedText(db: Q, value: Expression<unknown> | RawBuilder<unknown>): RawBuilder<string | null> {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return sql<string | null>`string_agg(${value}, ',')`;
  if (adapter instanceof MysqlAdapter) return sql<string | null>`group_concat(${value} separator ',')`;
  return sql<string | null>`group_concat(${value}, ',')`;
}
