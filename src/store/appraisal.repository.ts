import type { Appraisal, AppraisalStatus, Ballot, BallotTarget, Grade, PartyGroups } from '../domain/appraisal.js';
import { insertId, type Q } from './helpers.js';

/**
 * 民主评议党员 storage. Ballots are read in two shapes only: a voter's own ballot, and the whole
 * set for the tally (which the domain turns into counts). Nothing here returns voters with grades
 * for display.
 */

const APPRAISAL_COLS = ['id', 'meeting_id', 'unit_id', 'status', 'closes_at', 'opened_at', 'closed_at', 'publicity_days', 'publicity_from'] as const;

const toAppraisal = (r: { id: number; meeting_id: number; unit_id: number; status: string; closes_at: string | null; opened_at: string; closed_at: string | null; publicity_days: number | null; publicity_from: string | null }): Appraisal => ({
  id: r.id,
  meetingId: r.meeting_id,
  unitId: r.unit_id,
  status: r.status as AppraisalStatus,
  closesAt: r.closes_at,
  openedAt: r.opened_at,
  closedAt: r.closed_at,
  publicityDays: r.publicity_days,
  publicityFrom: r.publicity_from,
});

const toTarget = (t: string): BallotTarget => (t === 'committee' ? 'committee' : Number(t));
const fromTarget = (t: BallotTarget): string => (t === 'committee' ? 'committee' : String(t));

export async function findAppraisal(db: Q, meetingId: number): Promise<Appraisal | undefined> {
  const r = await db.selectFrom('appraisal').select(APPRAISAL_COLS).where('meeting_id', '=', meetingId).executeTakeFirst();
  return r && toAppraisal(r);
}

/** True when the unit has an appraisal that is not closed (its 党小组 are then frozen). */
export async function hasRunningAppraisal(db: Q, unitId: number): Promise<boolean> {
  const r = await db.selectFrom('appraisal').select('id').where('unit_id', '=', unitId).where('status', '=', 'open').executeTakeFirst();
  return r !== undefined;
}

export async function createAppraisal(db: Q, a: { meetingId: number; unitId: number; by: number; closesAt: string | null }, at: string): Promise<Appraisal> {
  const id = await insertId(db, db.insertInto('appraisal').values({
    meeting_id: a.meetingId, unit_id: a.unitId, status: 'open', opened_by: a.by, opened_at: at, closes_at: a.closesAt,
    closed_by: null, closed_at: null, publicity_days: null, publicity_from: null, created_at: at,
  }));
  return { id, meetingId: a.meetingId, unitId: a.unitId, status: 'open', closesAt: a.closesAt, openedAt: at, closedAt: null, publicityDays: null, publicityFrom: null };
}

export async function closeAppraisal(db: Q, id: number, by: number, at: string): Promise<void> {
  await db.updateTable('appraisal').set({ status: 'closed', closed_by: by, closed_at: at }).where('id', '=', id).execute();
}

export async function setPublicity(db: Q, id: number, days: number, from: string): Promise<void> {
  await db.updateTable('appraisal').set({ publicity_days: days, publicity_from: from }).where('id', '=', id).execute();
}

/** One ballot per voter per target: a second vote replaces the first. */
export async function upsertBallot(db: Q, b: { appraisalId: number; voterId: number; target: BallotTarget; grade: Grade; comment: string | null }, at: string): Promise<void> {
  const target = fromTarget(b.target);
  const existing = await db.selectFrom('appraisal_ballot').select('id')
    .where('appraisal_id', '=', b.appraisalId).where('voter_id', '=', b.voterId).where('target', '=', target).executeTakeFirst();
  if (existing) {
    await db.updateTable('appraisal_ballot').set({ grade: b.grade, comment: b.comment, updated_at: at }).where('id', '=', existing.id).execute();
  } else {
    await db.insertInto('appraisal_ballot').values({ appraisal_id: b.appraisalId, voter_id: b.voterId, target, grade: b.grade, comment: b.comment, created_at: at, updated_at: at }).execute();
  }
}

/** Which targets each voter has a ballot for — without the grades (for /评议 进度). */
export async function votedTargets(db: Q, appraisalId: number): Promise<Map<number, Set<BallotTarget>>> {
  const rows = await db.selectFrom('appraisal_ballot').select(['voter_id', 'target']).where('appraisal_id', '=', appraisalId).execute();
  const out = new Map<number, Set<BallotTarget>>();
  for (const r of rows) out.set(r.voter_id, (out.get(r.voter_id) ?? new Set()).add(toTarget(r.target)));
  return out;
}

/** Every ballot, for the tally only (the domain reduces them to counts per target). */
export async function ballotsForTally(db: Q, appraisalId: number): Promise<Ballot[]> {
  const rows = await db.selectFrom('appraisal_ballot').select(['voter_id', 'target', 'grade', 'comment']).where('appraisal_id', '=', appraisalId).execute();
  return rows.map((r) => ({ voterId: r.voter_id, target: toTarget(r.target), grade: r.grade as Grade, comment: r.comment }));
}

