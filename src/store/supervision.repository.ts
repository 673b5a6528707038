import { toLocalDate, type LocalDate } from '../domain/dates.js';
import { offsetsFor } from '../domain/rules.js';
import { summarizeUnit, type Campaign, type MeetingDate, type UnitSummary } from '../domain/summary.js';
import type { MeetingKind, MeetingStatus, StepId } from '../domain/types.js';
import { loadMeetingFacts } from './facts.js';
import type { Q } from './helpers.js';
import { currentMeeting } from './meeting.repository.js';
import { rosterOf } from './person.repository.js';
import { unitSubtree, type Unit } from './unit.repository.js';
import { slices } from './obligation.repository.js';
import type { ItemTimeline } from '../domain/trends.js';

/** True when the unit holds meetings itself: it has (had) a meeting or a principal. */
export async function holdsMeetings(db: Q, unitId: number): Promise<boolean> {
  const meeting = await db.selectFrom('meeting').select('id').where('unit_id', '=', unitId).executeTakeFirst();
  if (meeting) return true;
  const principal = await db.selectFrom('membership').select('id').where('unit_id', '=', unitId).where('role', '=', 'principal').executeTakeFirst();
  return principal !== undefined;
}

/**
 * The units a supervisor sees from a chat bound to `rootId`: every unit below it, and the unit
 * itself when it holds meetings of its own (a pure supervising body such as 区委组织部 does not
 * show up as a unit "without a meeting"). Breadth-first order.
 */
export async function supervisedUnits(db: Q, rootId: number): Promise<Unit[]> {
  const tree = await unitSubtree(db, rootId);
  const [root, ...below] = tree;
  if (!root) return [];
  return (await holdsMeetings(db, root.id)) ? tree : below;
}

/** Local date of the latest audit-log entry per unit. */
export async function lastActivity(db: Q, unitIds: readonly number[]): Promise<Map<number, LocalDate>> {
  if (unitIds.length === 0) return new Map();
  const rows = await db.selectFrom('audit_log').select(['unit_id', (eb) => eb.fn.max('at').as('last')])
    .where('unit_id', 'in', [...unitIds]).groupBy('unit_id').execute();
  const out = new Map<number, LocalDate>();
  for (const r of rows) if (r.unit_id !== null && r.last) out.set(r.unit_id, toLocalDate(new Date(String(r.last))));
  return out;
}

