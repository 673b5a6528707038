import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

/** Frozen: never edit after release; add a new migration instead. Uses Kysely<any>, no app types. */

function withId(db: Kysely<any>, name: string): CreateTableBuilder<string, 'id'> {
  const table = db.schema.createTable(name) as CreateTableBuilder<string, never>;
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, 'appraisal')
    .addColumn('meeting_id', 'integer', (c) => c.notNull().references('meeting.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('opened_by', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('opened_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('closes_at', 'varchar(32)')
    .addColumn('closed_by', 'integer', (c) => c.references('person.id'))
    .addColumn('closed_at', 'varchar(32)')
    .addColumn('publicity_days', 'integer')
    .addColumn('publicity_from', 'varchar(10)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('appraisal_meeting_uq', ['meeting_id'])
    .execute();
  await db.schema.createIndex('appraisal_unit_idx').on('appraisal').columns(['unit_id', 'status']).execute();

  await withId(db, 'appraisal_ballot')
    .addColumn('appraisal_id', 'integer', (c) => c.notNull().references('appraisal.id'))
    .addColumn('voter_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('target', 'varchar(16)', (c) => c.notNull())
    .addColumn('grade', 'varchar(24)', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('appraisal_ballot_uq', ['appraisal_id', 'voter_id', 'target'])
    .execute();

  await withId(db, 'appraisal_text')
    .addColumn('appraisal_id', 'integer', (c) => c.notNull().references('appraisal.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('appraisal_text_uq', ['appraisal_id', 'kind', 'person_id'])
    .execute();

  await withId(db, 'appraisal_grade')
    .addColumn('appraisal_id', 'integer', (c) => c.notNull().references('appraisal.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('grade', 'varchar(24)', (c) => c.notNull())
    .addColumn('graded_by', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('graded_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('appraisal_grade_uq', ['appraisal_id', 'person_id'])
    .execute();

  await withId(db, 'party_group_member')
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('group_name', 'varchar(50)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('party_group_member_uq', ['unit_id', 'person_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['party_group_member', 'appraisal_grade', 'appraisal_text', 'appraisal_ballot', 'appraisal']) {
    await db.schema.dropTable(t).execute();
  }
}
