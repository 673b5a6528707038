import { PostgresAdapter, sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Q } from '../store/helpers.js';

/**
 * The key of the PostgreSQL advisory lock that the planning instance holds (one number for this
 * application; PostgreSQL's advisory locks are the database's own tool for "one at a time").
 */
export const PLANNER_LOCK_KEY = 5_348_483_101;

/**
 * Runs the planning work `fn` as the only planner among the bot's instances on this database, or
 * not at all. On PostgreSQL, `fn` runs in one transaction that first takes
 * `pg_try_advisory_xact_lock`: an instance that does not get it (another one is planning this
 * minute) returns undefined at once and plans at its next tick; the lock goes with the transaction,
 * so an instance that dies mid-plan frees it and leaves nothing half written. Its reads come after
 * the lock, so they see everything the previous planner committed (and what a command changes while
 * a plan reads is settled before it commits: settleDueChanges in src/store/obligation.repository.ts).
 * On the embedded SQLite store (one process) `fn` runs in one transaction too, one planner of a
 * store at a time within the process: the transaction holds the store's one connection, so no
 * command runs between the plan's reads and its writes. The reminders' and messages' unique keys
 * remain the backstop on every dialect.
 * @example const done = await asPlanner(db, (q) => writePlan(q, await planReminders({ ...deps, db: q }, now), now));
 */
/** Stores (by dialect adapter) being planned in this process right now. */
const planning = new WeakSet<object>();

export async function asPlanner<T>(db: Db, fn: (q: Q) => Promise<T>): Promise<{ value: T } | undefined> {
  const adapter = db.getExecutor().adapter;
  if (!(adapter instanceof PostgresAdapter)) {
    if (planning.has(adapter)) return undefined;
    planning.add(adapter);
    try {
      return { value: await db.transaction().execute(fn) };
    } finally {
      planning.delete(adapter);
    }
  }
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${PLANNER_LOCK_KEY}) as locked`.execute(trx);
    if (rows[0]?.locked !== true) return undefined;
    return { value: await fn(trx) };
  });
}
