import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * Frozen once released. Fewer pages written per command (each page written is one more WAL frame
 * in the commit; bench/run.ts measures the commands):
 * - `item_meeting_idx` is on (meeting_id) alone: with `status` in it, every completed, verified or
 *   extended item moved its entry. Nothing looked items up by meeting and status together.
 * - On SQLite, `processed_message` becomes a WITHOUT ROWID table: its key (channel, msg_id) is the
 *   table itself, so recording a message writes one B-tree instead of two (the rows and the key's
 *   index). Every row is copied, in one transaction. PostgreSQL keeps its table (there a primary
 *   key is always a separate index; nothing to gain).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('item_meeting_idx').execute();
  await db.schema.createIndex('item_meeting_idx').on('item').column('meeting_id').execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('processed_message_keyed')
      .addColumn('channel', 'varchar(32)', (c) => c.notNull())
      .addColumn('msg_id', 'varchar(191)', (c) => c.notNull())
      .addColumn('at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('processed_message_pk', ['channel', 'msg_id'])
      .modifyEnd(sql`without rowid`)
      .execute();
    await sql`insert into processed_message_keyed (channel, msg_id, at) select channel, msg_id, at from processed_message`.execute(trx);
    await trx.schema.dropTable('processed_message').execute();
    await trx.schema.alterTable('processed_message_keyed').renameTo('processed_message').execute();
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('item_meeting_idx').execute();
  await db.schema.createIndex('item_meeting_idx').on('item').columns(['meeting_id', 'status']).execute();
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('processed_message_rows')
      .addColumn('channel', 'varchar(32)', (c) => c.notNull())
      .addColumn('msg_id', 'varchar(191)', (c) => c.notNull())
      .addColumn('at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('processed_message_pk', ['channel', 'msg_id'])
      .execute();
    await sql`insert into processed_message_rows (channel, msg_id, at) select channel, msg_id, at from processed_message`.execute(trx);
    await trx.schema.dropTable('processed_message').execute();
    await trx.schema.alterTable('processed_message_rows').renameTo('processed_message').execute();
  });
}
