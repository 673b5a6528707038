import type { ItemKind, ItemStatus } from '../domain/types.js';
import { insertId, type Q } from './helpers.js';
import { prepared } from './prepared.js';

export interface Item {
  id: number;
  unitId: number;
  meetingId: number;
  no: number;
  content: string;
  kind: ItemKind;
  deadline: string;
  status: ItemStatus;
  leadUnit: string | null;
  doneNote: string | null;
  doneOn: string | null;
  verifiedOn: string | null;
  owners: Array<{ id: number; name: string }>;
}

const COLS = ['id', 'unit_id', 'meeting_id', 'item_no', 'content', 'kind', 'deadline', 'status', 'lead_unit', 'done_note', 'done_on', 'verified_on'] as const;

async function withOwners(db: Q, rows: Array<{ id: number; unit_id: number; meeting_id: number; item_no: number; content: string; kind: string; deadline: string; status: string; lead_unit: string | null; done_note: string | null; done_on: string | null; verified_on: string | null }>): Promise<Item[]> {
  if (rows.length === 0) return [];
  const owners = rows.length === 1 ? (await ownersOfItem(db, rows[0]!.id)).rows : await db.selectFrom('item_owner').innerJoin('person', 'person.id', 'item_owner.person_id')
    .select(['item_owner.item_id', 'person.id', 'person.name']).where('item_owner.item_id', 'in', rows.map((r) => r.id)).execute();
  const byItem = new Map<number, Array<{ id: number; name: string }>>();
  for (const o of owners) byItem.set(o.item_id, [...(byItem.get(o.item_id) ?? []), { id: o.id, name: o.name }]);
  return rows.map((r) => ({
    id: r.id, unitId: r.unit_id, meetingId: r.meeting_id, no: r.item_no, content: r.content, kind: r.kind as ItemKind, deadline: r.deadline,
    status: r.status as ItemStatus, leadUnit: r.lead_unit, doneNote: r.done_note, doneOn: r.done_on, verifiedOn: r.verified_on, owners: byItem.get(r.id) ?? [],
  }));
}

const ownersOfItem = prepared((db, itemId: number) => db.selectFrom('item_owner').innerJoin('person', 'person.id', 'item_owner.person_id')
  .select(['item_owner.item_id', 'person.id', 'person.name']).where('item_owner.item_id', '=', itemId));
const itemByNo = prepared((db, unitId: number, no: number) => db.selectFrom('item').select(COLS).where('unit_id', '=', unitId).where('item_no', '=', no));

export async function findItem(db: Q, unitId: number, no: number): Promise<Item | undefined> {
  const { rows } = await itemByNo(db, unitId, no);
  return (await withOwners(db, rows))[0];
}

/** Items of a unit; `open` = not done. Ordered by number. */
export async function itemsOfUnit(db: Q, unitId: number, filter: { open?: boolean; overdueBefore?: string; ownerId?: number } = {}): Promise<Item[]> {
  let q = db.selectFrom('item').select(COLS).where('unit_id', '=', unitId);
  if (filter.open) q = q.where('status', '!=', 'done');
  if (filter.overdueBefore) q = q.where('status', '!=', 'done').where('deadline', '<', filter.overdueBefore);
  if (filter.ownerId !== undefined) q = q.where('id', 'in', db.selectFrom('item_owner').select('item_id').where('person_id', '=', filter.ownerId));
  return withOwners(db, await q.orderBy('item_no').execute());
}

export async function nextItemNo(db: Q, unitId: number): Promise<number> {
  const r = await db.selectFrom('item').select((eb) => eb.fn.max('item_no').as('max')).where('unit_id', '=', unitId).executeTakeFirst();
  return Number(r?.max ?? 0) + 1;
}

export async function createItem(db: Q, it: { unitId: number; meetingId: number; no: number; content: string; kind: ItemKind; deadline: string; leadUnit: string | null; ownerIds: number[]; by: number }, at: string): Promise<number> {
  const id = await insertId(db, db.insertInto('item').values({
    unit_id: it.unitId, meeting_id: it.meetingId, item_no: it.no, content: it.content, kind: it.kind, deadline: it.deadline, status: 'open',
    lead_unit: it.leadUnit, done_note: null, done_on: null, verified_on: null, verified_by: null, created_by: it.by, created_at: at, updated_at: at,
  }));
  for (const personId of new Set(it.ownerIds)) await db.insertInto('item_owner').values({ item_id: id, person_id: personId }).execute();
  await addItemEvent(db, { itemId: id, at, actorId: it.by, action: 'created', toDeadline: it.deadline, note: null });
  return id;
}

export async function updateItem(db: Q, id: number, patch: { status?: ItemStatus; deadline?: string; done_note?: string | null; done_on?: string | null; verified_on?: string | null; verified_by?: number | null }, at: string): Promise<void> {
  await db.updateTable('item').set({ ...patch, updated_at: at }).where('id', '=', id).execute();
}

const completeItemRow = prepared((db, id: number, note: string, doneOn: string, at: string) =>
  db.updateTable('item').set({ status: 'done', done_note: note, done_on: doneOn, updated_at: at }).where('id', '=', id));

/** {@link updateItem} for `/整改 完成` (status done, its note and day), built by Kysely once. */
export async function markItemDone(db: Q, id: number, note: string, doneOn: string, at: string): Promise<void> {
  await completeItemRow(db, id, note, doneOn, at);
}

const insertItemEvent = prepared((db, itemId: number, at: string, actorId: number | null, action: string, fromDeadline: string | null, toDeadline: string | null, note: string | null) =>
  db.insertInto('item_event').values({ item_id: itemId, at, actor_id: actorId, action, from_deadline: fromDeadline, to_deadline: toDeadline, note }));

/** Who last recorded the item as completed (null: nobody, or a person since removed). */
export async function completedBy(db: Q, itemId: number): Promise<number | null> {
  const row = await db.selectFrom('item_event').select('actor_id').where('item_id', '=', itemId).where('action', '=', 'completed').orderBy('id', 'desc').executeTakeFirst();
  return row?.actor_id ?? null;
}

export async function addItemEvent(db: Q, e: { itemId: number; at: string; actorId: number | null; action: string; fromDeadline?: string | null; toDeadline?: string | null; note: string | null }): Promise<void> {
  await insertItemEvent(db, e.itemId, e.at, e.actorId, e.action, e.fromDeadline ?? null, e.toDeadline ?? null, e.note);
}

export interface ItemEvent {
  at: string;
  actor: string | null;
  action: string;
  fromDeadline: string | null;
  toDeadline: string | null;
  note: string | null;
}

export async function itemHistory(db: Q, itemId: number): Promise<ItemEvent[]> {
  const rows = await db.selectFrom('item_event').leftJoin('person', 'person.id', 'item_event.actor_id')
    .select(['item_event.at', 'person.name', 'item_event.action', 'item_event.from_deadline', 'item_event.to_deadline', 'item_event.note'])
    .where('item_event.item_id', '=', itemId).orderBy('item_event.id').execute();
  return rows.map((r) => ({ at: r.at, actor: r.name ?? null, action: r.action, fromDeadline: r.from_deadline, toDeadline: r.to_deadline, note: r.note }));
}