/** Outbox messages to each unit that could not be delivered (`status = 'failed'`). */
export async function failedDeliveries(db: Q, unitIds: readonly number[]): Promise<Map<number, number>> {
  if (unitIds.length === 0) return new Map();
  const rows = await db.selectFrom('outbox').select(['unit_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'failed').where('unit_id', 'in', [...unitIds]).groupBy('unit_id').execute();
  const out = new Map<number, number>();
  for (const r of rows) if (r.unit_id !== null) out.set(r.unit_id, Number(r.n));
  return out;
}

/** Every meeting of the units (kind, date, status), for the campaign window check. */
export async function meetingDates(db: Q, unitIds: readonly number[]): Promise<Map<number, MeetingDate[]>> {
  const out = new Map<number, MeetingDate[]>();
  if (unitIds.length === 0) return out;
  const rows = await db.selectFrom('meeting').select(['unit_id', 'kind', 'date', 'status']).where('unit_id', 'in', [...unitIds]).execute();
  for (const r of rows) out.set(r.unit_id, [...(out.get(r.unit_id) ?? []), { kind: r.kind as MeetingKind, date: r.date, status: r.status as MeetingStatus }]);
  return out;
}

export const campaignsOf = (unit: Unit): Campaign[] => Object.values(unit.settings.campaigns ?? {}).filter((c): c is Campaign => c !== undefined);

/** One summary per unit, in the order given (see `worstFirst` for the /汇总 order). */
export async function loadUnitSummaries(db: Q, units: readonly Unit[], today: LocalDate): Promise<UnitSummary[]> {
  const ids = units.map((u) => u.id);
  const [activity, failed, dates] = await Promise.all([lastActivity(db, ids), failedDeliveries(db, ids), meetingDates(db, ids)]);
  const out: UnitSummary[] = [];
  for (const unit of units) {
    const meeting = await currentMeeting(db, unit.id);
    const facts = meeting ? await loadMeetingFacts(db, meeting, await rosterOf(db, unit.id), offsetsFor(unit.settings, meeting.kind)) : undefined;
    const la = activity.get(unit.id);
    out.push(summarizeUnit({
      unit, today, campaigns: campaignsOf(unit), meetings: dates.get(unit.id) ?? [], failed: failed.get(unit.id) ?? 0,
      ...(facts ? { facts } : {}), ...(la ? { lastActivity: la } : {}),
    }));
  }
  return out;
}

/** Units with at least one 上级 and at least one bound chat (the recipients of the weekly digest). */
export async function supervisingUnits(db: Q): Promise<number[]> {
  const rows = await db.selectFrom('membership').select('unit_id').distinct().where('role', '=', 'supervisor')
    .where('unit_id', 'in', db.selectFrom('chat').select('unit_id').where('unit_id', 'is not', null))
    .orderBy('unit_id').execute();
  return rows.map((r) => r.unit_id);
}

export interface StepRecord {
  doneOn: LocalDate;
  note: string | null;
}

/** Recorded steps of a meeting with their dates and the recorder's note (for the report draft). */
export async function stepRecords(db: Q, meetingId: number): Promise<Map<StepId, StepRecord>> {
  const rows = await db.selectFrom('step_record').select(['step', 'done_on', 'note']).where('meeting_id', '=', meetingId).execute();
  return new Map(rows.map((r) => [r.step as StepId, { doneOn: r.done_on, note: r.note }]));
}

/** Archived materials of a meeting with the day each was ticked. */
export async function archiveRecords(db: Q, meetingId: number): Promise<Map<string, LocalDate>> {
  const rows = await db.selectFrom('archive_record').select(['material', 'done_on']).where('meeting_id', '=', meetingId).execute();
  return new Map(rows.map((r) => [r.material, r.done_on]));
}

/** Messages the outbox gave up on, per unit, across the store (read from the status index: failed rows are few). */
export async function failedDeliveriesAll(db: Q): Promise<Map<number, number>> {
  const rows = await db.selectFrom('outbox').select(['unit_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'failed').groupBy('unit_id').execute();
  const out = new Map<number, number>();
  for (const r of rows) if (r.unit_id !== null) out.set(r.unit_id, Number(r.n));
  return out;
}

/** Every item of the units with its dates and extensions (the dashboard's overdue-over-time chart). */
export async function itemTimelines(db: Q, unitIds: readonly number[]): Promise<Map<number, ItemTimeline[]>> {
  const out = new Map<number, ItemTimeline[]>();
  for (const ids of slices(unitIds)) {
    const items = await db.selectFrom('item').select(['id', 'unit_id', 'deadline', 'status', 'done_on', 'created_at']).where('unit_id', 'in', ids).orderBy('id').execute();
    const extensions = await db.selectFrom('item_event').innerJoin('item', 'item.id', 'item_event.item_id')
      .select(['item_event.item_id', 'item_event.at', 'item_event.from_deadline'])
      .where('item.unit_id', 'in', ids).where('item_event.action', '=', 'extended').orderBy('item_event.id').execute();
    const ext = new Map<number, Array<{ on: LocalDate; from: LocalDate }>>();
    for (const e of extensions) {
      if (!e.from_deadline) continue;
      const list = ext.get(e.item_id) ?? [];
      list.push({ on: toLocalDate(new Date(e.at)), from: e.from_deadline });
      ext.set(e.item_id, list);
    }
    for (const i of items) {
      const list = out.get(i.unit_id) ?? [];
      list.push({ createdOn: toLocalDate(new Date(i.created_at)), deadline: i.deadline, doneOn: i.status === 'done' ? (i.done_on ?? i.deadline) : null, extensions: ext.get(i.id) ?? [] });
      out.set(i.unit_id, list);
    }
  }
  return out;
}

/** Audit rows after `afterId`: the units that changed since (the dashboard's cache follows them). */
export async function auditedUnitsSince(db: Q, afterId: number): Promise<{ lastId: number; unitIds: number[] }> {
  const rows = await db.selectFrom('audit_log').select(['id', 'unit_id']).where('id', '>', afterId).orderBy('id').execute();
  const ids = new Set<number>();
  for (const r of rows) if (r.unit_id !== null) ids.add(r.unit_id);
  return { lastId: rows.length ? rows[rows.length - 1]!.id : afterId, unitIds: [...ids] };
}

/** The latest audit row's id (0 when there is none). */
export async function lastAuditId(db: Q): Promise<number> {
  const r = await db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(r?.id ?? 0);
}
