import type { Config } from '../config.js';
import type { LocalDate } from '../domain/dates.js';
import { UserError } from '../domain/errors.js';
import type { Member, Role } from '../domain/types.js';
import type { Logger } from '../log.js';
import type { WorkCalendar } from '../scheduler/calendar.js';
import type { Card, IncomingMessage } from '../messages.js';
import { audit } from '../store/audit.repository.js';
import type { Q } from '../store/helpers.js';
import { lockUnitForWrite } from '../store/locks.js';
import { createPerson, linkIdentity } from '../store/person.repository.js';
import type { Unit } from '../store/unit.repository.js';
import { textOf, type TextKey, type TextParams } from '../text/index.js';
import type { PersonRef } from './types.js';
import type { DashboardLinks } from '../web/links.js';

export interface Actor {
  id: number;
  name: string;
  /** Roles in the chat's unit, plus 'supervisor' inherited from an ancestor unit. */
  roles: Role[];
}

/** Everything a handler may use. `db` is the command's transaction. */
export interface Ctx {
  db: Q;
  config: Readonly<Config>;
  log: Logger;
  /** Chinese working days (holidays, 调休). */
  calendar: WorkCalendar;
  today: LocalDate;
  /** ISO instant of this command. */
  now: string;
  msg: IncomingMessage;
  /** 'console' | 'wecom' | 'dingtalk' — the identity namespace of user ids. */
  platform: string;
  chatRef: string;
  actor: Actor | undefined;
  unit: Unit | undefined;
  /** Memoised roster of the unit. */
  roster(): Promise<Member[]>;
  /** Set when the sender claimed a name with /我是 that no operator has confirmed yet. */
  pendingName?: string;
  /** In a private chat, the units the sender belongs to when there are several. */
  privateUnits?: string[];
  /** Where /看板 links point (absent or without a base: the dashboard is off). */
  dashboard?: DashboardLinks;
  /** What this command changed, as its audit rows name it (`leave.approve leave:12`, `talk.log meeting:3`): cards it settles are refreshed. */
  touched?: Set<string>;
  /** The command may write (it is not one of the read-only commands): see {@link actIn}. */
  writes?: boolean;
}

/**
 * The unit a command acts for, once a handler has found it (in a private chat: the unit of the
 * request answered, the branch named). A command that writes first takes that unit's write lock,
 * as dispatch does for a group's unit, so that what the handler reads next (is the leave still
 * pending?) is not changed under it by another bot instance (see lockUnitForWrite).
 */
export async function actIn(ctx: Ctx, unit: Unit): Promise<void> {
  if (ctx.writes && ctx.unit?.id !== unit.id) await lockUnitForWrite(ctx.db, unit.id);
  ctx.unit = unit;
}

/** Writes one audit-log row for a state change made by this command. */
export async function record(ctx: Ctx, action: string, entity: string, entityId: number | null, detail?: Record<string, unknown>): Promise<void> {
  if (entityId !== null) (ctx.touched ??= new Set()).add(`${action} ${entity}:${entityId}`);
  await audit(ctx.db, ctx.now, { actorId: ctx.actor?.id ?? null, unitId: ctx.unit?.id ?? null, chat: ctx.chatRef, action, entity, entityId, ...(detail ? { detail } : {}) });
}

export type Recipient = { to: 'here' } | { to: 'person'; personId: number; name: string } | { to: 'unit'; unitId: number };

/** What a handler returns: messages for this chat, for people privately, or for a unit's group chats; adapters deliver them. */
export type Out = Recipient & { text: string; mentions?: Array<{ personId: number; name: string }>; card?: Card };

export function here<K extends TextKey>(key: K, params: TextParams<K>, mentions?: Array<{ id: number; name: string }>): Out {
  const out: Out = { to: 'here', text: textOf(key, params) };
  if (mentions?.length) out.mentions = mentions.map((m) => ({ personId: m.id, name: m.name }));
  return out;
}

/**
 * News the unit's group should have (a meeting moved, a leave decided, an item done): the reply here,
 * and — when the command was sent in a private chat — the same text in the unit's group chats.
 */
export function announce<K extends TextKey>(ctx: Ctx, key: K, params: TextParams<K>): Out[] {
  const out = here(key, params);
  if (ctx.msg.chatType !== 'private' || !ctx.unit) return [out];
  return [out, { to: 'unit', unitId: ctx.unit.id, text: out.text }];
}

export function privately<K extends TextKey>(person: { id: number; name: string }, key: K, params: TextParams<K>): Out {
  return { to: 'person', personId: person.id, name: person.name, text: textOf(key, params) };
}

export function requireUnit(ctx: Ctx): Unit {
  if (!ctx.unit) throw new UserError(ctx.msg.chatType === 'private' ? 'unit.privateNoUnit' : 'unit.notBound', {});
  return ctx.unit;
}

export function requireActor(ctx: Ctx): Actor {
  if (!ctx.actor) throw new UserError('identity.unknown', { private: ctx.msg.chatType === 'private' });
  return ctx.actor;
}

/**
 * Finds a person of the unit's roster by @name (or by the platform mention's user id).
 * An unknown or ambiguous name is a question back to the user, never a guess.
 */
export async function resolveMember(ctx: Ctx, ref: PersonRef): Promise<Member> {
  const roster = await ctx.roster();
  if (ref.userId) {
    const row = await ctx.db.selectFrom('identity').select('person_id').where('platform', '=', ctx.platform).where('user_id', '=', ref.userId).where('confirmed', '=', 1).executeTakeFirst();
    const m = row && roster.find((r) => r.id === row.person_id);
    if (m) return m;
  }
  const matches = roster.filter((m) => m.name === ref.name);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new UserError('member.ambiguous', { name: ref.name, count: matches.length });
  throw new UserError('member.notFound', { name: ref.name });
}

/** For /成员 添加: the roster person with that name, or an existing identity, or a new person. */
export async function findOrCreatePerson(ctx: Ctx, ref: PersonRef): Promise<{ id: number; name: string }> {
  const roster = await ctx.roster();
  const inRoster = roster.filter((m) => m.name === ref.name);
  if (inRoster.length > 1) throw new UserError('member.ambiguous', { name: ref.name, count: inRoster.length });
  if (inRoster[0]) return { id: inRoster[0].id, name: inRoster[0].name };
  const userId = ref.userId ?? (ctx.platform === 'console' ? ref.name : undefined);
  if (userId) {
    const row = await ctx.db.selectFrom('identity').innerJoin('person', 'person.id', 'identity.person_id').select(['person.id', 'person.name'])
      .where('identity.platform', '=', ctx.platform).where('identity.user_id', '=', userId).executeTakeFirst();
    if (row) return row;
  }
  const id = await createPerson(ctx.db, ref.name, ctx.now);
  if (userId) await linkIdentity(ctx.db, id, ctx.platform, userId, true, ctx.now);
  return { id, name: ref.name };
}

