import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { dialectOf, isPostgresUrl, migrations, openDatabase, sqlitePath, type Db } from '../store/db.js';
import { migrateText } from '../text/ops.js';
import type { ToolDeps } from './tools.js';

/**
 * `shenghuohui db migrate-from <file>`: copies a SQLite store into the empty database DATABASE_URL
 * names (PostgreSQL; a SQLite file works too), every table with every id and history row.
 *
 * - The source is opened read-only and read in one read transaction (one consistent snapshot), and
 *   only when every migration of this version has run on it (and none it does not know).
 * - The target is migrated first, then must hold no application row (`store_version`, seeded by a
 *   migration, is replaced by the source's).
 * - Tables go in foreign-key order, rows in multi-row INSERTs, all in ONE target transaction: an
 *   error, or a table whose row count differs afterwards, rolls everything back.
 * - The tables' own triggers (the directory version) are off during the copy on PostgreSQL, and the
 *   source's `store_version` rows are copied last on either, so they arrive as they were. On
 *   PostgreSQL every serial id's sequence is then moved past the largest id copied.
 */
export async function runDb(args: string[], deps: ToolDeps): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: false });
  const [action, source, ...extra] = positionals;
  if (action !== 'migrate-from' || !source || extra.length > 0) {
    deps.print(migrateText.usage());
    return 2;
  }
  return migrateFrom(source, deps);
}

/** One table of the source: its columns, the tables it references, its self-references, its row count. */
export interface SourceTable {
  name: string;
  columns: string[];
  parents: string[];
  /** Columns referencing this same table (unit.parent_id): copied as null, then set once all rows are in. */
  selfRefs: string[];
  rows: number;
}

/** The copy refused before anything was written, with the operator's message. */
class Refused extends Error {}

