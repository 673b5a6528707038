import type { Kysely } from 'kysely';
import { tableWithId } from './portable.js';

/**
 * Frozen once released: interactive cards (WeCom 模板卡片, DingTalk 互动卡片, the terminal chat's
 * numbered buttons). `card` keeps what each sent card shows and which leave or item it is about,
 * so a click after a restart still finds its buttons and the card can be updated; `card_prompt`
 * keeps a question a button asked (a 驳回 reason, a 完成 说明) until the presser answers it;
 * `outbox.card` carries a queued message's card. Portable schema builder only; Kysely<any>, no app types.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await tableWithId(db, 'card')
    .addColumn('message_key', 'varchar(255)', (c) => c.unique())
    .addColumn('channel', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('target_name', 'varchar(255)')
    .addColumn('subject', 'varchar(255)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('card_subject_idx').on('card').column('subject').execute();
  await tableWithId(db, 'card_prompt')
    .addColumn('channel', 'varchar(64)', (c) => c.notNull())
    .addColumn('chat_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('card_id', 'integer', (c) => c.notNull().references('card.id').onDelete('cascade'))
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('card_prompt_asker_idx').on('card_prompt').columns(['channel', 'chat_id', 'user_id']).execute();
  await db.schema.alterTable('outbox').addColumn('card', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('card').execute();
  await db.schema.dropTable('card_prompt').execute();
  await db.schema.dropTable('card').execute();
}
