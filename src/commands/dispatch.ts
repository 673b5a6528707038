import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { localDateOfNow } from '../domain/dates.js';
import { UserError } from '../domain/errors.js';
import type { Member, Role } from '../domain/types.js';
import type { Logger } from '../log.js';
import type { CommandOutcome, Observer } from '../observer.js';
import type { WorkCalendar } from '../scheduler/calendar.js';
import { noteStoreChanged } from '../scheduler/run-once.js';
import { dropPlannedReminders, refreshObligations } from '../store/obligation.repository.js';
import { chatTargetOf, platformOf, type ChatTarget, type Delivery, type IncomingMessage, type MentionRef, type OutgoingMessage } from '../messages.js';
import { markProcessed } from '../store/audit.repository.js';
import { lockUnitForWrite } from '../store/locks.js';
import type { Db } from '../store/db.js';
import type { Q } from '../store/helpers.js';
import { findIdentity, findIdentityIn, isSupervisorOf, linkIdentity, rolesIn, rosterOf, unitsOfPerson, userIdsOf } from '../store/person.repository.js';
import { chatsOfUnit, getUnit, unitOfChat, type Unit } from '../store/unit.repository.js';
import { textOf, type TextKey, type TextParams } from '../text/index.js';
import type { Actor, Ctx, Out } from './context.js';
import { runHandler } from './handlers/index.js';
import { parseCommand } from './parse.js';
import { READ_ONLY, ReadCache } from './read-cache.js';
import { allows, requiredRoles } from './permissions.js';
import type { Command, PersonRef } from './types.js';
import type { DashboardLinks } from '../web/links.js';

export interface CoreDeps {
  db: Db;
  /** Look-ups kept between read-only commands (optional: without it every command reads the store). */
  cache?: ReadCache;
  calendar: WorkCalendar;
  config: Readonly<Config>;
  clock: Clock;
  log: Logger;
  /** Where /看板 links point (absent: the dashboard is off). */
  dashboard?: DashboardLinks;
  /** Told how each command ended (metrics); optional. */
  observer?: Observer;
}

/**
 * The one error boundary between adapters and handlers: parse → identify → permission → handler
 * (one transaction) → deliveries. Never throws; every failure becomes a Chinese reply.
 */
export async function dispatch(msg: IncomingMessage, deps: CoreDeps): Promise<Delivery[]> {
  return (await dispatchWith(msg, deps)).deliveries;
}

/** Thrown inside a dry run's transaction so that nothing it wrote is kept. */
class DryRun extends Error {
  constructor(readonly deliveries: Delivery[]) {
    super('dry run');
  }
}

/**
 * {@link dispatch}, also telling whether the command was refused (`refused`: a parse error or a
 * user error, whose reply says why). `dryRun`: the command runs in full and its transaction is
 * rolled back — a button that asks for one more line first learns whether the command would be
 * allowed, with the very refusal a typed command gets.
 */
