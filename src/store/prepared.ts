import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import { transactionConnectionOf } from './db.js';
import type { Q } from './helpers.js';

/** Stands for the n-th argument while a prepared query is built. */
class Slot {
  constructor(readonly index: number) {}
}

interface Shape {
  sql: string;
  query: CompiledQuery['query'];
  queryId: CompiledQuery['queryId'];
  /** The compiled parameters: slots (filled from the arguments) and constants. */
  params: readonly unknown[];
}

/**
 * A query built and compiled once per store, then run with new values. Kysely's build and compile
 * cost ≈ 10–15 µs and most of the garbage of a query; the commands' hot look-ups (every command's
 * first five, `/进度`'s facts) pay it once instead of on every message.
 *
 * `build` gets stand-ins for its arguments: it must pass them to Kysely as values (`where(col, '=', x)`,
 * `values({ col: x })`) and never branch on them, spread them or use them as `in` lists, since they
 * are not the values. Stays portable: the SQL is whatever the store's own dialect compiles. Inside a
 * transaction on the embedded SQLite store the statement runs on the transaction's connection
 * directly (see {@link transactionConnectionOf}); everywhere else it goes through Kysely.
 */
export function prepared<A extends unknown[], O>(build: (db: Q, ...args: A) => Compilable<O>): (db: Q, ...args: A) => Promise<QueryResult<O>> {
  // Keyed by the dialect adapter, which a store shares with its transactions.
  const shapes = new WeakMap<object, Shape>();
  return async (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    let shape = shapes.get(adapter);
    if (!shape) {
      const stand = args.map((_, i) => new Slot(i)) as unknown as A;
      const compiled = build(db, ...stand).compile();
      shape = { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, params: compiled.parameters };
      shapes.set(adapter, shape);
    }
    const parameters = shape.params.map((p) => (p instanceof Slot ? args[p.index] : p));
    const direct = transactionConnectionOf(db);
    if (direct) {
      // What Kysely's SQLite driver does with the statement (sqlite-driver.js), minus its promise chain.
      const stmt = direct.prepare(shape.sql);
      if (stmt.reader) return { rows: stmt.all(parameters) as O[] };
      const { changes, lastInsertRowid } = stmt.run(parameters);
      return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
    }
    return db.executeQuery<O>({ sql: shape.sql, query: shape.query, queryId: shape.queryId, parameters });
  };
}
