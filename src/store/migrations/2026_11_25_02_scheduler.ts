import { PostgresAdapter, type Kysely } from 'kysely';

/** Frozen: scheduler tables (open obligations, reminder log, outbox, snoozes, state). */
export async function up(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  const table = (name: string) =>
    isPg
      ? db.schema.createTable(name).addColumn('id', 'serial', (c) => c.primaryKey())
      : db.schema.createTable(name).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

  // Open dated obligations of meetings, kept current by every command that changes a meeting.
  await table('obligation')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
    .addColumn('step', 'varchar(32)', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.references('person.id'))
    .addColumn('due_date', 'varchar(10)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('obligation_due_idx').on('obligation').columns(['due_date', 'unit_id']).execute();
  await db.schema.createIndex('obligation_meeting_idx').on('obligation').column('meeting_id').execute();

  // Every reminder ever planned, once, under its stable key.
  await table('reminder_log')
    .addColumn('reminder_key', 'varchar(191)', (c) => c.notNull().unique())
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('subject', 'varchar(64)', (c) => c.notNull())
    .addColumn('remind_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('due_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('outbox_id', 'integer')
    .addColumn('person_ids', 'varchar(500)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reminder_log_unit_idx').on('reminder_log').columns(['unit_id', 'remind_on']).execute();

  await table('outbox')
    .addColumn('message_key', 'varchar(191)', (c) => c.notNull().unique())
    .addColumn('unit_id', 'integer')
    .addColumn('channel', 'varchar(32)', (c) => c.notNull())
    .addColumn('target_kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(191)', (c) => c.notNull())
    .addColumn('target_name', 'varchar(200)')
    .addColumn('person_id', 'integer')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('mentions', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_error', 'varchar(500)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('outbox_pending_idx').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_unit_idx').on('outbox').columns(['unit_id', 'status']).execute();

  await table('snooze')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('subject', 'varchar(64)', (c) => c.notNull())
    .addColumn('until_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('snooze_until_idx').on('snooze').columns(['until_date', 'person_id']).execute();

  await db.schema
    .createTable('scheduler_state')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'varchar(200)', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['scheduler_state', 'snooze', 'outbox', 'reminder_log', 'obligation']) await db.schema.dropTable(t).execute();
}
