import type { Kysely } from 'kysely';
import { tableWithId } from './portable.js';

/**
 * Frozen once released. Several instances on PostgreSQL: a write that changes what is due (a unit's
 * obligations rewritten, an item completed or extended) notes its unit here in its own transaction,
 * with that transaction's id (`xact`, PostgreSQL's `txid_current()`), and the planner drops from its
 * plan the units whose change it may not have read (src/store/obligation.repository.ts,
 * settleDueChanges), then forgets the notes. A few rows at a time. Written on PostgreSQL only: on
 * SQLite the planner's one transaction holds the store's one connection. Portable: Kysely's schema
 * builder only. Uses Kysely<any>, no app types.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await tableWithId(db, 'due_change')
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('xact', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('due_change').execute();
}
