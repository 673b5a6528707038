import { sql } from 'kysely';
import { pairKey } from '../domain/talks.js';
import type { LeaveFacts } from '../domain/leave.js';
import type { LeaveStatus, Meeting, MeetingKind, MeetingStatus, StepId } from '../domain/types.js';
import { insertId, joinedText, type Q } from './helpers.js';
import { prepared } from './prepared.js';
import type { MeetingRow } from './schema.js';

const toMeeting = (r: Pick<MeetingRow, 'id' | 'unit_id' | 'kind' | 'date' | 'topic' | 'status' | 'held_on'>): Meeting => ({
  id: r.id,
  unitId: r.unit_id,
  kind: r.kind as MeetingKind,
  date: r.date,
  topic: r.topic,
  status: r.status as MeetingStatus,
  heldOn: r.held_on,
});

const MEETING_COLS = ['id', 'unit_id', 'kind', 'date', 'topic', 'status', 'held_on'] as const;

/** The unit's current meeting: the latest one that is not cancelled. */
const currentMeetingRow = prepared((db, unitId: number) => db.selectFrom('meeting').select(MEETING_COLS).where('unit_id', '=', unitId).where('status', '!=', 'cancelled')
  .orderBy('date', 'desc').orderBy('id', 'desc').limit(sql.lit(1)));

export async function currentMeeting(db: Q, unitId: number): Promise<Meeting | undefined> {
  const r = (await currentMeetingRow(db, unitId)).rows[0];
  return r && toMeeting(r);
}

export async function meetingById(db: Q, id: number): Promise<Meeting | undefined> {
  const r = await db.selectFrom('meeting').select(MEETING_COLS).where('id', '=', id).executeTakeFirst();
  return r && toMeeting(r);
}

/** A meeting scheduled and not yet held (at most one per unit). */
export async function scheduledMeeting(db: Q, unitId: number): Promise<Meeting | undefined> {
  const r = await db.selectFrom('meeting').select(MEETING_COLS).where('unit_id', '=', unitId).where('status', '=', 'scheduled').executeTakeFirst();
  return r && toMeeting(r);
}

/** The meeting before `meeting` in the same unit (for the 通报 of the last rectification plan). */
const previousMeetingRow = prepared((db, unitId: number, date: string) => db.selectFrom('meeting').select(MEETING_COLS).where('unit_id', '=', unitId).where('status', '=', 'held')
  .where('date', '<', date).orderBy('date', 'desc').limit(sql.lit(1)));

export async function previousMeeting(db: Q, meeting: Meeting): Promise<Meeting | undefined> {
  const r = (await previousMeetingRow(db, meeting.unitId, meeting.date)).rows[0];
  return r && toMeeting(r);
}

export async function createMeeting(db: Q, m: { unitId: number; kind: MeetingKind; date: string; topic: string | null }, at: string): Promise<Meeting> {
  const id = await insertId(db, db.insertInto('meeting').values({
    unit_id: m.unitId, kind: m.kind, date: m.date, topic: m.topic, status: 'scheduled', held_on: null, cancel_reason: null, created_at: at, updated_at: at,
  }));
  return { id, unitId: m.unitId, kind: m.kind, date: m.date, topic: m.topic, status: 'scheduled', heldOn: null };
}

export async function updateMeeting(db: Q, id: number, patch: { date?: string; topic?: string | null; status?: MeetingStatus; held_on?: string | null; cancel_reason?: string | null }, at: string): Promise<void> {
  await db.updateTable('meeting').set({ ...patch, updated_at: at }).where('id', '=', id).execute();
}

export async function recordStep(db: Q, meetingId: number, step: StepId, doneOn: string, by: number, note: string | null, at: string): Promise<boolean> {
  const existing = await db.selectFrom('step_record').select('id').where('meeting_id', '=', meetingId).where('step', '=', step).executeTakeFirst();
  if (existing) return false;
  await db.insertInto('step_record').values({ meeting_id: meetingId, step, done_on: doneOn, done_by: by, note, created_at: at }).execute();
  return true;
}

/** Takes back a step's record; false when there was none. */
export async function unrecordStep(db: Q, meetingId: number, step: StepId): Promise<boolean> {
  const r = await db.deleteFrom('step_record').where('meeting_id', '=', meetingId).where('step', '=', step).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** One talk as text, "a_id:b_id", for {@link joinedText} (read back by {@link pairsOfJoined}). */
export const talkPairText = () => sql`${sql.ref('a_id')} || ':' || ${sql.ref('b_id')}`;

/** A meeting's talks as one text, "a:b,a:b,…" (see {@link joinedText}). */
const talkRows = prepared((db, meetingId: number) => db.selectFrom('talk')
  .select(joinedText(db, talkPairText()).as('pairs')).where('meeting_id', '=', meetingId));

/**
 * The talks of a joined text ("3:7,4:9") as pair keys, reading the digits in place: no substring
 * per talk (a meeting has dozens, and every `/进度` and `/谈心` reads them).
 */
export function pairsOfJoined(joined: string | null | undefined): Set<number> {
  const pairs = new Set<number>();
  if (!joined) return pairs;
  let a = 0;
  let b = 0;
  let second = false;
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    if (c === 58) second = true; // ':'
    else if (c === 44) { // ','
      pairs.add(pairKey(a, b));
      a = b = 0;
      second = false;
    } else if (second) b = b * 10 + (c - 48);
    else a = a * 10 + (c - 48);
  }
  pairs.add(pairKey(a, b));
  return pairs;
}

