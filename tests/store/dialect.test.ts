import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { dialectOf, isPostgresUrl, openDatabase, storeLabel, type Db } from '../../src/store/db.js';
import { freshPgStore, onPostgres } from '../helpers/pg.js';

/** The store as each project opens it: SQLite in memory, or a fresh database on the PostgreSQL test server. */
async function openStore(): Promise<Db> {
  return onPostgres() ? (await freshPgStore()).db : openDatabase(':memory:');
}

const readDirectoryVersion = async (db: Db) =>
  (await db.selectFrom('store_version').select('n').where('name', '=', 'directory').executeTakeFirstOrThrow()).n;

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

describe('the store on its dialect', () => {
  it('tells PostgreSQL URLs from SQLite files', () => {
    expect(isPostgresUrl('postgres://u:p@127.0.0.1:5432/bot')).toBe(true);
    expect(isPostgresUrl('postgresql://127.0.0.1/bot')).toBe(true);
    expect(isPostgresUrl('./data/shenghuohui.db')).toBe(false);
    expect(isPostgresUrl(':memory:')).toBe(false);
    expect(isPostgresUrl('sqlite:./postgres.db')).toBe(false);
  });

  it('names the store for people without the password', () => {
    expect(storeLabel('postgres://bot:s3cret@db.example:5432/shenghuohui')).toBe('postgres://bot:***@db.example:5432/shenghuohui');
    expect(storeLabel('postgres://db.example/shenghuohui')).toBe('postgres://db.example/shenghuohui');
    expect(storeLabel('./data/shenghuohui.db')).toBe('./data/shenghuohui.db');
    expect(storeLabel('sqlite:./x.db')).toBe('./x.db');
  });

  it('opens migrated, on the dialect the project runs', async () => {
    db = await openStore();
    expect(dialectOf(db)).toBe(onPostgres() ? 'postgres' : 'sqlite');
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['unit', 'item', 'outbox', 'reminder_log', 'appraisal', 'store_version']));
  });

  it('returns counts and sums as numbers', async () => {
    db = await openStore();
    await db.insertInto('unit').values([
      { name: '一支部', parent_id: null, settings: '{}', created_at: '2026-11-25T09:00:00+08:00' },
      { name: '二支部', parent_id: null, settings: '{}', created_at: '2026-11-25T09:00:00+08:00' },
    ]).execute();
    const row = await db.selectFrom('unit').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('id').as('s')]).executeTakeFirstOrThrow();
    expect(row.n).toBe(2);
    expect(typeof row.s).toBe('number');
    const raw = await sql<{ n: number }>`select count(*) as n from unit`.execute(db);
    expect(raw.rows[0]!.n).toBe(2);
  });

  it('keeps text longer than the declared column sizes, as SQLite does', async () => {
    db = await openStore();
    const name = '名'.repeat(300);
    await db.insertInto('unit').values({ name, parent_id: null, settings: '{}', created_at: '2026-11-25T09:00:00+08:00' }).execute();
    expect((await db.selectFrom('unit').select('name').executeTakeFirstOrThrow()).name).toBe(name);
  });

  it('raises the directory version on every write to a directory table', async () => {
    db = await openStore();
    const v0 = await readDirectoryVersion(db);
    const { id } = await db.insertInto('unit').values({ name: '一支部', parent_id: null, settings: '{}', created_at: '2026-11-25T09:00:00+08:00' })
      .returning('id').executeTakeFirstOrThrow();
    const v1 = await readDirectoryVersion(db);
    await db.updateTable('unit').set({ name: '第一支部' }).where('id', '=', id).execute();
    const v2 = await readDirectoryVersion(db);
    await db.deleteFrom('unit').where('id', '=', id).execute();
    const v3 = await readDirectoryVersion(db);
    expect([v1 - v0, v2 - v1, v3 - v2]).toEqual([1, 1, 1]);
    // Other tables leave it alone.
    await db.insertInto('scheduler_state').values({ name: 'x', value: 'y' }).execute();
    expect(await readDirectoryVersion(db)).toBe(v3);
  });
});
