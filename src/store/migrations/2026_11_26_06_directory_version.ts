import { PostgresAdapter, sql, SqliteAdapter, type Kysely } from 'kysely';

/** The tables the scheduler's directory is read from (units, their chats, role holders, names, platform ids). */
const DIRECTORY_TABLES = ['unit', 'chat', 'membership', 'person', 'identity'] as const;

/**
 * Frozen once released. A version number of the directory, raised by every write to its tables,
 * whoever makes it (a command, the CLI in another process, a test's raw insert): the scheduler keeps
 * the directory in memory and reads it again only when this number has moved.
 * Triggers are created on SQLite (per row) and on PostgreSQL (one plpgsql function, a trigger per
 * table and event FOR EACH STATEMENT: a bulk write of 30,000 rows in one transaction would otherwise
 * stack 30,000 versions of the one counter row; the number only has to move). Uses Kysely<any>, no app types.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('store_version')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('n', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('store_version').values({ name: 'directory', n: 0 }).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql.raw(`CREATE FUNCTION store_version_bump_directory() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE store_version SET n = n + 1 WHERE name = 'directory';
  RETURN NULL;
END $$`).execute(db);
    for (const table of DIRECTORY_TABLES) {
      for (const event of ['insert', 'update', 'delete'] as const) {
        await sql.raw(`CREATE TRIGGER ${table}_${event}_directory AFTER ${event.toUpperCase()} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION store_version_bump_directory()`).execute(db);
      }
    }
    return;
  }
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  for (const table of DIRECTORY_TABLES) {
    for (const event of ['insert', 'update', 'delete'] as const) {
      await sql.raw(`CREATE TRIGGER ${table}_${event}_directory AFTER ${event.toUpperCase()} ON ${table} BEGIN UPDATE store_version SET n = n + 1 WHERE name = 'directory'; END`).execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const table of DIRECTORY_TABLES) for (const event of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS ${table}_${event}_directory ON ${table}`).execute(db);
    await sql.raw('DROP FUNCTION IF EXISTS store_version_bump_directory()').execute(db);
  }
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const table of DIRECTORY_TABLES) for (const event of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER IF EXISTS ${table}_${event}_directory`).execute(db);
  }
  await db.schema.dropTable('store_version').execute();
}
