import type { InsertQueryBuilder, InsertResult, Kysely } from 'kysely';
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
