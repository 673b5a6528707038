import { CompiledQuery } from 'kysely';
import { dialectOf, openDatabase, type Db } from '../../src/store/db.js';
import { freshPgStore, onPostgres } from './pg.js';

/**
 * The store a test runs on, per vitest project: SQLite in memory (project `sqlite`), or a fresh
 * database on the PostgreSQL test server (project `postgres`, TEST_STORE=postgres), and portable
 * raw-SQL assertions on it (`?` placeholders, translated for PostgreSQL).
 *
 * @example
 * const { db } = await testStore();
 * expect(await query(db, 'SELECT status FROM outbox WHERE unit_id = ?', 1)).toEqual([{ status: 'sent' }]);
 */
export interface TestStore {
  db: Db;
  /** DATABASE_URL of this store: another bot instance or the CLI opens it again (not for `:memory:`). */
  url: string;
}

/** A migrated, empty store. `file` (SQLite only) puts it in a file, e.g. for restarts. */
export async function testStore(file?: string): Promise<TestStore> {
  if (onPostgres()) return freshPgStore();
  const url = file ?? ':memory:';
  return { db: await openDatabase(url), url };
}

/** `?` placeholders (outside quotes) as PostgreSQL's `$1, $2, …`. */
export function toDialect(db: Db, text: string): string {
  if (dialectOf(db) !== 'postgres') return text;
  let n = 0;
  return text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (m) => (m === '?' ? `$${++n}` : m));
}

/** Rows of a raw SQL statement (`?` placeholders), on either dialect. */
export async function query<T = Record<string, unknown>>(db: Db, text: string, ...params: unknown[]): Promise<T[]> {
  return (await db.executeQuery<T>(CompiledQuery.raw(toDialect(db, text), params))).rows;
}

/** Application tables in the store (everything but the dialect's and Kysely's own), by name. */
export async function tablesOf(db: Db): Promise<string[]> {
  return (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('kysely_')).sort();
}

/** Row count of each table, in one statement. */
export async function countRows(db: Db, tables?: string[]): Promise<Record<string, number>> {
  const list = tables ?? (await tablesOf(db));
  const rows = await query<{ t: string; n: number }>(db, list.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM "${t}"`).join(' UNION ALL '));
  const out: Record<string, number> = {};
  for (const t of list) out[t] = rows.find((r) => r.t === t)!.n;
  return out;
}

/** Column names per table, for a stable order of every table's rows. */
const orders = new WeakMap<Db, Map<string, string>>();

/**
 * `ORDER BY` for a table's rows in insertion order where the dialect can tell it: by `id` where
 * there is one (SQLite's rowid is the id), otherwise by every column (the same order on both).
 */
export async function orderOf(db: Db, table: string): Promise<string> {
  let known = orders.get(db);
  if (!known) orders.set(db, (known = new Map()));
  let order = known.get(table);
  if (order === undefined) {
    const meta = (await db.introspection.getTables()).find((t) => t.name === table);
    if (!meta) throw new Error(`no table ${table}`);
    const cols = meta.columns.map((c) => c.name);
    order = cols.includes('id') ? '"id"' : cols.map((c) => `"${c}"`).join(', ');
    known.set(table, order);
  }
  return order;
}

/** Rows of one table, `where` a raw condition with `?` placeholders, in insertion order. */
export async function tableRows<T = Record<string, unknown>>(db: Db, table: string, where?: string, ...params: unknown[]): Promise<T[]> {
  return query<T>(db, `SELECT * FROM "${table}"${where ? ` WHERE ${where}` : ''} ORDER BY ${await orderOf(db, table)}`, ...params);
}

/** Every row of the given tables (default: all but `processed_message`), as one comparable string. */
export async function snapshotRows(db: Db, tables?: string[]): Promise<string> {
  const list = tables ?? (await tablesOf(db)).filter((t) => t !== 'processed_message');
  const out: Array<[string, unknown[]]> = [];
  for (const t of list) out.push([t, await tableRows(db, t)]);
  return JSON.stringify(out);
}
