import { sql } from 'kysely';
import { dialectOf } from './db.js';
import type { Q } from './helpers.js';

/**
 * The first key of the per-unit write locks (`pg_advisory_xact_lock(int, int)`: a key space apart
 * from the planner's one-number lock in src/scheduler/planner-lock.ts).
 */
const UNIT_WRITES = 0x5348_0001;

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