/** How a database is named in messages: a PostgreSQL URL without its user and password, or the file. */
export function describeTarget(url: string): string {
  if (!isPostgresUrl(url)) return sqlitePath(url);
  try {
    const u = new URL(url.trim());
    return `PostgreSQL ${u.host}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

async function migrateFrom(file: string, deps: ToolDeps): Promise<number> {
  const target = deps.config.DATABASE_URL;
  const targetName = describeTarget(target);
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    deps.print(migrateText.sourceMissing({ file }));
    return 2;
  }
  if (!isPostgresUrl(target) && path.resolve(sqlitePath(target)) === path.resolve(file)) {
    deps.print(migrateText.sameStore({ file }));
    return 2;
  }
  let source: SQLite.Database;
  try {
    source = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    deps.print(migrateText.sourceUnreadable({ file, reason: err instanceof Error ? err.message : String(err) }));
    return 2;
  }
  let db: Db | undefined;
  try {
    // One snapshot for the checks, the counts and every row read (a deferred read transaction).
    source.exec('BEGIN');
    const tables = readSource(source, file);
    db = await openDatabase(target);
    await checkEmpty(db, targetName);
    deps.print(migrateText.copying({ source: file, target: targetName }));
    await copyStore(source, db, tables);
    // Fresh statistics for the planner: after a bulk load it has none until autovacuum comes by.
    if (dialectOf(db) === 'postgres') await sql`ANALYZE`.execute(db);
    for (const t of tables) deps.print(migrateText.table({ table: t.name, rows: t.rows }));
    const rows = tables.reduce((n, t) => n + t.rows, 0);
    deps.print(migrateText.done({ tables: tables.length, rows, target: targetName }));
    deps.log.info({ source: file, target: targetName, tables: tables.length, rows }, 'store copied');
    return 0;
  } catch (err) {
    if (err instanceof Refused) {
      deps.print(err.message);
      return 2;
    }
    if (err instanceof CountMismatch) {
      deps.print(err.message);
      deps.log.error({ table: err.table }, 'store copy: row counts differ; rolled back');
      return 1;
    }
    throw err;
  } finally {
    if (source.inTransaction) source.exec('COMMIT');
    source.close();
    await db?.destroy();
  }
}

/** The source's application tables in foreign-key order (parents first), after checking its migrations. */
export function readSource(source: SQLite.Database, file: string): SourceTable[] {
  let names: string[];
  try {
    names = (source.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
  } catch (err) {
    throw new Refused(migrateText.sourceUnreadable({ file, reason: err instanceof Error ? err.message : String(err) }));
  }
  if (!names.includes('kysely_migration')) throw new Refused(migrateText.notAStore({ file }));
  const applied = new Set((source.prepare('SELECT name FROM kysely_migration').all() as Array<{ name: string }>).map((r) => r.name));
  const missing = Object.keys(migrations).filter((m) => !applied.has(m));
  if (missing.length) throw new Refused(migrateText.sourceNotMigrated({ file, missing }));
  const unknown = [...applied].filter((m) => !(m in migrations));
  if (unknown.length) throw new Refused(migrateText.sourceNewer({ file, unknown }));

  const tables = names.filter((n) => !n.startsWith('sqlite_') && !n.startsWith('kysely_')).map((name): SourceTable => {
    const columns = (source.pragma(`table_info("${name}")`) as Array<{ name: string }>).map((c) => c.name);
    const fks = source.pragma(`foreign_key_list("${name}")`) as Array<{ table: string; from: string }>;
    const rows = (source.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n;
    return {
      name,
      columns,
      parents: [...new Set(fks.filter((f) => f.table !== name).map((f) => f.table))],
      selfRefs: fks.filter((f) => f.table === name).map((f) => f.from),
      rows,
    };
  });
  return inDependencyOrder(tables);
}

/** Parents before children (Kahn's algorithm; ties by name, so the order is stable). */
export function inDependencyOrder(tables: SourceTable[]): SourceTable[] {
  const left = new Map(tables.map((t) => [t.name, t]));
  const ordered: SourceTable[] = [];
  while (left.size) {
    const ready = [...left.values()].filter((t) => t.parents.every((p) => !left.has(p))).sort((a, b) => a.name.localeCompare(b.name));
    if (!ready.length) throw new Error(`foreign keys form a cycle among ${[...left.keys()].join(', ')}`);
    for (const t of ready) {
      ordered.push(t);
      left.delete(t.name);
    }
  }
  return ordered;
}

/** Tables a migration fills (so a freshly migrated database holds these rows): replaced, not checked. */
const SEEDED = new Set(['store_version']);

async function checkEmpty(db: Db, targetName: string): Promise<void> {
  const any = db as unknown as Kysely<any>;
  const full: string[] = [];
  for (const meta of await db.introspection.getTables()) {
    if (meta.name.startsWith('kysely_') || SEEDED.has(meta.name)) continue;
    const row = await any.selectFrom(meta.name).select(sql`1`.as('one')).limit(1).executeTakeFirst();
    if (row) full.push(meta.name);
  }
  if (full.length) throw new Refused(migrateText.targetNotEmpty({ target: targetName, tables: full.sort() }));
}

class CountMismatch extends Error {
  constructor(readonly table: string, source: number, target: number) {
    super(migrateText.countMismatch({ table, source, target }));
  }
}

/** PostgreSQL binds at most 65,535 parameters per statement; SQLite 32,766. Rows per INSERT stay well below. */
const PARAMS_PER_INSERT = 30_000;
const MAX_ROWS_PER_INSERT = 1_000;

/**
 * Copies every row of `tables` (from {@link readSource}) into `target` in one transaction, then
 * moves PostgreSQL's id sequences past the copied ids and checks each table's row count.
 */
export async function copyStore(source: SQLite.Database, target: Db, tables: readonly SourceTable[]): Promise<void> {
  const pg = dialectOf(target) === 'postgres';
  const known = new Map((await target.introspection.getTables()).map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
  for (const t of tables) {
    const cols = known.get(t.name);
    const absent = cols ? t.columns.filter((c) => !cols.has(c)) : t.columns;
    if (absent.length) throw new Error(`the target has no ${cols ? `column(s) ${absent.join(', ')} in` : 'table'} ${t.name}: both stores must be at the same migration`);
  }
  await target.transaction().execute(async (trx) => {
    const db = trx as unknown as Kysely<any>;
    if (pg) for (const t of tables) await sql`ALTER TABLE ${sql.table(t.name)} DISABLE TRIGGER USER`.execute(db);
    for (const t of tables) if (!SEEDED.has(t.name)) await copyTable(source, db, t);
    // Last, so that no trigger of the copy (SQLite's cannot be turned off) moves them afterwards: the source's rows replace the seeded ones.
    for (const t of tables) {
      if (!SEEDED.has(t.name)) continue;
      await db.deleteFrom(t.name).execute();
      await copyTable(source, db, t);
    }
    if (pg) {
      for (const t of tables) await sql`ALTER TABLE ${sql.table(t.name)} ENABLE TRIGGER USER`.execute(db);
      for (const t of tables) {
        if (!t.columns.includes('id')) continue;
        // Serial ids: the next nextval() is one past the largest id copied (1 for an empty table).
        await sql`SELECT setval(seq, coalesce((SELECT max(id) FROM ${sql.table(t.name)}), 0) + 1, false)
          FROM pg_get_serial_sequence(${t.name}, 'id') AS seq WHERE seq IS NOT NULL`.execute(db);
      }
    }
    for (const t of tables) {
      const row = await db.selectFrom(t.name).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      const n = Number(row.n);
      if (n !== t.rows) throw new CountMismatch(t.name, t.rows, n);
    }
  });
}

async function copyTable(source: SQLite.Database, db: Kysely<any>, t: SourceTable): Promise<void> {
  const perInsert = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(PARAMS_PER_INSERT / t.columns.length)));
  const later: Array<{ id: unknown; values: Record<string, unknown> }> = [];
  let batch: Record<string, unknown>[] = [];
  const list = t.columns.map((c) => `"${c}"`).join(', ');
  for (const row of source.prepare(`SELECT ${list} FROM "${t.name}"`).iterate() as IterableIterator<Record<string, unknown>>) {
    if (t.selfRefs.length) {
      // A row may name one copied after it (a unit's supervisor set later): the reference is set at the end.
      const values: Record<string, unknown> = {};
      for (const c of t.selfRefs) {
        if (row[c] !== null) values[c] = row[c];
        row[c] = null;
      }
      if (Object.keys(values).length) later.push({ id: row.id, values });
    }
    batch.push(row);
    if (batch.length === perInsert) {
      await db.insertInto(t.name).values(batch).execute();
      batch = [];
    }
  }
  if (batch.length) await db.insertInto(t.name).values(batch).execute();
  if (later.length && !t.columns.includes('id')) throw new Error(`${t.name} references itself but has no id column`);
  for (const { id, values } of later) await db.updateTable(t.name).set(values).where('id', '=', id).execute();
}
