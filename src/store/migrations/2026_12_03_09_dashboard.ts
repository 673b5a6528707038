import type { Kysely } from 'kysely';
import { tableWithId } from './portable.js';

/**
 * Frozen once released. The web dashboard's sign-in links and sessions. Only hashes of the link
 * tokens and session ids are stored (SHA-256, hex): a copy of the store signs nobody in.
 * Portable: Kysely's schema builder only. Uses Kysely<any>, no app types.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const table = (name: string) => tableWithId(db, name);
  await table('dashboard_link')
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('used_at', 'varchar(32)')
    .execute();
  await table('dashboard_session')
    .addColumn('session_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('csrf', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_seen_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('ended_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('dashboard_session_person_idx').on('dashboard_session').column('person_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dashboard_session').execute();
  await db.schema.dropTable('dashboard_link').execute();
}
