import type { Kysely } from 'kysely';

/**
 * Frozen once released. Several bot instances on one database: an instance claims an outbox row
 * before sending it (`claimed_by`, its instance id; `lease_until`, when the claim lapses and another
 * instance may take the row), so each row is sent by one instance. Two indexes serve the claim: the
 * pending rows in id order (oldest first), and one target's pending rows (a chat is served by one
 * instance at a time, in order). Portable: Kysely's schema builder only. Uses Kysely<any>, no app types.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('claimed_by', 'varchar(191)').execute();
  await db.schema.alterTable('outbox').addColumn('lease_until', 'varchar(32)').execute();
  await db.schema.createIndex('outbox_status_id_idx').on('outbox').columns(['status', 'id']).execute();
  await db.schema.createIndex('outbox_target_idx').on('outbox').columns(['target_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_target_idx').execute();
  await db.schema.dropIndex('outbox_status_id_idx').execute();
  await db.schema.alterTable('outbox').dropColumn('lease_until').execute();
  await db.schema.alterTable('outbox').dropColumn('claimed_by').execute();
}