export async function dispatchWith(msg: IncomingMessage, deps: CoreDeps, opts: { dryRun?: boolean } = {}): Promise<{ deliveries: Delivery[]; refused: boolean; touched?: string[] }> {
  const nowDate = deps.clock.now();
  const today = localDateOfNow(nowDate);
  const now = nowDate.toISOString();
  const addressed = msg.chatType === 'private' || msg.mentionedBot === true || msg.channel === 'console';
  const parsed = parseCommand(msg.text ?? '', today, { addressed });
  if (parsed.kind === 'none') return { deliveries: [], refused: true };
  const platform = platformOf(msg.channel);
  const replyHere = (key: TextKey, params: unknown): Delivery[] => [
    { target: hereTarget(msg, undefined), message: { text: textOf(key, params as TextParams<typeof key>), mentions: [] } },
  ];
  // A dry run (a button asking whether its command would be allowed) is not a command handled: not counted.
  const observed = (command: string, outcome: CommandOutcome) => {
    if (!opts.dryRun) deps.observer?.commandHandled(command, outcome);
  };
  if (parsed.kind === 'invalid') {
    const fresh = opts.dryRun || !msg.msgId || (await markOnce(deps, msg, now));
    observed('unparsed', fresh ? 'invalid' : 'duplicate');
    if (!fresh) return { deliveries: [], refused: true };
    return { deliveries: replyHere(parsed.key, parsed.params), refused: true };
  }
  const cmd: Command = attachMentionIds(parsed, msg);
  // Any command that may write empties the cache, whatever its outcome (a handler may have mutated a cached value).
  const cache = READ_ONLY.has(cmd.kind) ? deps.cache : undefined;
  if (!cache) deps.cache?.clear();
  let duplicate = false;
  let touched: Set<string> | undefined;
  try {
    const deliveries = await deps.db.transaction().execute(async (trx) => {
      if (msg.msgId && !(await markProcessed(trx, msg.channel, msg.msgId, now))) {
        duplicate = true;
        return [];
      }
      const ctx = await buildContext(trx, msg, { ...deps, cache }, platform, today, now);
      // Two instances writing for one unit at once take turns (see lockUnitForWrite; nothing on SQLite);
      // a unit a handler finds later is locked by actIn.
      ctx.writes = !READ_ONLY.has(cmd.kind);
      if (ctx.writes && ctx.unit) await lockUnitForWrite(trx, ctx.unit.id);
      ctx.touched = touched = new Set();
      await checkPermission(ctx, cmd);
      const outs = await runHandler(cmd, ctx);
      await afterCommand(ctx, cmd);
      const out = await toDeliveries(ctx, outs);
      if (opts.dryRun) throw new DryRun(out);
      return out;
    });
    // Counted once committed: a scheduler tick that read the count before the commit would plan from the old state.
    if (!READ_ONLY.has(cmd.kind)) noteStoreChanged(deps.db);
    observed(cmd.kind, duplicate ? 'duplicate' : 'ok');
    return { deliveries, refused: false, ...(touched?.size ? { touched: [...touched] } : {}) };
  } catch (err) {
    if (err instanceof DryRun) return { deliveries: err.deliveries, refused: false };
    if (err instanceof UserError) {
      const fresh = opts.dryRun || !msg.msgId || (await markOnce(deps, msg, now));
      observed(cmd.kind, fresh ? 'refused' : 'duplicate');
      if (!fresh) return { deliveries: [], refused: true };
      return { deliveries: replyHere(err.key, err.params), refused: true };
    }
    deps.log.error({ err: errorSummary(err), command: cmd.kind, channel: msg.channel, chat: msg.chatId }, 'command failed');
    observed(cmd.kind, 'failed');
    return { deliveries: replyHere('system.busy', {}), refused: true };
  }
}

/**
 * Where the platform lists the colleagues mentioned (DingTalk's atUsers with staffIds), the n-th
 * `@姓名` of the command is the n-th listed user: the ids make the roster match exact.
 */
function attachMentionIds(cmd: Command, msg: IncomingMessage): Command {
  const ids = (msg.mentions ?? []).map((m) => m.userId).filter((id): id is string => Boolean(id));
  if (ids.length === 0) return cmd;
  const refs: PersonRef[] = [];
  const c = cmd as Partial<Record<'who' | 'with' | 'owners', PersonRef | PersonRef[]>>;
  for (const field of ['who', 'with', 'owners'] as const) {
    const v = c[field];
    if (Array.isArray(v)) refs.push(...v);
    else if (v) refs.push(v);
  }
  if (refs.length !== ids.length) return cmd;
  refs.forEach((ref, i) => (ref.userId = ids[i]));
  return cmd;
}

async function markOnce(deps: CoreDeps, msg: IncomingMessage, now: string): Promise<boolean> {
  try {
    return await markProcessed(deps.db, msg.channel, msg.msgId!, now);
  } catch (err) {
    deps.log.warn({ err: errorSummary(err) }, 'could not record message id');
    return true;
  }
}

function errorSummary(err: unknown): { message: string; stack?: string | undefined } {
  if (err instanceof Error) return { message: err.message, stack: err.stack };
  return { message: String(err) };
}

