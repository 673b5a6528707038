import { inject } from 'vitest';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/store/db.js';
import { withDatabase } from './pg-server.js';

/**
 * Test stores on the PostgreSQL test server the `postgres` project starts (tests/helpers/pg-server.ts).
 *
 * @example
 * const store = await freshPgStore();           // an empty, migrated database of its own
 * const second = await openDatabase(store.url); // another bot instance on the same database
 * await store.drop();                           // closes the pool and drops the database
 */
export interface PgStore {
  db: Db;
  /** The database's URL: open more pools on it to play further bot instances. */
  url: string;
  /** Closes this store's pool and drops the database (also done after the test or file). */
  drop(): Promise<void>;
}

let admin: pg.Pool | undefined;
let counter = 0;
const open = new Set<PgStore>();

function adminPool(): pg.Pool {
  const url = inject('pgAdminUrl');
  if (!url) throw new Error('no PostgreSQL test server: freshPgStore() runs in the vitest project "postgres" (vitest.config.ts)');
  admin ??= new pg.Pool({ connectionString: url, max: 2 });
  return admin;
}

/** True when this test run's stores are PostgreSQL (the `postgres` project sets TEST_STORE=postgres). */
export const onPostgres = (): boolean => process.env.TEST_STORE === 'postgres';

/** A new database cloned from the migrated template: empty tables, the latest schema, its own pool. */
export async function freshPgStore(): Promise<PgStore> {
  const pool = adminPool();
  const name = `shh_t${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  await pool.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('pgTemplate')}"`);
  const url = withDatabase(inject('pgAdminUrl'), name);
  const db = await openDatabase(url, { poolSize: 4 });
  let dropped: Promise<void> | undefined;
  const store: PgStore = {
    db,
    url,
    drop: () =>
      (dropped ??= (async () => {
        open.delete(store);
        await db.destroy();
        await pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      })()),
  };
  open.add(store);
  return store;
}

/** Drops every store still open (the postgres project's setup file calls it after each test and file). */
export async function dropPgStores(filter: (s: PgStore) => boolean = () => true): Promise<void> {
  await Promise.all([...open].filter(filter).map((s) => s.drop()));
}

/** The stores open now (the setup file keeps those a file opened in beforeAll until the file ends). */
export const openPgStores = (): PgStore[] => [...open];

export async function closePgAdmin(): Promise<void> {
  await admin?.end();
  admin = undefined;
}
