import type { Kysely } from 'kysely';

/**
 * Frozen once released: the escalations to a supervisor already logged, read as one range by
 * deadline from the index alone (the scheduler checks thousands of them each run at district scale).
 * Uses Kysely<any>, no app types.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('reminder_log_kind_due_idx').on('reminder_log').columns(['kind', 'due_date', 'reminder_key']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reminder_log_kind_due_idx').execute();
}
