import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * Tables that every `/谈心` and `/整改 完成` (and most writing commands) append to. On SQLite they
 * drop AUTOINCREMENT: with it, each insert also rewrites the `sqlite_sequence` page, one more page
 * in the commit (7 µs at p50, 30–40 µs at p99 of an insert's transaction on the bench's store).
 * Nothing deletes their rows, so an id is never given twice either way (without AUTOINCREMENT SQLite
 * takes the largest id + 1).
 */
const APPENDED = ['talk', 'audit_log', 'item_event'] as const;

/**
 * Frozen once released. Fewer pages written per command (each page written is one more WAL frame
 * in the commit; bench/run.ts measures the commands):
 * - `item_meeting_idx` is on (meeting_id) alone: with `status` in it, every completed, verified or
 *   extended item moved its entry. Nothing looked items up by meeting and status together.
 * - On SQLite, `processed_message` becomes a WITHOUT ROWID table: its key (channel, msg_id) is the
 *   table itself, so recording a message writes one B-tree instead of two (the rows and the key's
 *   index).
 * - On SQLite, {@link APPENDED} lose AUTOINCREMENT.
 * SQLite's tables are rebuilt with every row and index, in one transaction. PostgreSQL keeps its
 * tables: there a primary key is always an index of its own and a serial column's sequence is not
 * a page of the commit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('item_meeting_idx').execute();
  await db.schema.createIndex('item_meeting_idx').on('item').column('meeting_id').execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await db.transaction().execute(async (trx) => {
    await rebuild(trx, 'processed_message', (create) => `${create} without rowid`);
    for (const table of APPENDED) await rebuild(trx, table, (create) => create.replace(/\s+autoincrement\b/i, ''));
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('item_meeting_idx').execute();
  await db.schema.createIndex('item_meeting_idx').on('item').columns(['meeting_id', 'status']).execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await db.transaction().execute(async (trx) => {
    await rebuild(trx, 'processed_message', (create) => create.replace(/\s+without rowid\s*$/i, ''));
    for (const table of APPENDED) await rebuild(trx, table, (create) => create.replace(/("id" integer primary key)/i, '$1 autoincrement'));
  });
}

/**
 * Rebuilds a SQLite table from its own `CREATE TABLE` as `change` rewrites it: the new table is
 * filled with every row (ids included), the old one dropped, the new one renamed and the old one's
 * indexes created again. No other table references these by foreign key, and none has triggers.
 */
async function rebuild(db: Kysely<any>, table: string, change: (create: string) => string): Promise<void> {
  const schema = await sql<{ type: string; sql: string }>`select type, sql from sqlite_master where tbl_name = ${table} and sql is not null`.execute(db);
  const create = schema.rows.find((r) => r.type === 'table')?.sql;
  if (!create) throw new Error(`migration: no table ${table}`);
  const indexes = schema.rows.filter((r) => r.type === 'index').map((r) => r.sql);
  const temp = `${table}_rebuilt`;
  const rewritten = change(create).replace(/^CREATE TABLE\s+("[^"]+"|\w+)/i, `CREATE TABLE "${temp}"`);
  await sql.raw(rewritten).execute(db);
  await sql.raw(`insert into "${temp}" select * from "${table}"`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${temp}" rename to "${table}"`).execute(db);
  for (const index of indexes) await sql.raw(index).execute(db);
}
