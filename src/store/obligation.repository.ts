import { sql } from 'kysely';
import { viewMeeting } from '../domain/meeting.js';
import { COMMITMENT_DAYS, openObligations, type Obligation } from '../domain/obligations.js';
import type { Member, Role } from '../domain/types.js';
import { addDays, toLocalDate, type LocalDate } from '../domain/dates.js';
import { loadMeetingFacts } from './facts.js';
import type { Q } from './helpers.js';
import { currentMeeting } from './meeting.repository.js';
import { rosterOf } from './person.repository.js';
import { getUnit } from './unit.repository.js';

/**
 * Recomputes the open dated obligations of a unit's current meeting (after any command that
 * changes it), and drops reminders planned but not yet sent, so a rescheduled or cancelled
 * meeting re-plans or stops its reminders at once.
 */
export async function refreshObligations(db: Q, unitId: number, today: LocalDate): Promise<void> {
  const unit = await getUnit(db, unitId);
  const meetingIds = (await db.selectFrom('meeting').select('id').where('unit_id', '=', unitId).execute()).map((r) => r.id);
  if (meetingIds.length) await db.deleteFrom('obligation').where('meeting_id', 'in', meetingIds).execute();
  await dropPlannedReminders(db, unitId, 'step:');
  const meeting = await currentMeeting(db, unitId);
  if (!unit || !meeting) return;
  const roster = await rosterOf(db, unitId);
  const facts = await loadMeetingFacts(db, meeting, roster, { ...unit.settings.offsets, ...unit.settings.ownOffsets });
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
export async function dropPlannedReminders(db: Q, unitId: number, prefix: string): Promise<void> {
  const pending = await db.selectFrom('outbox').select(['id', 'message_key']).where('unit_id', '=', unitId).where('status', '=', 'pending').where('message_key', 'like', 'remind:%').execute();
  if (pending.length === 0) return;
  // A unit with several chats gets one outbox row per chat, all keyed `remind:<first log id>:…`, but
  // the log links its reminders to the first row only: every row finds its message through that id.
  const firstOf = (key: string) => Number(key.split(':')[1]);
  const heads = await db.selectFrom('reminder_log').select(['id', 'outbox_id']).where('id', 'in', pending.map((p) => firstOf(p.message_key))).execute();
  const linkOf = new Map(heads.map((h) => [h.id, h.outbox_id]));
  const links = [...new Set(heads.map((h) => h.outbox_id).filter((x): x is number => x !== null))];
  if (links.length === 0) return;
  const logged = await db.selectFrom('reminder_log').select(['outbox_id', 'subject']).where('outbox_id', 'in', links).execute();
  const affected = new Set(logged.filter((l) => l.subject.startsWith(prefix)).map((l) => l.outbox_id));
  const dropIds = pending.filter((p) => affected.has(linkOf.get(firstOf(p.message_key)) ?? null)).map((p) => p.id);
  if (dropIds.length === 0) return;
  // Keys are forgotten (planned again) only when the first row was unsent too.
  const forget = dropIds.filter((id) => affected.has(id));
  if (forget.length) await db.deleteFrom('reminder_log').where('outbox_id', 'in', forget).execute();
  await db.updateTable('outbox').set({ status: 'dropped' }).where('id', 'in', dropIds).execute();
}

/** One due-work row: a meeting obligation, or one owner of an open rectification item. */
export interface DueRow {
  source: 'step' | 'item';
  refId: number;
  unitId: number;
  step: string;
  personId: number | null;
  due: string;
  itemNo: number | null;
  content: string | null;
  status: string | null;
  /** The meeting kind (obligations only). */
  kind: string | null;
}

/**
 * The scheduler's one query: every open obligation and open item (with its owners) due on or
 * before `horizon`, through the (due_date) and (status, deadline) indexes.
 */
export async function loadDueRows(db: Q, horizon: LocalDate): Promise<DueRow[]> {
  const rows = await db
    .selectFrom('obligation')
    .innerJoin('meeting', 'meeting.id', 'obligation.meeting_id')
    .select([
      'meeting.kind',
      sql<string>`'step'`.as('source'),
      'obligation.meeting_id as ref_id',
      'obligation.unit_id',
      'obligation.step',
      'obligation.person_id',
      'obligation.due_date as due',
      sql<number | null>`NULL`.as('item_no'),
      sql<string | null>`NULL`.as('content'),
      sql<string | null>`NULL`.as('status'),
    ])
    .where('obligation.due_date', '<=', horizon)
    .unionAll(
      db
        .selectFrom('item')
        .innerJoin('item_owner', 'item_owner.item_id', 'item.id')
        .select([
          sql<string>`NULL`.as('kind'),
          sql<string>`'item'`.as('source'),
          'item.id as ref_id',
          'item.unit_id',
          sql<string>`'item'`.as('step'),
          'item_owner.person_id',
          'item.deadline as due',
          'item.item_no',
          'item.content',
          'item.status',
        ])
        .where('item.status', 'in', ['open', 'extended'])
        .where('item.deadline', '<=', horizon),
    )
    .execute();
  return rows.map((r) => ({
    source: r.source as 'step' | 'item', refId: Number(r.ref_id), unitId: Number(r.unit_id), step: r.step, personId: r.person_id === null ? null : Number(r.person_id),
    due: r.due, itemNo: r.item_no === null ? null : Number(r.item_no), content: r.content, status: r.status, kind: r.kind,
  }));
}