async function buildContext(db: Q, msg: IncomingMessage, deps: CoreDeps, platform: string, today: string, now: string): Promise<Ctx> {
  let unit: Unit | undefined;
  let privateUnits: number[] = [];
  if (msg.chatType === 'group') {
    unit = await cached(deps.cache, `unit:${msg.channel}:${msg.chatId}`, () => unitOfChat(db, msg.channel, msg.chatId));
  }
  let actor: Actor | undefined;
  let pendingName: string | undefined;
  // In a group bound to a unit, the sender's identity and roles there come in one query.
  const groupUnit = unit;
  const who = groupUnit
    ? await cached(deps.cache, `who:${platform}:${msg.senderId}:${groupUnit.id}`, () => findIdentityIn(db, platform, msg.senderId, groupUnit.id))
    : undefined;
  const identity = who ? who.identity : await cached(deps.cache, `identity:${platform}:${msg.senderId}`, () => findIdentity(db, platform, msg.senderId));
  let personId: number | undefined;
  let personName: string | undefined;
  if (identity?.confirmed) {
    personId = identity.personId;
    personName = identity.name;
  } else if (identity) {
    pendingName = identity.name;
  } else if (platform === 'console' && unit) {
    // The terminal chat is local and trusted: a speaker whose name is on the roster is that person.
    const roster = await rosterOf(db, unit.id);
    const match = roster.filter((m) => m.name === msg.senderId);
    if (match.length === 1) {
      personId = match[0]!.id;
      personName = match[0]!.name;
      await linkIdentity(db, personId, platform, msg.senderId, true, now);
    }
  }
  if (personId !== undefined && msg.chatType === 'private') {
    privateUnits = await unitsOfPerson(db, personId);
    if (privateUnits.length === 1) unit = await getUnit(db, privateUnits[0]!);
  }
  if (personId !== undefined) {
    const u = unit;
    const known = who && identity?.confirmed && u === groupUnit ? who.roles : undefined;
    const roles = known ? [...known] : u ? [...(await cached(deps.cache, `roles:${u.id}:${personId}`, () => rolesIn(db, u.id, personId)))] : [];
    actor = { id: personId, name: personName!, roles };
  }
  let rosterCache: Member[] | undefined;
  const ctx: Ctx = {
    db, config: deps.config, log: deps.log, calendar: deps.calendar, today, now, msg, platform,
    chatRef: `${msg.channel}:${msg.chatId}`,
    actor, unit,
    roster: async () => (rosterCache ??= unit ? await cached(deps.cache, `roster:${unit.id}`, () => rosterOf(db, unit!.id)) : []),
  };
  if (pendingName) ctx.pendingName = pendingName;
  if (deps.dashboard) ctx.dashboard = deps.dashboard;
  if (msg.chatType === 'private' && !unit && privateUnits.length > 1) {
    const names = await db.selectFrom('unit').select('name').where('id', 'in', privateUnits).execute();
    ctx.privateUnits = names.map((n) => n.name);
  }
  return ctx;
}

/** Commands that change what a meeting still owes; the scheduler's obligations follow at once. */
const CHANGES_OBLIGATIONS = new Set<Command['kind']>([
  'meeting.create', 'meeting.reschedule', 'meeting.cancel', 'meeting.hold', 'step.done', 'step.undo', 'outline.submit', 'outline.review',
  'leave.request', 'leave.approve', 'leave.reject', 'statement.submit', 'relay', 'member.add', 'member.remove',
  'appraisal.close', 'appraisal.grade', 'commitment.submit',
]);
const CHANGES_ITEMS = new Set<Command['kind']>(['rectify.complete', 'rectify.extend']);

async function afterCommand(ctx: Ctx, cmd: Command): Promise<void> {
  if (!ctx.unit) return;
  if (CHANGES_OBLIGATIONS.has(cmd.kind)) await refreshObligations(ctx.db, ctx.unit.id, ctx.today);
  if (CHANGES_ITEMS.has(cmd.kind)) await dropPlannedReminders(ctx.db, ctx.unit.id, 'item:');
}

const cached = <T>(cache: ReadCache | undefined, key: string, load: () => Promise<T>): Promise<T> => (cache ? cache.get(key, load) : load());

