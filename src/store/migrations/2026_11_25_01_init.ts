import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

/** Frozen: never edit after release; add a new migration instead. Uses Kysely<any>, no app types. */

function withId(db: Kysely<any>, table: CreateTableBuilder<string, never>): CreateTableBuilder<string, 'id'> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  return isPg
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  const table = (name: string) => withId(db, db.schema.createTable(name) as CreateTableBuilder<string, never>);

  await table('unit')
    .addColumn('name', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('parent_id', 'integer', (c) => c.references('unit.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('unit_parent_idx').on('unit').column('parent_id').execute();

  await table('chat')
    .addColumn('channel', 'varchar(32)', (c) => c.notNull())
    .addColumn('chat_id', 'varchar(191)', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.references('unit.id'))
    .addColumn('title', 'varchar(200)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('chat_channel_chat_uq', ['channel', 'chat_id'])
    .execute();
  await db.schema.createIndex('chat_unit_idx').on('chat').column('unit_id').execute();

  await table('person')
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('mobile', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_name_idx').on('person').column('name').execute();

  await table('identity')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('platform', 'varchar(32)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(191)', (c) => c.notNull())
    .addColumn('confirmed', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('identity_platform_user_uq', ['platform', 'user_id'])
    .execute();
  await db.schema.createIndex('identity_person_idx').on('identity').columns(['person_id', 'platform']).execute();

  await table('membership')
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('role', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('membership_uq', ['unit_id', 'person_id', 'role'])
    .execute();
  await db.schema.createIndex('membership_person_idx').on('membership').columns(['person_id', 'unit_id']).execute();
  await db.schema.createIndex('membership_unit_role_idx').on('membership').columns(['unit_id', 'role']).execute();

  await table('meeting')
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('date', 'varchar(10)', (c) => c.notNull())
    .addColumn('topic', 'varchar(500)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('held_on', 'varchar(10)')
    .addColumn('cancel_reason', 'varchar(500)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_unit_idx').on('meeting').columns(['unit_id', 'status', 'date']).execute();
  await db.schema.createIndex('meeting_status_date_idx').on('meeting').columns(['status', 'date']).execute();

  await table('step_record')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting.id'))
    .addColumn('step', 'varchar(32)', (c) => c.notNull())
    .addColumn('done_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('done_by', 'integer', (c) => c.references('person.id'))
    .addColumn('note', 'varchar(500)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('step_record_uq', ['meeting_id', 'step'])
    .execute();

  await table('talk')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting.id'))
    .addColumn('a_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('b_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('date', 'varchar(10)', (c) => c.notNull())
    .addColumn('mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('talk_meeting_pair_idx').on('talk').columns(['meeting_id', 'a_id', 'b_id']).execute();

  await table('leave_request')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('person.id'))
    .addColumn('decided_at', 'varchar(32)')
    .addColumn('decision_note', 'text')
    .addColumn('statement_on', 'varchar(10)')
    .addColumn('relayed_on', 'varchar(10)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('leave_meeting_person_idx').on('leave_request').columns(['meeting_id', 'person_id']).execute();

  await table('outline')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('submitted_on', 'varchar(10)')
    .addColumn('reviewed_on', 'varchar(10)')
    .addColumn('reviewed_by', 'integer', (c) => c.references('person.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('outline_uq', ['meeting_id', 'person_id'])
    .execute();

  await table('item')
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting.id'))
    .addColumn('item_no', 'integer', (c) => c.notNull())
    .addColumn('content', 'varchar(1000)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('deadline', 'varchar(10)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('lead_unit', 'varchar(200)')
    .addColumn('done_note', 'varchar(1000)')
    .addColumn('done_on', 'varchar(10)')
    .addColumn('verified_on', 'varchar(10)')
    .addColumn('verified_by', 'integer', (c) => c.references('person.id'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('item_unit_no_uq', ['unit_id', 'item_no'])
    .execute();
  await db.schema.createIndex('item_meeting_idx').on('item').columns(['meeting_id', 'status']).execute();
  await db.schema.createIndex('item_status_deadline_idx').on('item').columns(['status', 'deadline']).execute();

  await db.schema
    .createTable('item_owner')
    .addColumn('item_id', 'integer', (c) => c.notNull().references('item.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
    .addPrimaryKeyConstraint('item_owner_pk', ['item_id', 'person_id'])
    .execute();
  await db.schema.createIndex('item_owner_person_idx').on('item_owner').column('person_id').execute();

  await table('item_event')
    .addColumn('item_id', 'integer', (c) => c.notNull().references('item.id'))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('person.id'))
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('from_deadline', 'varchar(10)')
    .addColumn('to_deadline', 'varchar(10)')
    .addColumn('note', 'varchar(1000)')
    .execute();
  await db.schema.createIndex('item_event_item_idx').on('item_event').column('item_id').execute();

  await table('archive_record')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting.id'))
    .addColumn('material', 'varchar(32)', (c) => c.notNull())
    .addColumn('done_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('done_by', 'integer', (c) => c.references('person.id'))
    .addUniqueConstraint('archive_uq', ['meeting_id', 'material'])
    .execute();

  await table('audit_log')
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('unit_id', 'integer')
    .addColumn('chat', 'varchar(250)')
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('entity', 'varchar(32)', (c) => c.notNull())
    .addColumn('entity_id', 'integer')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_unit_at_idx').on('audit_log').columns(['unit_id', 'at']).execute();

  await db.schema
    .createTable('processed_message')
    .addColumn('channel', 'varchar(32)', (c) => c.notNull())
    .addColumn('msg_id', 'varchar(191)', (c) => c.notNull())
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('processed_message_pk', ['channel', 'msg_id'])
    .execute();

  await table('webhook')
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
    .addColumn('channel', 'varchar(32)', (c) => c.notNull())
    .addColumn('token', 'varchar(500)', (c) => c.notNull())
    .addColumn('sign_secret', 'varchar(500)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('webhook_unit_channel_uq', ['unit_id', 'channel'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['webhook', 'processed_message', 'audit_log', 'archive_record', 'item_event', 'item_owner', 'item', 'outline',
    'leave_request', 'talk', 'step_record', 'meeting', 'membership', 'identity', 'person', 'chat', 'unit']) {
    await db.schema.dropTable(t).execute();
  }
}
