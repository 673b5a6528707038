import { sql } from 'kysely';
import { dialectOf } from './db.js';
import type { Q } from './helpers.js';

/**
 * The first key of the per-unit write locks (`pg_advisory_xact_lock(int, int)`: a key space apart
 * from the planner's one-number lock in src/scheduler/planner-lock.ts).
 */
const UNIT_WRITES = 0x5348_0001;
/** The key of the fence between planning and the writes that change what is due (see {@link dueWorkShared}). */
const DUE_WORK = 0x5348_0002;

/**
 * Inside a command's transaction: waits until no other transaction writes for this unit, and holds
 * that until this one ends. Several bot instances on one PostgreSQL database handle commands at the
 * same moment; a unit's writes that read before they write (the next item number, the open leave
 * request, the step already recorded) then see each other's rows instead of both taking the same
 * number. The lock goes with the transaction (an instance that dies frees it). On the embedded SQLite
 * store transactions are one at a time already, so nothing is needed.
 */
export async function lockUnitForWrite(trx: Q, unitId: number): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(${UNIT_WRITES}::int, ${unitId}::int)`.execute(trx);
}

/**
 * The fence between the end of a planning run and the writes that change what is due (PostgreSQL):
 * such a write holds it shared from the moment it notes its unit until it ends; the planner takes it
 * exclusively to settle its plan (see settleDueChanges in src/store/obligation.repository.ts). Any
 * number of writes hold it together; a plan waits only for those under way, and keeps new ones
 * waiting only while it settles and commits.
 */
export async function dueWorkShared(trx: Q): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(${DUE_WORK}::int, 0)`.execute(trx);
}

/** The planner's side of {@link dueWorkShared}. */
export async function dueWorkExclusive(trx: Q): Promise<void> {
  await sql`select pg_advisory_xact_lock(${DUE_WORK}::int, 0)`.execute(trx);
}
