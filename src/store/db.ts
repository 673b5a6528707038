import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely, Migrator, OperationNodeTransformer, PostgresAdapter, PostgresDialect, SqliteDialect,
  type DataTypeNode, type KyselyPlugin, type Migration, type MigrationProvider, type PluginTransformQueryArgs,
  type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow,
} from 'kysely';
import pg from 'pg';
import * as init from './migrations/2026_11_25_01_init.js';
import * as appraisal from './migrations/2026_11_25_04_appraisal.js';
import * as scheduler from './migrations/2026_11_25_02_scheduler.js';
import * as schedulerIndexes from './migrations/2026_11_25_05_scheduler_indexes.js';
import * as directoryVersion from './migrations/2026_11_26_06_directory_version.js';
import * as supervisorLogIndex from './migrations/2026_11_26_07_supervisor_log_index.js';
import * as cards from './migrations/2026_12_03_08_cards.js';
import * as dashboard from './migrations/2026_12_03_09_dashboard.js';
import * as outboxClaims from './migrations/2026_12_03_09_outbox_claims.js';
import * as writePages from './migrations/2026_12_03_10_write_pages.js';
import * as dueChanges from './migrations/2026_12_03_11_due_changes.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** Every migration, in order, compiled in (no filesystem scanning). */
export const migrations: Record<string, Migration> = {
  '2026_11_25_01_init': init,
  '2026_11_25_02_scheduler': scheduler,
  '2026_11_25_04_appraisal': appraisal,
  '2026_11_25_05_scheduler_indexes': schedulerIndexes,
  '2026_11_26_06_directory_version': directoryVersion,
  '2026_11_26_07_supervisor_log_index': supervisorLogIndex,
  '2026_12_03_08_cards': cards,
  '2026_12_03_09_dashboard': dashboard,
  '2026_12_03_09_outbox_claims': outboxClaims,
  '2026_12_03_10_write_pages': writePages,
  '2026_12_03_11_due_changes': dueChanges,
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

/** Where the store is, for people: the SQLite file, or the PostgreSQL URL without its password. */
export function storeLabel(url: string): string {
  if (!isPostgresUrl(url)) return sqlitePath(url);
  try {
    const u = new URL(url.trim());
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** A PostgreSQL connection URL (`postgres://…` or `postgresql://…`); anything else is a SQLite file. */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url.trim());

export interface OpenOptions {
  /** Connections in the PostgreSQL pool (default 10); ignored for SQLite. */
  poolSize?: number;
  /** Told when an idle pooled connection fails (server restart, network); the pool replaces it. */
  onPoolError?: (err: Error) => void;
}

/** PostgreSQL type ids whose text pg would hand over as strings: int8 (`count(*)`, `sum`) and numeric. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Results as the SQLite store gives them: `count(*)` (int8) and numeric as JS numbers, not strings,
 * so repositories behave the same on both dialects. Store counts stay far below 2^53.
 */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/**
 * Opens the store DATABASE_URL names and runs pending migrations: PostgreSQL (a connection pool)
 * for a `postgres://` / `postgresql://` URL, otherwise the embedded SQLite file (the default).
 */
export async function openDatabase(url: string, opts: OpenOptions = {}): Promise<Db> {
  return isPostgresUrl(url) ? openPostgres(url, opts) : openSqlite(url);
}

/** A pg connection pool on `url` whose results read as the store's (see {@link pgTypes}). */
export function postgresPool(url: string, opts: OpenOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url.trim(), max: opts.poolSize ?? 10, types: pgTypes });
  // An idle client's error (the server restarted, the connection dropped) must not crash the bot.
  pool.on('error', (err) => opts.onPoolError?.(err));
  return pool;
}

async function openPostgres(url: string, opts: OpenOptions): Promise<Db> {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: postgresPool(url, opts) }) });
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

