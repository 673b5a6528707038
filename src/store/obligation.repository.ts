import { sql } from 'kysely';
import { viewMeeting } from '../domain/meeting.js';
import { COMMITMENT_DAYS, openObligations, type Obligation } from '../domain/obligations.js';
import type { Member, Role } from '../domain/types.js';
import { addDays, toLocalDate, type LocalDate } from '../domain/dates.js';
import { offsetsFor } from '../domain/rules.js';
import { loadMeetingFacts } from './facts.js';
import type { Q } from './helpers.js';
import { dialectOf } from './db.js';
import { dueWorkExclusive, dueWorkShared } from './locks.js';
import { prepared } from './prepared.js';
import { currentMeeting } from './meeting.repository.js';
import { rosterOf } from './person.repository.js';
import { getUnit } from './unit.repository.js';

/**
 * Recomputes the open dated obligations of a unit's current meeting (after any command that
 * changes it), and drops reminders planned but not yet sent, so a rescheduled or cancelled
 * meeting re-plans or stops its reminders at once.
 */
export async function refreshObligations(db: Q, unitId: number, today: LocalDate): Promise<void> {
  await noteDueChange(db, unitId);
  const unit = await getUnit(db, unitId);
  const meetingIds = (await db.selectFrom('meeting').select('id').where('unit_id', '=', unitId).execute()).map((r) => r.id);
  if (meetingIds.length) await db.deleteFrom('obligation').where('meeting_id', 'in', meetingIds).execute();
  await dropPending(db, unitId, 'step:');
  const meeting = await currentMeeting(db, unitId);
  if (!unit || !meeting) return;
  const roster = await rosterOf(db, unitId);
  const facts = await loadMeetingFacts(db, meeting, roster, offsetsFor(unit.settings, meeting.kind));
  const rows = openObligations(viewMeeting(facts, today), facts);
  rows.push(...(await missingCommitments(db, meeting.id, roster)));
  if (rows.length) {
    await db.insertInto('obligation').values(rows.map((o) => ({ meeting_id: meeting.id, unit_id: unitId, step: o.step, person_id: o.personId, due_date: o.due }))).execute();
  }
}

/**
 * After a 民主评议 closes, every member owes a 整改承诺 within {@link COMMITMENT_DAYS} days:
 * one obligation per member who has not handed one in (the bot chases them).
 */
async function missingCommitments(db: Q, meetingId: number, roster: readonly Member[]): Promise<Obligation[]> {
  const appraisal = await db.selectFrom('appraisal').select(['id', 'closed_at']).where('meeting_id', '=', meetingId).where('status', '=', 'closed')
    .orderBy('id', 'desc').executeTakeFirst();
  if (!appraisal?.closed_at) return [];
  const done = new Set((await db.selectFrom('appraisal_text').select('person_id').where('appraisal_id', '=', appraisal.id).where('kind', '=', 'commitment').execute()).map((r) => r.person_id));
  const due = addDays(toLocalDate(new Date(appraisal.closed_at)), COMMITMENT_DAYS);
  const takesPart: Role[] = ['principal', 'member', 'party_member', 'probationary'];
  return roster.filter((m) => m.roles.some((r) => takesPart.includes(r)) && !done.has(m.id)).map((m) => ({ step: 'commitment', personId: m.id, due }));
}

/**
 * Unsent reminder messages of a unit whose subjects start with `prefix` are dropped and their keys
 * forgotten, so the next scheduler run plans them again from the current state.
 */
const pendingReminders = prepared((db, unitId: number) =>
  db.selectFrom('outbox').select(['id', 'message_key']).where('unit_id', '=', unitId).where('status', '=', 'pending').where('message_key', 'like', sql.lit('remind:%')));

/** Units whose unsent messages carry an escalation of `unitId` (the log links an escalation to its message's first row). */
const pendingEscalationUnits = prepared((db, unitId: number) => db.selectFrom('reminder_log').innerJoin('outbox', 'outbox.id', 'reminder_log.outbox_id')
  .select('outbox.unit_id as unitId') // not DISTINCT: a handful of rows, told apart below without SQLite's temporary B-tree
  .where('reminder_log.unit_id', '=', unitId).where('reminder_log.kind', '=', 'supervisor').where('outbox.status', '=', 'pending'));