/** One voter's own ballot (shown to that voter only). */
export async function ballotOf(db: Q, appraisalId: number, voterId: number): Promise<Array<{ target: BallotTarget; grade: Grade; comment: string | null }>> {
  const rows = await db.selectFrom('appraisal_ballot').select(['target', 'grade', 'comment'])
    .where('appraisal_id', '=', appraisalId).where('voter_id', '=', voterId).execute();
  return rows.map((r) => ({ target: toTarget(r.target), grade: r.grade as Grade, comment: r.comment }));
}

export type AppraisalTextKind = 'self' | 'commitment';

/** Saves a person's self-appraisal or commitment; true when it is the first one. */
export async function upsertText(db: Q, appraisalId: number, personId: number, kind: AppraisalTextKind, content: string, at: string): Promise<boolean> {
  const existing = await db.selectFrom('appraisal_text').select('id')
    .where('appraisal_id', '=', appraisalId).where('kind', '=', kind).where('person_id', '=', personId).executeTakeFirst();
  if (existing) {
    await db.updateTable('appraisal_text').set({ content, updated_at: at }).where('id', '=', existing.id).execute();
    return false;
  }
  await db.insertInto('appraisal_text').values({ appraisal_id: appraisalId, person_id: personId, kind, content, created_at: at, updated_at: at }).execute();
  return true;
}

/** Who has handed in a text of this kind (ids only). */
export async function textAuthors(db: Q, appraisalId: number, kind: AppraisalTextKind): Promise<Set<number>> {
  const rows = await db.selectFrom('appraisal_text').select('person_id').where('appraisal_id', '=', appraisalId).where('kind', '=', kind).execute();
  return new Set(rows.map((r) => r.person_id));
}

/** One person's own text (read back only to its author). */
export async function ownText(db: Q, appraisalId: number, personId: number, kind: AppraisalTextKind): Promise<string | undefined> {
  const row = await db.selectFrom('appraisal_text').select('content').where('appraisal_id', '=', appraisalId).where('person_id', '=', personId).where('kind', '=', kind).executeTakeFirst();
  return row?.content;
}

/** The texts themselves (commitments for the 公示). */
export async function textsOf(db: Q, appraisalId: number, kind: AppraisalTextKind): Promise<Map<number, string>> {
  const rows = await db.selectFrom('appraisal_text').select(['person_id', 'content']).where('appraisal_id', '=', appraisalId).where('kind', '=', kind).orderBy('id').execute();
  return new Map(rows.map((r) => [r.person_id, r.content]));
}

/** Records the branch's grade for a member; true when it is the first grade for them. */
export async function upsertGrade(db: Q, appraisalId: number, personId: number, grade: Grade, by: number, at: string): Promise<boolean> {
  const existing = await db.selectFrom('appraisal_grade').select('id').where('appraisal_id', '=', appraisalId).where('person_id', '=', personId).executeTakeFirst();
  if (existing) {
    await db.updateTable('appraisal_grade').set({ grade, graded_by: by, graded_at: at }).where('id', '=', existing.id).execute();
    return false;
  }
  await db.insertInto('appraisal_grade').values({ appraisal_id: appraisalId, person_id: personId, grade, graded_by: by, graded_at: at }).execute();
  return true;
}

export async function gradesOf(db: Q, appraisalId: number): Promise<Map<number, Grade>> {
  const rows = await db.selectFrom('appraisal_grade').select(['person_id', 'grade']).where('appraisal_id', '=', appraisalId).execute();
  return new Map(rows.map((r) => [r.person_id, r.grade as Grade]));
}

/** The unit's 党小组: person id → group name. */
export async function partyGroupsOf(db: Q, unitId: number): Promise<PartyGroups> {
  const rows = await db.selectFrom('party_group_member').select(['person_id', 'group_name']).where('unit_id', '=', unitId).orderBy('id').execute();
  return new Map(rows.map((r) => [r.person_id, r.group_name]));
}

/** Makes `personIds` the whole of group `name` (moving them out of other groups). */
export async function setPartyGroup(db: Q, unitId: number, name: string, personIds: readonly number[], at: string): Promise<void> {
  await db.deleteFrom('party_group_member').where('unit_id', '=', unitId).where('group_name', '=', name).execute();
  if (personIds.length === 0) return;
  await db.deleteFrom('party_group_member').where('unit_id', '=', unitId).where('person_id', 'in', [...personIds]).execute();
  for (const personId of new Set(personIds)) {
    await db.insertInto('party_group_member').values({ unit_id: unitId, person_id: personId, group_name: name, created_at: at }).execute();
  }
}

export async function clearPartyGroups(db: Q, unitId: number): Promise<number> {
  const r = await db.deleteFrom('party_group_member').where('unit_id', '=', unitId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