async function checkPermission(ctx: Ctx, cmd: Command): Promise<void> {
  const needed = requiredRoles(cmd.kind);
  if (allows(cmd.kind, ctx.actor?.roles ?? [], (ctx.actor?.roles.length ?? 0) > 0)) return;
  if (!ctx.unit) {
    const units = ctx.privateUnits;
    if (units) throw new UserError('unit.privateAmbiguous', { units });
    if (ctx.msg.chatType === 'private') throw ctx.actor ? new UserError('unit.privateNoUnit', {}) : new UserError('identity.unknown', { private: true });
    throw new UserError('unit.notBound', {});
  }
  const pending = ctx.pendingName;
  if (pending) throw new UserError('identity.pending', { name: pending });
  if (!ctx.actor) throw new UserError('identity.unknown', { private: ctx.msg.chatType === 'private' });
  if ((!needed || needed.includes('supervisor')) && (await isSupervisorOf(ctx.db, ctx.unit.id, ctx.actor.id))) {
    ctx.actor.roles = [...new Set<Role>([...ctx.actor.roles, 'supervisor'])];
    if (allows(cmd.kind, ctx.actor.roles, true)) return;
  }
  if (!needed) throw new UserError('identity.unknown', { private: ctx.msg.chatType === 'private' });
  throw new UserError('permission.denied', { roles: [...needed] });
}

function hereTarget(msg: IncomingMessage, actor: Actor | undefined): ChatTarget {
  if (msg.chatType === 'group') {
    const t: ChatTarget = { kind: 'chat', channel: msg.channel, chatId: msg.chatId };
    if (msg.chatTitle) t.title = msg.chatTitle;
    return t;
  }
  return { kind: 'person', channel: msg.channel, userId: msg.senderId, personId: actor?.id ?? 0, name: actor?.name ?? msg.senderName ?? msg.senderId };
}

/** A handler's card goes with its text (a copy: each delivery's card gets its own id when sent). */
function withCard(message: OutgoingMessage, o: Out): OutgoingMessage {
  if (o.card) message.card = { ...o.card, buttons: o.card.buttons.map((b) => ({ ...b })) };
  return message;
}

async function toDeliveries(ctx: Ctx, outs: Out[]): Promise<Delivery[]> {
  const personIds = new Set<number>();
  for (const o of outs) {
    if (o.to === 'person') personIds.add(o.personId);
    for (const m of o.mentions ?? []) personIds.add(m.personId);
  }
  const userIds = await userIdsOf(ctx.db, [...personIds], ctx.platform);
  const deliveries: Delivery[] = [];
  const unreachable: string[] = [];
  for (const o of outs) {
    const mentions: MentionRef[] = (o.mentions ?? []).map((m) => {
      const ref: MentionRef = { personId: m.personId, name: m.name };
      const uid = userIds.get(m.personId);
      if (uid) ref.userId = uid;
      return ref;
    });
    if (o.to === 'here') {
      deliveries.push({ target: hereTarget(ctx.msg, ctx.actor), message: withCard({ text: o.text, mentions }, o) });
      continue;
    }
    if (o.to === 'unit') {
      // The unit's group chats this channel can post to (`announce` adds these only to a private chat's reply).
      for (const chat of await chatsOfUnit(ctx.db, o.unitId)) {
        if (chat.channel !== ctx.msg.channel) continue;
        deliveries.push({ target: chatTargetOf(chat), message: withCard({ text: o.text, mentions }, o) });
      }
      continue;
    }
    const uid = userIds.get(o.personId);
    if (!uid) {
      unreachable.push(o.name);
      continue;
    }
    deliveries.push({ target: { kind: 'person', channel: ctx.msg.channel, userId: uid, personId: o.personId, name: o.name }, message: withCard({ text: o.text, mentions }, o) });
  }
  for (const name of new Set(unreachable)) {
    deliveries.push({ target: hereTarget(ctx.msg, ctx.actor), message: { text: textOf('notify.unreachable', { name }), mentions: [] } });
  }
  return deliveries;
}
