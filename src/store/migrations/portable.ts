import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Shared by migrations after the first: an `id` primary key that the database fills in, on every
 * dialect (SQLite `integer primary key autoincrement`, PostgreSQL `serial`). Kysely's
 * `autoIncrement()` alone compiles to `auto_increment` on PostgreSQL, which it refuses.
 */
export function withId(db: Kysely<any>, table: CreateTableBuilder<string, never>): CreateTableBuilder<string, 'id'> {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

/** `db.schema.createTable(name)` with {@link withId}'s id column first. */
export const tableWithId = (db: Kysely<any>, name: string): CreateTableBuilder<string, 'id'> =>
  withId(db, db.schema.createTable(name) as CreateTableBuilder<string, never>);
