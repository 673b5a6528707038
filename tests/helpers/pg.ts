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
/** The next store's database, created while the current test runs (CREATE DATABASE takes 0.1–1 s here). */
let spare: Promise<string> | undefined;
/** Databases being dropped in the background; awaited when the file ends. */
const dropping = new Set<Promise<unknown>>();

function adminPool(): pg.Pool {
  const url = inject('pgAdminUrl');
  if (!url) throw new Error('no PostgreSQL test server: freshPgStore() runs in the vitest project "postgres" (vitest.config.ts)');
  admin ??= new pg.Pool({ connectionString: url, max: 3 });
  return admin;
}

/** True when this test run's stores are PostgreSQL (the `postgres` project sets TEST_STORE=postgres). */
export const onPostgres = (): boolean => process.env.TEST_STORE === 'postgres';

async function createDatabase(): Promise<string> {
  const name = `shh_t${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  await adminPool().query(`CREATE DATABASE "${name}" TEMPLATE "${inject('pgTemplate')}"`);
  return name;
}

function dropDatabase(name: string): Promise<void> {
  const done = adminPool().query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => {});
  dropping.add(done);
  void done.finally(() => dropping.delete(done)).catch(() => {});
  return done;
}

/** A new database cloned from the migrated template: empty tables, the latest schema, its own pool. */
export async function freshPgStore(): Promise<PgStore> {
  const name = await (spare ?? createDatabase());
  spare = createDatabase();
  spare.catch(() => {}); // a failure shows when the next store is asked for
  const url = withDatabase(inject('pgAdminUrl'), name);
  const db = await openDatabase(url, { poolSize: 4 });
  let closed: Promise<void> | undefined;
  const store: PgStore = {
    db,
    url,
    drop: () =>
      (closed ??= (async () => {
        open.delete(store);
        await db.destroy();
        // Dropped in the background (nothing uses it any more); the file's end waits for it.
        void dropDatabase(name).catch(() => {});
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

/** At the end of a file: drops the spare database, waits for the drops, closes the admin pool. */
export async function closePgAdmin(): Promise<void> {
  if (spare) {
    const name = await spare.catch(() => undefined);
    spare = undefined;
    if (name) void dropDatabase(name);
  }
  await Promise.all([...dropping]);
  await admin?.end();
  admin = undefined;
}