export async function talkPairs(db: Q, meetingId: number): Promise<Set<number>> {
  return pairsOfJoined((await talkRows(db, meetingId)).rows[0]?.pairs);
}

const insertTalk = prepared((db, meetingId: number, a: number, b: number, date: string, mode: string, note: string | null, by: number, at: string) =>
  db.insertInto('talk').values({ meeting_id: meetingId, a_id: a, b_id: b, date, mode, note, created_by: by, created_at: at }));

export async function addTalk(db: Q, t: { meetingId: number; x: number; y: number; date: string; mode: string; note: string | null; by: number }, at: string): Promise<void> {
  const [a, b] = t.x < t.y ? [t.x, t.y] : [t.y, t.x];
  await insertTalk(db, t.meetingId, a, b, t.date, t.mode, t.note, t.by, at);
}

export interface LeaveRow extends LeaveFacts {
  id: number;
  reason: string;
}

const leaveRows = prepared((db, meetingId: number) => db.selectFrom('leave_request').select(['id', 'person_id', 'status', 'statement_on', 'relayed_on', 'reason'])
  .where('meeting_id', '=', meetingId).orderBy('id'));

export async function leavesOf(db: Q, meetingId: number): Promise<LeaveRow[]> {
  const { rows } = await leaveRows(db, meetingId);
  // The latest request per person counts (a rejected person may ask again).
  const byPerson = new Map<number, LeaveRow>();
  for (const r of rows) {
    byPerson.set(r.person_id, { id: r.id, personId: r.person_id, status: r.status as LeaveStatus, statementOn: r.statement_on, relayedOn: r.relayed_on, reason: r.reason });
  }
  return [...byPerson.values()];
}

/**
 * Leave requests of people of that name for meetings not yet held, in any unit, with the unit and
 * meeting they are for: the pending ones, and those decided already (`pending: false`).
 */
export async function leavesNamed(db: Q, name: string): Promise<Array<{ personId: number; meetingId: number; unitId: number; pending: boolean }>> {
  const rows = await db.selectFrom('leave_request').innerJoin('meeting', 'meeting.id', 'leave_request.meeting_id').innerJoin('person', 'person.id', 'leave_request.person_id')
    .select(['leave_request.person_id as personId', 'meeting.id as meetingId', 'meeting.unit_id as unitId', 'leave_request.status'])
    .where('meeting.status', '=', 'scheduled').where('person.name', '=', name).execute();
  return rows.map((r) => ({ personId: r.personId, meetingId: r.meetingId, unitId: r.unitId, pending: r.status === 'pending' }));
}

export async function addLeave(db: Q, meetingId: number, personId: number, reason: string, at: string): Promise<number> {
  return insertId(db, db.insertInto('leave_request').values({
    meeting_id: meetingId, person_id: personId, reason, status: 'pending', decided_by: null, decided_at: null, decision_note: null, statement_on: null, relayed_on: null, created_at: at,
  }));
}

export async function updateLeave(db: Q, id: number, patch: { status?: LeaveStatus; decided_by?: number; decided_at?: string; decision_note?: string | null; statement_on?: string; relayed_on?: string }): Promise<void> {
  await db.updateTable('leave_request').set(patch).where('id', '=', id).execute();
}

const outlineRows = prepared((db, meetingId: number) => db.selectFrom('outline').select(['person_id', 'submitted_on', 'reviewed_on']).where('meeting_id', '=', meetingId));

export async function outlinesOf(db: Q, meetingId: number): Promise<Map<number, { submitted: boolean; reviewed: boolean }>> {
  const { rows } = await outlineRows(db, meetingId);
  return new Map(rows.map((r) => [r.person_id, { submitted: r.submitted_on !== null, reviewed: r.reviewed_on !== null }]));
}

export async function upsertOutline(db: Q, meetingId: number, personId: number, patch: { submitted_on?: string; reviewed_on?: string | null; reviewed_by?: number | null }, at: string): Promise<void> {
  const existing = await db.selectFrom('outline').select('id').where('meeting_id', '=', meetingId).where('person_id', '=', personId).executeTakeFirst();
  if (existing) await db.updateTable('outline').set(patch).where('id', '=', existing.id).execute();
  else await db.insertInto('outline').values({ meeting_id: meetingId, person_id: personId, submitted_on: null, reviewed_on: null, reviewed_by: null, ...patch, created_at: at }).execute();
}

export async function markArchived(db: Q, meetingId: number, material: string, on: string, by: number): Promise<boolean> {
  const existing = await db.selectFrom('archive_record').select('id').where('meeting_id', '=', meetingId).where('material', '=', material).executeTakeFirst();
  if (existing) return false;
  await db.insertInto('archive_record').values({ meeting_id: meetingId, material, done_on: on, done_by: by }).execute();
  return true;
}