/**
 * After a write that changes what the unit's items owe (an item completed or extended): drops the
 * unit's reminders planned but not sent whose subjects start with `prefix`, and notes the change
 * for a planner running meanwhile on another instance ({@link noteDueChange}).
 */
export async function dropPlannedReminders(db: Q, unitId: number, prefix: string): Promise<void> {
  await noteDueChange(db, unitId);
  await dropPending(db, unitId, prefix);
}

/**
 * In the transaction of a write that changes what is due for a unit, before it looks for planned
 * reminders to drop (PostgreSQL; nothing on SQLite, where the planner's one transaction holds the
 * store's one connection and no write falls between its reads and its writes). A planning run of
 * another instance may have read the unit's due work before this change and still be writing its
 * plan, which this transaction cannot see. So the write notes its unit with its transaction's id, and
 * holds the due-work fence shared until it ends: the planner, before it commits, waits for the writes
 * under way, keeps new ones waiting, and drops what it planned for every unit noted by a transaction
 * its reads could not see ({@link settleDueChanges}). A write after that finds the plan committed.
 */
export async function noteDueChange(db: Q, unitId: number): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await dueWorkShared(db);
  await db.insertInto('due_change').values({ unit_id: unitId, xact: sql<string>`txid_current()` }).execute();
}

/**
 * Taken by the planner before it reads what is due (PostgreSQL): the transactions whose writes its
 * reads will see at least (`txid_current_snapshot()`, which older PostgreSQL-compatible servers
 * also have). Undefined on SQLite.
 */
export async function dueWorkSnapshot(db: Q): Promise<string | undefined> {
  if (dialectOf(db) !== 'postgres') return undefined;
  const { rows } = await sql<{ snapshot: string }>`select txid_current_snapshot()::text as snapshot`.execute(db);
  return rows[0]?.snapshot;
}

/**
 * The planner's last step, in its transaction after it wrote the plan (PostgreSQL): waits for the
 * writes that change what is due and are under way, and keeps new ones waiting until the plan
 * commits; then drops the messages planned but not sent for every unit noted by a transaction not
 * visible in `snapshot` (whose change the plan may not have read: the unit's reminders are planned
 * again at the next tick, from what is due then), and forgets every note. Returns those units.
 */
export async function settleDueChanges(db: Q, snapshot: string | undefined): Promise<number[]> {
  if (snapshot === undefined) return [];
  await dueWorkExclusive(db);
  const noted = await db.selectFrom('due_change').select('unit_id')
    .where(sql<boolean>`not txid_visible_in_snapshot(xact, ${snapshot}::txid_snapshot)`).execute();
  const units = [...new Set(noted.map((r) => r.unit_id))];
  for (const unitId of units) {
    await dropPending(db, unitId, 'step:');
    await dropPending(db, unitId, 'item:');
  }
  await db.deleteFrom('due_change').execute();
  return units;
}

async function dropPending(db: Q, unitId: number, prefix: string): Promise<void> {
  const pending = [...(await pendingReminders(db, unitId)).rows];
  // An overdue item's escalation travels in the message of a unit above (see the scheduler's compose):
  // its messages to every chat of that unit are found from the one the log links the escalation to.
  if (prefix === 'item:') {
    const above = new Set((await pendingEscalationUnits(db, unitId)).rows.map((r) => r.unitId));
    for (const u of above) if (u !== null && u !== unitId) pending.push(...(await pendingReminders(db, u)).rows);
  }
  if (pending.length === 0) return;
  // A unit with several chats gets one outbox row per chat, all keyed `remind:<first log id>:…`, but
  // the log links its reminders to the first row only: every row finds its message through that id.
  const firstOf = (key: string) => Number(key.split(':')[1]);
  const heads = await db.selectFrom('reminder_log').select(['id', 'outbox_id']).where('id', 'in', pending.map((p) => firstOf(p.message_key))).execute();
  const linkOf = new Map(heads.map((h) => [h.id, h.outbox_id]));
  const links = [...new Set(heads.map((h) => h.outbox_id).filter((x): x is number => x !== null))];
  if (links.length === 0) return;
  const logged = await db.selectFrom('reminder_log').select(['outbox_id', 'subject', 'unit_id']).where('outbox_id', 'in', links).execute();
  // A message is affected by this unit's subjects only (a message may also carry other units' escalations).
  const affected = new Set(logged.filter((l) => l.unit_id === unitId && l.subject.startsWith(prefix)).map((l) => l.outbox_id));
  const dropIds = pending.filter((p) => affected.has(linkOf.get(firstOf(p.message_key)) ?? null)).map((p) => p.id);
  if (dropIds.length === 0) return;
  // Keys are forgotten (planned again) only when the first row was unsent too.
  const forget = dropIds.filter((id) => affected.has(id));
  if (forget.length) await db.deleteFrom('reminder_log').where('outbox_id', 'in', forget).execute();
  await db.updateTable('outbox').set({ status: 'dropped' }).where('id', 'in', dropIds).execute();
}

