import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import * as init from './migrations/2026_11_25_01_init.js';
import * as appraisal from './migrations/2026_11_25_04_appraisal.js';
import * as scheduler from './migrations/2026_11_25_02_scheduler.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** Every migration, in order, compiled in (no filesystem scanning). */
export const migrations: Record<string, Migration> = {
  '2026_11_25_01_init': init,
  '2026_11_25_02_scheduler': scheduler,
  '2026_11_25_04_appraisal': appraisal,
};

class InCodeMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** Turns DATABASE_URL into a SQLite file path (`./data/x.db`, `sqlite:./x.db`, `file:x.db`, `:memory:`). */
export function sqlitePath(url: string): string {
  const p = url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:/, '');
  return p === '' ? ':memory:' : p;
}

/** Opens the SQLite store (WAL, foreign keys on) and runs pending migrations. */
export async function openDatabase(url: string): Promise<Db> {
  const file = sqlitePath(url);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db);
  return db;
}

export async function migrate(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: new InCodeMigrations() });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration failed: ${failed?.migrationName ?? ''} ${error instanceof Error ? error.message : String(error ?? '')}`);
  }
}