/** Which SQL dialect a store speaks (for the few statements that differ, e.g. locks). */
export function dialectOf(db: Kysely<any>): 'sqlite' | 'postgres' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Opens the SQLite store (WAL, foreign keys on) and runs pending migrations. */
async function openSqlite(url: string): Promise<Db> {
  const file = sqlitePath(url);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Pages are read through mmap (a district's year is ~100 MB; 1 GiB of address space covers far more).
  // The page cache then holds only what a write touches and what the WAL holds, and it is kept at
  // SQLite's default of 2 MB on purpose: after a B-tree split that renumbers pages (balance_nonroot
  // parks a page on the locking page's number, 262145, for a moment), the commit walks the cache's
  // whole hash table (pcache1TruncateUnsafe), and that walk grows with the cache: with 64 MB (~16k
  // pages) 3 % of /谈心's and /整改 完成's commits spent over 50 µs in it, 60–130 µs on average in a
  // bare loop, against 0.1–0.2 % with 2 MB. See README, 性能.
  sqlite.pragma('cache_size = -2000');
  sqlite.pragma('mmap_size = 1073741824');
  // Checkpoints run from the scheduler's minute tick ({@link checkpoint}), not inside a command's commit.
  sqlite.pragma('wal_autocheckpoint = 0');
  const statements = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  handles.set(db, sqlite);
  connections.set(db.getExecutor().adapter, statements);
  await migrate(db);
  return db;
}

const handles = new WeakMap<Db, SQLite.Database>();
/** The connection behind each store opened here, by its dialect adapter (which its transactions share). */
const connections = new WeakMap<object, { prepare(sql: string): SQLite.Statement }>();

/**
 * The SQLite connection a transaction of a store opened here runs on, for prepared queries
 * (src/store/prepared.ts) to run their statement directly. Only inside a transaction: Kysely's
 * SQLite driver then holds the one connection for it, so a direct call is exactly what Kysely would
 * do, without its per-query promises. Undefined for other dialects and outside transactions.
 */
export function transactionConnectionOf(db: Kysely<any>): { prepare(sql: string): SQLite.Statement } | undefined {
  return db.isTransaction ? connections.get(db.getExecutor().adapter) : undefined;
}

/** The better-sqlite3 connection behind a store opened here (benchmarks compare against it). */
export const sqliteHandleOf = (db: Db): SQLite.Database | undefined => handles.get(db);

/**
 * Moves the write-ahead log into the database file without blocking readers or writers (PASSIVE).
 * Called once a minute by the scheduler, so no command's commit pays for a checkpoint.
 * A no-op on PostgreSQL (the server checkpoints by itself) and on stores not opened here.
 */
export function checkpoint(db: Db): void {
  handles.get(db)?.pragma('wal_checkpoint(PASSIVE)');
}

/** How many prepared statements are kept (queries with long IN lists vary; the hot ones repeat). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 re-prepares a statement on every `prepare()`, and Kysely calls it for every query.
 * Keeping the prepared statements by SQL text (least recently used first out) removes that cost
 * from every command. Safe: the driver runs one statement at a time on this connection.
 */
export function withStatementCache(sqlite: SQLite.Database): { prepare(sql: string): SQLite.Statement; close(): void } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}

class VarcharAsTextTransformer extends OperationNodeTransformer {
  protected override transformDataType(node: DataTypeNode): DataTypeNode {
    return /^varchar\(\d+\)$/.test(node.dataType) ? { ...node, dataType: 'text' } : node;
  }
}

/**
 * The migrations' `varchar(n)` columns as `text` on PostgreSQL. SQLite never enforced those
 * lengths, so names, contents and notes longer than them are accepted there; PostgreSQL would
 * refuse them (a command that works on SQLite would fail). `text` keeps the two stores alike and
 * costs PostgreSQL nothing (varchar and text are stored the same). Used for migrations only.
 */
class VarcharAsText implements KyselyPlugin {
  readonly #transformer = new VarcharAsTextTransformer();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export async function migrate(db: Kysely<any>): Promise<void> {
  const target = dialectOf(db) === 'postgres' ? db.withPlugin(new VarcharAsText()) : db;
  const migrator = new Migrator({ db: target, provider: new InCodeMigrations() });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration failed: ${failed?.migrationName ?? ''} ${error instanceof Error ? error.message : String(error ?? '')}`);
  }
}
