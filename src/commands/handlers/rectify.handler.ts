import { daysBetween, toLocalDate } from '../../domain/dates.js';
import { UserError } from '../../domain/errors.js';
import { assertMayComplete, assertMayExtend, daysOverdue, itemState, newItemDeadline } from '../../domain/rectification.js';
import { completedBy, addItemEvent, createItem, findItem, itemHistory, itemsOfUnit, markItemDone, nextItemNo, updateItem, type Item } from '../../store/item.repository.js';
import { textOf } from '../../text/index.js';
import { announce, here, record, requireActor, requireUnit, resolveMember, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';
import { requireMeeting } from './meeting.handler.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

/** How many items a list shows before asking to narrow it down (chat messages stay short). */
export const LIST_LIMIT = 30;

async function requireItem(ctx: Ctx, no: number): Promise<Item> {
  const unit = requireUnit(ctx);
  const item = await findItem(ctx.db, unit.id, no);
  if (!item) throw new UserError('rectify.noSuchItem', { no });
  return item;
}

/** Owners, operators and the principal may complete or extend an item. */
function assertOwnerOrManager(ctx: Ctx, item: Item): void {
  const actor = requireActor(ctx);
  const manager = actor.roles.some((r) => r === 'operator' || r === 'principal');
  if (!manager && !item.owners.some((o) => o.id === actor.id)) throw new UserError('rectify.notOwner', { no: item.no });
}

export async function addItem(cmd: C<'rectify.add'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const unit = requireUnit(ctx);
  const meeting = await requireMeeting(ctx);
  const owners = [];
  for (const ref of cmd.owners) owners.push(await resolveMember(ctx, ref));
  const deadline = newItemDeadline(meeting, cmd.itemKind, cmd.deadline, ctx.today);
  const no = await nextItemNo(ctx.db, unit.id);
  const id = await createItem(ctx.db, {
    unitId: unit.id, meetingId: meeting.id, no, content: cmd.content, kind: cmd.itemKind, deadline, leadUnit: cmd.leadUnit ?? null,
    ownerIds: owners.map((o) => o.id), by: actor.id,
  }, ctx.now);
  await record(ctx, 'item.create', 'item', id, { no, deadline });
  return [here('rectify.added', { no, owners: owners.map((o) => o.name), content: cmd.content, deadline, kind: cmd.itemKind, leadUnit: cmd.leadUnit }, owners)];
}

export async function completeItem(cmd: C<'rectify.complete'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const item = await requireItem(ctx, cmd.no);
  assertOwnerOrManager(ctx, item);
  assertMayComplete({ no: item.no, status: item.status, deadline: item.deadline, kind: item.kind, ownerIds: item.owners.map((o) => o.id) }, cmd.note);
  await markItemDone(ctx.db, item.id, cmd.note, ctx.today, ctx.now);
  await addItemEvent(ctx.db, { itemId: item.id, at: ctx.now, actorId: actor.id, action: 'completed', note: cmd.note });
  await record(ctx, 'item.complete', 'item', item.id, { no: item.no });
  return announce(ctx, 'rectify.completed', { no: item.no, by: actor.name, late: Math.max(0, daysBetween(item.deadline, ctx.today)) });
}

export async function extendItem(cmd: C<'rectify.extend'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const item = await requireItem(ctx, cmd.no);
  assertOwnerOrManager(ctx, item);
  assertMayExtend({ no: item.no, status: item.status, deadline: item.deadline, kind: item.kind, ownerIds: [] }, cmd.date, cmd.reason, ctx.today);
  await updateItem(ctx.db, item.id, { status: 'extended', deadline: cmd.date }, ctx.now);
  await addItemEvent(ctx.db, { itemId: item.id, at: ctx.now, actorId: actor.id, action: 'extended', fromDeadline: item.deadline, toDeadline: cmd.date, note: cmd.reason });
  await record(ctx, 'item.extend', 'item', item.id, { no: item.no, from: item.deadline, to: cmd.date });
  return announce(ctx, 'rectify.extended', { no: item.no, from: item.deadline, to: cmd.date });
}

export async function verifyItem(cmd: C<'rectify.verify'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const item = await requireItem(ctx, cmd.no);
  if (item.status !== 'done') throw new UserError('rectify.notDone', { no: item.no });
  if (item.verifiedOn) throw new UserError('rectify.alreadyVerified', { no: item.no });
  // A check is someone else's: whoever recorded the completion does not verify it too.
  if ((await completedBy(ctx.db, item.id)) === actor.id) throw new UserError('rectify.verifyOwn', { no: item.no });
  await updateItem(ctx.db, item.id, { verified_on: ctx.today, verified_by: actor.id }, ctx.now);
  await addItemEvent(ctx.db, { itemId: item.id, at: ctx.now, actorId: actor.id, action: 'verified', note: null });
  await record(ctx, 'item.verify', 'item', item.id, { no: item.no });
  return [here('rectify.verified', { no: item.no, by: actor.name })];
}

function listReply(ctx: Ctx, title: string, items: Item[]): Out {
  const rows = items.slice(0, LIST_LIMIT).map((i) => ({
    no: i.no, content: i.content, owners: i.owners.map((o) => o.name), deadline: i.deadline,
    state: itemState(i, ctx.today), days: daysOverdue(i, ctx.today),
  }));
  return here('rectify.list', { title, rows, today: ctx.today, more: Math.max(0, items.length - LIST_LIMIT) });
}

export async function listItems(cmd: C<'rectify.list'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  if (cmd.mine) {
    const actor = requireActor(ctx);
    return [listReply(ctx, textOf('rectify.titleMine', {}), await itemsOfUnit(ctx.db, unit.id, { ownerId: actor.id }))];
  }
  // Open items first, then the done ones (most recent meeting's list is what people ask for).
  const items = await itemsOfUnit(ctx.db, unit.id);
  const ordered = [...items.filter((i) => i.status !== 'done'), ...items.filter((i) => i.status === 'done')];
  return [listReply(ctx, textOf('rectify.titleAll', {}), ordered)];
}

export async function overdueItems(_cmd: C<'rectify.overdue'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  return [listReply(ctx, textOf('rectify.titleOverdue', {}), await itemsOfUnit(ctx.db, unit.id, { overdueBefore: ctx.today }))];
}

export async function showItem(cmd: C<'rectify.show'>, ctx: Ctx): Promise<Out[]> {
  const item = await requireItem(ctx, cmd.no);
  const history = (await itemHistory(ctx.db, item.id)).map((e) =>
    textOf('rectify.event', { at: toLocalDate(new Date(e.at)), actor: e.actor ?? '', action: e.action, from: e.fromDeadline, to: e.toDeadline, note: e.note }),
  );
  return [here('rectify.show', {
    no: item.no, content: item.content, owners: item.owners.map((o) => o.name), deadline: item.deadline, state: itemState(item, ctx.today),
    kind: item.kind, leadUnit: item.leadUnit, history, today: ctx.today,
  })];
}
