import type { Kysely } from 'kysely';

/** Frozen once released: indexes for the scheduler's reads of the reminder log. Uses Kysely<any>, no app types. */
export async function up(db: Kysely<any>): Promise<void> {
  // Which reminders of the days being planned are already logged: one range read, answered from
  // the index alone (the key is in it).
  await db.schema.createIndex('reminder_log_day_idx').on('reminder_log').columns(['remind_on', 'reminder_key']).execute();
  // The reminders that went out in one message (dropping planned reminders after a command).
  await db.schema.createIndex('reminder_log_outbox_idx').on('reminder_log').column('outbox_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reminder_log_outbox_idx').execute();
  await db.schema.dropIndex('reminder_log_day_idx').execute();
}
