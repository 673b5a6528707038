import type { DeadlineSettings } from '../domain/rules.js';
import type { Campaign } from '../domain/summary.js';
import type { MeetingKind } from '../domain/types.js';
import { insertId, type Q } from './helpers.js';
import { prepared } from './prepared.js';

/**
 * A unit's settings (JSON in `unit.settings`). Deadlines and the default theme are read through
 * `offsetsFor` / `themeFor` (src/domain/rules.ts), which take the meeting kind.
 */
/** A unit's settings: the deadline ones (offsets, own offsets, old-data theme: see {@link DeadlineSettings}) and the rest. */
export interface UnitSettings extends DeadlineSettings {
  remindHour?: number;
  /** Working days before a deadline for the advance reminder. */
  daysBefore?: number;
  escalatePrincipalDays?: number;
  escalateSupervisorDays?: number;
  /** Campaigns (年度部署) from a supervising unit, by meeting kind: theme, window and offsets. */
  campaigns?: Partial<Record<MeetingKind, Campaign>>;
}

export interface Unit {
  id: number;
  name: string;
  parentId: number | null;
  settings: UnitSettings;
}

/** A unit's settings JSON; unreadable settings count as none (defaults apply). */
export function parseSettings(text: string): UnitSettings {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as UnitSettings) : {};
  } catch {
    return {};
  }
}

const toUnit = (r: { id: number; name: string; parent_id: number | null; settings: string }): Unit => ({
  id: r.id,
  name: r.name,
  parentId: r.parent_id,
  settings: parseSettings(r.settings),
});

export async function findUnitByName(db: Q, name: string): Promise<Unit | undefined> {
  const r = await db.selectFrom('unit').select(['id', 'name', 'parent_id', 'settings']).where('name', '=', name).executeTakeFirst();
  return r && toUnit(r);
}

export async function getUnit(db: Q, id: number): Promise<Unit | undefined> {
  const r = await db.selectFrom('unit').select(['id', 'name', 'parent_id', 'settings']).where('id', '=', id).executeTakeFirst();
  return r && toUnit(r);
}

export async function createUnit(db: Q, name: string, parentId: number | null, at: string): Promise<Unit> {
  const id = await insertId(db, db.insertInto('unit').values({ name, parent_id: parentId, settings: '{}', created_at: at }));
  return { id, name, parentId, settings: {} };
}

export async function setUnitParent(db: Q, id: number, parentId: number | null): Promise<void> {
  await db.updateTable('unit').set({ parent_id: parentId }).where('id', '=', id).execute();
}

export async function saveUnitSettings(db: Q, id: number, settings: UnitSettings): Promise<void> {
  await db.updateTable('unit').set({ settings: JSON.stringify(settings) }).where('id', '=', id).execute();
}

/** The unit and every unit below it (breadth-first over parent links; portable, no recursive CTE). */
export async function unitSubtree(db: Q, rootId: number): Promise<Unit[]> {
  const all = (await db.selectFrom('unit').select(['id', 'name', 'parent_id', 'settings']).execute()).map(toUnit);
  const children = new Map<number, Unit[]>();
  for (const u of all) if (u.parentId !== null) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u]);
  const root = all.find((u) => u.id === rootId);
  if (!root) return [];
  const out: Unit[] = [];
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length) {
    const u = queue.shift()!;
    if (seen.has(u.id)) continue;
    seen.add(u.id);
    out.push(u);
    queue.push(...(children.get(u.id) ?? []));
  }
  return out;
}


export interface ChatBinding {
  id: number;
  unitId: number | null;
  title: string | null;
}

export async function findChat(db: Q, channel: string, chatId: string): Promise<ChatBinding | undefined> {
  const r = await db.selectFrom('chat').select(['id', 'unit_id', 'title']).where('channel', '=', channel).where('chat_id', '=', chatId).executeTakeFirst();
  return r && { id: r.id, unitId: r.unit_id, title: r.title };
}

/** The unit a chat is bound to, in one query (the first look-up of every command). */
const unitOfChatRow = prepared((db, channel: string, chatId: string) => db.selectFrom('chat').innerJoin('unit', 'unit.id', 'chat.unit_id')
  .select(['unit.id', 'unit.name', 'unit.parent_id', 'unit.settings'])
  .where('chat.channel', '=', channel).where('chat.chat_id', '=', chatId));

export async function unitOfChat(db: Q, channel: string, chatId: string): Promise<Unit | undefined> {
  const r = (await unitOfChatRow(db, channel, chatId)).rows[0];
  return r && toUnit(r);
}

export async function bindChat(db: Q, channel: string, chatId: string, unitId: number, title: string | null, at: string): Promise<void> {
  const existing = await findChat(db, channel, chatId);
  if (existing) {
    await db.updateTable('chat').set({ unit_id: unitId, title: title ?? existing.title }).where('id', '=', existing.id).execute();
  } else {
    await db.insertInto('chat').values({ channel, chat_id: chatId, unit_id: unitId, title, created_at: at }).execute();
  }
}

export interface UnitChat {
  channel: string;
  chatId: string;
  title: string | null;
}

export async function chatsOfUnit(db: Q, unitId: number): Promise<UnitChat[]> {
  const rows = await db.selectFrom('chat').select(['channel', 'chat_id', 'title']).where('unit_id', '=', unitId).orderBy('id').execute();
  return rows.map((r) => ({ channel: r.channel, chatId: r.chat_id, title: r.title }));
}