/** One due-work row: a meeting obligation, or one owner of an open rectification item. */
export interface DueRow {
  /** The meeting (obligations) or the item. */
  refId: number;
  unitId: number;
  /** The obligation's step; null for a rectification item. */
  step: string | null;
  personId: number | null;
  due: string;
  itemNo: number | null;
  content: string | null;
  /** The meeting kind (obligations only). */
  kind: string | null;
}

/** Which due work to read: deadlines before `before`, plus those on the dates listed. */
export interface DueFilter {
  before: LocalDate;
  on: readonly LocalDate[];
}

const OPEN_ITEM: ['open', 'extended'] = ['open', 'extended'];

/**
 * The scheduler's one query: every open obligation and open item (one row per owner)
 * whose deadline is before `before` or one of `on`, through the (due_date) and (status, deadline)
 * indexes. The caller chooses the dates: only these rows can be reminded of on the days it plans.
 */
export async function loadDueRows(db: Q, due: DueFilter): Promise<DueRow[]> {
  return obligationRows(db)
    .where((eb) => eb.or([eb('obligation.due_date', '<', due.before), ...(due.on.length ? [eb('obligation.due_date', 'in', due.on)] : [])]))
    .unionAll(itemRows(db).where('item.status', 'in', OPEN_ITEM)
      .where((eb) => eb.or([eb('item.deadline', '<', due.before), ...(due.on.length ? [eb('item.deadline', 'in', due.on)] : [])])))
    .execute();
}

/**
 * The due-work rows of particular subjects whatever their deadline (the snoozed ones): open items
 * by id, and every obligation of the meetings listed (the caller picks the subjects it needs).
 */
export async function loadRowsOf(db: Q, of: { itemIds: readonly number[]; meetingIds: readonly number[] }): Promise<DueRow[]> {
  const out: DueRow[] = [];
  for (const ids of slices(of.meetingIds)) out.push(...(await obligationRows(db).where('obligation.meeting_id', 'in', ids).execute()));
  for (const ids of slices(of.itemIds)) out.push(...(await itemRows(db).where('item.status', 'in', OPEN_ITEM).where('item.id', 'in', ids).execute()));
  return out;
}

/** At most this many values in one `IN` list: SQLite binds at most 32,766 per statement. */
export const IN_LIST_MAX = 10_000;

/** `ids` in slices of at most {@link IN_LIST_MAX}, for `WHERE … IN (…)` lists. */
export function slices<T>(ids: readonly T[], size = IN_LIST_MAX): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

// Columns are named as DueRow's fields, so rows need no copying (integer ids come back as numbers on every dialect).
function obligationRows(db: Q) {
  return db
    .selectFrom('obligation')
    .innerJoin('meeting', 'meeting.id', 'obligation.meeting_id')
    .select([
      'obligation.meeting_id as refId',
      'obligation.unit_id as unitId',
      (eb) => eb.ref('obligation.step').$castTo<string | null>().as('step'),
      'obligation.person_id as personId',
      'obligation.due_date as due',
      sql<number | null>`NULL`.as('itemNo'),
      sql<string | null>`NULL`.as('content'),
      (eb) => eb.ref('meeting.kind').$castTo<string | null>().as('kind'),
    ]);
}

function itemRows(db: Q) {
  return db
    .selectFrom('item')
    .innerJoin('item_owner', 'item_owner.item_id', 'item.id')
    .select([
      'item.id as refId',
      'item.unit_id as unitId',
      sql<string | null>`NULL`.as('step'),
      'item_owner.person_id as personId',
      'item.deadline as due',
      'item.item_no as itemNo',
      'item.content',
      sql<string | null>`NULL`.as('kind'),
    ]);
}
