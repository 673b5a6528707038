import type { Insertable, Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { addDays, localTimeOf, toLocalDate, type LocalDate } from '../domain/dates.js';
import type { Logger } from '../log.js';
import { chatTargetOf, platformOf, type ChatTarget, type MentionRef, type OutgoingMessage, type SendResult } from '../messages.js';
import type { Db } from '../store/db.js';
import { transactionally, type Q } from '../store/helpers.js';
import { dueWorkSnapshot, loadDueRows, loadRowsOf, settleDueChanges, slices, type DueRow } from '../store/obligation.repository.js';
import type { Database } from '../store/schema.js';
import { currentDirectory, type Directory, type DirectoryUnit } from '../store/directory.repository.js';
import { reminderCard, reminderText, type CardLine } from '../text/reminders.js';
import type { WorkCalendar } from './calendar.js';
import { deadlinesRemindedOn, dueReminders, mayWait, subjectOf, unitRules, type Reminder, type Snooze, type UnitRules } from './due.js';
import { deliverPending, NO_CHANNEL, type DeliverResult } from './outbox.js';
import { asPlanner } from './planner-lock.js';

export interface SchedulerDeps {
  db: Q;
  config: Readonly<Config>;
  calendar: WorkCalendar;
  clock: Clock;
  log: Logger;
  send: (target: ChatTarget, message: OutgoingMessage) => Promise<SendResult>;
  /** The channels this instance sends through (see {@link DeliverDeps.channelNames}). */
  channelNames?: readonly string[];
}

/** How far back a restart catches up missed reminder days. */
export const CATCH_UP_DAYS = 10;

export interface PlannedMessage {
  unitId: number;
  target: ChatTarget;
  reminders: Reminder[];
  /** Composed text (numbers are filled in when written to the log). */
  compose: (numbers: number[]) => OutgoingMessage;
}

export interface Plan {
  today: LocalDate;
  /** The reminders to send. */
  reminders: Reminder[];
  messages: PlannedMessage[];
  /** The units' reminder hours (and the default), distinct and ascending: the only times of day a plan depends on. */
  remindHours: number[];
  /** The directory the plan was made with: whom the reminders' roles address (see {@link addressedBy}). */
  directory: Directory;
}

const RULE_SETTINGS = ['remindHour', 'daysBefore', 'escalatePrincipalDays', 'escalateSupervisorDays'] as const;

interface Rules {
  rulesOf: (unitId: number) => UnitRules;
  /** The advance windows in use (distinct). */
  daysBefore: number[];
  /** The units' reminder hours (and the default), distinct and ascending. */
  remindHours: number[];
}

/** Every unit's reminder rules, worked out once per directory read and configuration. */
const rulesKept = new WeakMap<Directory, { config: Readonly<Config>; rules: Rules }>();

function rulesFor(directory: Directory, config: Readonly<Config>): Rules {
  const kept = rulesKept.get(directory);
  if (kept?.config === config) return kept.rules;
  const defaults = unitRules({}, config);
  const own = new Map<number, UnitRules>();
  for (const [id, u] of directory.units) if (RULE_SETTINGS.some((k) => u.settings[k] !== undefined)) own.set(id, unitRules(u.settings, config));
  const all = [defaults, ...own.values()];
  const rules: Rules = {
    rulesOf: (unitId) => own.get(unitId) ?? defaults,
    daysBefore: [...new Set(all.map((r) => r.daysBefore))],
    remindHours: [...new Set(all.map((r) => r.remindHour))].sort((a, b) => a - b),
  };
  rulesKept.set(directory, { config, rules });
  return rules;
}

async function lastRunDate(db: Q): Promise<LocalDate | undefined> {
  return (await db.selectFrom('scheduler_state').select('value').where('name', '=', 'last_run_date').executeTakeFirst())?.value;
}

async function setState(db: Q, name: string, value: string): Promise<void> {
  const updated = await db.updateTable('scheduler_state').set({ value }).where('name', '=', name).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('scheduler_state').values({ name, value }).execute();
}

const setLastRunDate = (db: Q, date: LocalDate): Promise<void> => setState(db, 'last_run_date', date);

/** What the last plan written by any instance depended on (see {@link RunMemo}): the planner leaves it for the others. */
type SharedPlan = { today: LocalDate; remindHours: number[]; hoursReached: number };

async function sharedPlan(db: Q): Promise<SharedPlan | undefined> {
  const value = (await db.selectFrom('scheduler_state').select('value').where('name', '=', 'last_plan').executeTakeFirst())?.value;
  if (!value) return undefined;
  try {
    const p = JSON.parse(value) as Partial<SharedPlan>;
    return typeof p.today === 'string' && Array.isArray(p.remindHours) && typeof p.hoursReached === 'number' ? (p as SharedPlan) : undefined;
  } catch {
    return undefined; // unreadable: plan as if there were none
  }
}

function daysToConsider(today: LocalDate, last: LocalDate | undefined): LocalDate[] {
  const first = last && last < today ? (addDays(today, -CATCH_UP_DAYS) > last ? addDays(today, -CATCH_UP_DAYS) : last) : today;
  const days: LocalDate[] = [];
  for (let d = first; d <= today; d = addDays(d, 1)) days.push(d);
  return days;
}

/**
 * What should be sent at `now` and to which chats — without writing anything. Reads only the work
 * that can be reminded of on the days considered, leaves out what the log already has, and looks
 * up names, chats and platform ids for the remaining reminders only.
 */
export async function planReminders(
  deps: Omit<SchedulerDeps, 'send' | 'clock' | 'log'>, now: Date,
  /** `alsoSent`: keys to leave out as if logged (a preview of a later day: what goes out before it). */
  opts: { ignoreLog?: boolean; days?: LocalDate[]; alsoSent?: ReadonlySet<string> } = {},
): Promise<Plan> {
  const { db, config, calendar } = deps;
  const today = toLocalDate(now);
  const { hour, minute } = localTimeOf(now);
  const days = opts.days ?? daysToConsider(today, await lastRunDate(db));
  const directory = await currentDirectory(db);
  const { rulesOf, daysBefore, remindHours } = rulesFor(directory, config);
  const empty: Plan = { today, reminders: [], messages: [], remindHours, directory };
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return empty;

  const snoozes: Snooze[] = (await db.selectFrom('snooze').select(['person_id', 'subject', 'until_date'])
    .where('until_date', '>=', first).where('until_date', '<=', last).execute())
    .map((s) => ({ personId: s.person_id, subject: s.subject, until: s.until_date }));
  const rows = await loadWork(db, days, daysBefore, snoozes, calendar);
  const sent = opts.ignoreLog || rows.length === 0 ? undefined : await loggedKeys(db, first, last, rows);
  if (sent && opts.alsoSent) for (const key of opts.alsoSent) sent.add(key);
  const reminders = dueReminders({ days, today, nowMinutes: hour * 60 + minute, rows, calendar, snoozes, rules: rulesOf, sent });
  if (reminders.length === 0) return empty;
  return { today, reminders, remindHours, directory, messages: await compose(db, today, calendar.nextWorkday(today), reminders, directory) };
}

/**
 * The work that can produce a reminder on `days`: everything overdue by the last day, everything
 * whose due-day or advance reminder falls on one of them (see {@link deadlinesRemindedOn}), and the
 * subjects snoozed to one of them. Nothing due later is read.
 */
async function loadWork(db: Q, days: LocalDate[], daysBefore: number[], snoozes: readonly Snooze[], calendar: WorkCalendar): Promise<DueRow[]> {
  const rows = await loadDueRows(db, { before: days[days.length - 1]!, on: deadlinesRemindedOn(days, daysBefore, calendar) });
  if (snoozes.length === 0) return rows;
  const read = new Set(rows.map(subjectOf));
  const snoozed = new Set(snoozes.map((s) => s.subject).filter((s) => !read.has(s)));
  if (snoozed.size === 0) return rows;
  // Subjects are `item:<id>` or `step:<meetingId>:…`: read those items and meetings, keep the snoozed subjects.
  const idsOf = (prefix: string) => [...new Set([...snoozed].filter((s) => s.startsWith(prefix)).map((s) => Number(s.split(':')[1])))];
  const more = await loadRowsOf(db, { itemIds: idsOf('item:'), meetingIds: idsOf('step:') });
  return [...rows, ...more.filter((r) => snoozed.has(subjectOf(r)))];
}

/**
 * The keys the log already has that a plan of the days `first`…`last` from these rows could make:
 * one range read for those days (a key names the day it went out, which is its `remind_on`), plus
 * the escalations to a supervisor (theirs name the deadline, and they went out on some earlier
 * day): one range read by deadline, from the earliest deadline of an item overdue by `last`.
 */
async function loggedKeys(db: Q, first: LocalDate, last: LocalDate, rows: readonly DueRow[]): Promise<Set<string>> {
  const logged = await db.selectFrom('reminder_log').select('reminder_key').where('remind_on', '>=', first).where('remind_on', '<=', last).execute();
  const keys = new Set(logged.map((r) => r.reminder_key));
  let from: string | undefined;
  for (const r of rows) if (r.step === null && r.due < last && (from === undefined || r.due < from)) from = r.due;
  if (from !== undefined) {
    const sent = await db.selectFrom('reminder_log').select('reminder_key').where('kind', '=', 'supervisor').where('due_date', '>=', from).execute();
    for (const r of sent) keys.add(r.reminder_key);
  }
  return keys;
}

/**
 * The messages for new reminders: one per unit (and one per supervised unit for escalations) to each
 * chat of the target unit. Chats come from the directory; names and platform ids too, except for
 * people added since it was read, which are read here. Texts, and the role holders each reminder
 * addresses, are worked out when written (see {@link PlannedMessage}).
 */
async function compose(db: Q, today: LocalDate, snoozeTo: LocalDate, reminders: Reminder[], directory: Directory): Promise<PlannedMessage[]> {
  const { units, names } = directory;
  const chats = (id: number) => units.get(id)?.chats.length ?? 0;
  // Role holders are in the directory with their names; the people reminders name may be newer.
  let unnamed: Set<number> | undefined;
  for (let k = 0; k < reminders.length; k++) {
    const ids = reminders[k]!.personIds;
    for (let i = 0; i < ids.length; i++) if (!names.has(ids[i]!)) (unnamed ??= new Set()).add(ids[i]!);
  }
  // Someone added since the directory was read (the next read has them).
  const extraNames = new Map<number, string>();
  for (const part of slices([...(unnamed ?? [])])) {
    for (const p of await db.selectFrom('person').select(['id', 'name']).where('id', 'in', part).execute()) extraNames.set(p.id, p.name);
  }

  // One message per unit that gets reminders: its own, then the escalations of the units below it
  // (each goes to the nearest unit above with a chat), so a chat gets at most one message per run.
  const byTarget = new Map<number, Reminder[]>();
  const escalationTarget = new Map<number, number>();
  const targetOf = (r: Reminder): number => {
    if (r.kind !== 'supervisor') return r.unitId;
    let target = escalationTarget.get(r.unitId);
    if (target === undefined) {
      target = r.unitId;
      for (const u of unitAndAbove(units, r.unitId)) {
        if (u !== r.unitId && chats(u) > 0) {
          target = u;
          break;
        }
      }
      escalationTarget.set(r.unitId, target);
    }
    return target;
  };
  for (const r of reminders) {
    const t = targetOf(r);
    const g = byTarget.get(t);
    // Most units have one or two: exact-size lists (a list grown by push keeps room for 16 more).
    if (!g) byTarget.set(t, [r]);
    else if (g.length === 1) byTarget.set(t, [g[0]!, r]);
    else g.push(r);
  }
  const at: ComposeContext = { today, snoozeTo, directory, extraNames };
  const messages: PlannedMessage[] = [];
  byTarget.forEach((group, unitId) => {
    // The unit's own reminders first, then the escalations unit by unit (the numbers follow this order).
    if (group.some((r) => r.kind === 'supervisor')) group.sort((a, b) => Number(a.kind === 'supervisor') - Number(b.kind === 'supervisor') || (a.kind === 'supervisor' ? a.unitId - b.unitId : 0));
    const targets = targetsOf(units.get(unitId), unitId);
    for (let i = 0; i < targets.length; i++) messages.push(new UnitReminders(unitId, targets[i]!, group, at));
  });
  return messages;
}

/** The unit and the units above it, nearest first (a cycle in bad data ends the walk). */
function* unitAndAbove(units: Directory['units'], unitId: number): Generator<number> {
  for (let u: number | null | undefined = unitId, hops = 0; u != null && hops <= units.size; u = units.get(u)?.parentId, hops++) yield u;
}

/**
 * Everyone a reminder addresses, each once and in order: the people it names, then the holders of
 * its roles in its unit — for `supervisor`, the supervisors of the unit and of every unit above,
 * nearest first.
 */
export function addressedBy(units: Directory['units'], r: Pick<Reminder, 'unitId' | 'personIds' | 'roles'>): number[] {
  const out = r.personIds.slice();
  const add = (holders: readonly number[] | undefined) => {
    if (holders) for (const id of holders) if (!out.includes(id)) out.push(id);
  };
  for (const role of r.roles) {
    if (role !== 'supervisor') add(units.get(r.unitId)?.holders.get(role));
    else for (const u of unitAndAbove(units, r.unitId)) add(units.get(u)?.holders.get(role));
  }
  return out;
}

/** A unit's chats as message targets, kept with the directory entry they came from. */
const targetsKept = new WeakMap<DirectoryUnit, ChatTarget[]>();

function targetsOf(unit: DirectoryUnit | undefined, unitId: number): ChatTarget[] {
  let targets = unit && targetsKept.get(unit);
  if (targets) return targets;
  targets = (unit?.chats ?? []).map(chatTargetOf);
  // A unit with no bound chat still gets an outbox row, which fails visibly instead of vanishing.
  if (targets.length === 0) targets.push({ kind: 'chat', channel: NO_CHANNEL, chatId: `unit:${unitId}` });
  if (unit) targetsKept.set(unit, targets);
  return targets;
}

interface ComposeContext {
  today: LocalDate;
  /** The working day after today: where `/稍后` moves a reminder (offered only when that is not past its deadline). */
  snoozeTo: LocalDate;
  directory: Directory;
  /** Names of people the directory did not have yet. */
  extraNames: Map<number, string>;
}

/** One planned message to one chat of a unit: its own reminders, then the escalations of the units below it. */
class UnitReminders implements PlannedMessage {
  constructor(
    readonly unitId: number,
    readonly target: ChatTarget,
    readonly reminders: Reminder[],
    private readonly at: ComposeContext,
  ) {}

  /** The text and @mentions, with the reminders numbered by their log ids. */
  compose(numbers: number[]): OutgoingMessage {
    const { today, snoozeTo, directory, extraNames } = this.at;
    const nameOf = (id: number) => directory.names.get(id) ?? extraNames.get(id) ?? '';
    const platform = platformOf(this.target.channel);
    const mentionIds = new Set<number>();
    const cardLines: CardLine[] = [];
    const lines = this.reminders.map((r, i) => {
      // An escalation @mentions the supervisors; the owners, who are not in their chat, are named.
      const escalation = r.kind === 'supervisor';
      const who = addressedBy(directory.units, escalation ? { unitId: r.unitId, personIds: [], roles: r.roles } : r);
      for (const id of who) mentionIds.add(id);
      // A caught-up reminder whose deadline has passed since reads as overdue.
      const kind = r.due < today && r.kind !== 'supervisor' ? 'overdue' : r.kind;
      const snoozable = mayWait({ kind, due: r.due }, today, snoozeTo);
      if (!escalation) cardLines.push({ no: numbers[i] ?? 0, step: r.step, itemNo: r.itemNo, subject: cardSubjectOf(r.subject), snoozable });
      return reminderText.line({
        no: numbers[i] ?? 0, kind, step: r.step, meetingKind: r.meetingKind, itemNo: r.itemNo, content: r.content, due: r.due, today,
        who: who.map((id) => `@${nameOf(id)}`), overdueWorkdays: r.overdueWorkdays, owners: escalation ? r.personIds.map(nameOf) : undefined,
        // Offered only where /稍后 would take it (src/commands/handlers/remind.handler.ts).
        snoozeTo: snoozable ? snoozeTo : undefined,
      });
    });
    const unitName = (id: number) => directory.units.get(id)?.name ?? '';
    const text: string[] = [];
    // Own reminders come first (see compose), escalations after them, grouped by unit.
    const ownCount = this.reminders.findIndex((r) => r.kind === 'supervisor');
    const own = ownCount === -1 ? this.reminders.length : ownCount;
    if (own > 0) {
      text.push(reminderText.header({ unit: unitName(this.unitId), today }), ...lines.slice(0, own));
      text.push(reminderText.footer({ steps: this.reminders.slice(0, own).map((r) => r.step) }));
    }
    if (own < this.reminders.length) {
      const escalated = this.reminders.slice(own);
      const from = [...new Set(escalated.map((r) => r.unitId))];
      const days = Math.min(...escalated.map((r) => r.overdueWorkdays ?? 0));
      text.push(from.length === 1 ? reminderText.supervisorHeader({ unit: unitName(from[0]!), days }) : reminderText.supervisorHeaderMany({ units: from.length, days }));
      for (let i = own; i < this.reminders.length; i++) {
        const r = this.reminders[i]!;
        if (from.length > 1 && (i === own || this.reminders[i - 1]!.unitId !== r.unitId)) text.push(reminderText.unitTitle({ unit: unitName(r.unitId) }));
        text.push(lines[i]!);
      }
    }
    const mentions: MentionRef[] = [...mentionIds].map((id) => {
      const m: MentionRef = { personId: id, name: nameOf(id) };
      const uid = directory.userIds.get(`${id}:${platform}`);
      if (uid) m.userId = uid;
      return m;
    });
    const message: OutgoingMessage = { text: text.join('\n'), mentions };
    // Buttons for the unit's own reminders (escalations go to supervisors, who record nothing here).
    if (cardLines.length) {
      const meeting = cardLines.find((l) => l.subject.startsWith('meeting:'));
      const card = reminderCard({
        // The lines and the footer that names the commands (for a client that shows the card but cannot press).
        title: text[0] ?? '', lines: text.slice(1, own + 2), items: cardLines,
        subject: meeting?.subject ?? `reminders:${numbers[0] ?? 0}`,
      });
      if (card) message.card = card;
    }
    return message;
  }
}

/** A reminder's subject as a card names it: `item:<id>` stays, `step:<meetingId>:…` is about `meeting:<meetingId>`. */
function cardSubjectOf(subject: string): string {
  return subject.startsWith('step:') ? `meeting:${subject.split(':')[1]}` : subject;
}

// ── Running ──────────────────────────────────────────────────────────────────────────────────────

/** Commands that may have written, per store: counted by the command pipeline once each has committed. */
const changes = new WeakMap<Db, number>();

/** Tells the scheduler that a command may have changed the store: its next tick plans afresh. */
export function noteStoreChanged(db: Db): void {
  changes.set(db, (changes.get(db) ?? 0) + 1);
}

/**
 * What the last completed plan depended on, kept by the caller between runs (the scheduler does).
 * A plan depends on the date, the store, and the time of day only through the units' reminder
 * hours: while all three are unchanged a new plan would find nothing new, and the tick skips it.
 * Changes made by another process (a CLI tool) are seen at the next reminder hour or day. Among
 * several instances the planner also leaves its memo in `scheduler_state` (`last_plan`), so an
 * instance that has planned before and written nothing since does not plan the same hour again.
 */
export interface RunMemo {
  lastPlan?: { today: LocalDate; changes: number; remindHours: number[]; hoursReached: number };
}

const hoursReached = (hours: readonly number[], minutes: number) => hours.filter((h) => h * 60 <= minutes).length;

export interface RunResult {
  planned: number;
  messages: number;
  delivery: DeliverResult;
}

/**
 * One scheduler run at `now`: plan (unless nothing can have changed since the last plan in `memo`),
 * write the new reminders and their outbox messages in one transaction, then deliver what is pending.
 * Safe to call at any time and any number of times, from any number of instances: nothing is sent twice.
 */
export async function runOnce(deps: SchedulerDeps & { db: Db }, now: Date, memo: RunMemo = {}): Promise<RunResult> {
  const { planned, messages } = await planOnce(deps, now, memo);
  return { planned, messages, delivery: await deliverPending(deps) };
}

/**
 * The planning half of {@link runOnce}: as the only planner among the instances (see
 * {@link asPlanner}), plans and writes the reminders due at `now` unless `memo` (or the last
 * planner's record) says nothing can have changed. Returns the reminders planned and messages written.
 */
export async function planOnce(deps: Omit<SchedulerDeps, 'send' | 'clock'> & { db: Db }, now: Date, memo: RunMemo = {}): Promise<{ planned: number; messages: number }> {
  const today = toLocalDate(now);
  const { hour, minute } = localTimeOf(now);
  const seen = changes.get(deps.db) ?? 0;
  const last = memo.lastPlan;
  let planned = 0;
  let written = 0;
  if (!last || last.today !== today || last.changes !== seen || hoursReached(last.remindHours, hour * 60 + minute) !== last.hoursReached) {
    try {
      // One planner at a time across instances; one that is not it plans again at its next tick. An
      // instance that has planned before and handled no write since leaves out the plan another
      // instance has just made for the same date and hours (the planner's record of it, read under the lock).
      const done = await asPlanner(deps.db, async (q) => {
        const shared = last && last.changes === seen ? await sharedPlan(q) : undefined;
        if (shared && shared.today === today && hoursReached(shared.remindHours, hour * 60 + minute) === shared.hoursReached) return { kind: 'shared' as const, shared };
        const snapshot = await dueWorkSnapshot(q);
        const plan = await planReminders({ ...deps, db: q }, now);
        const written = await writePlan(q, plan, now);
        // Units whose due work a command changed while this plan read it: their messages go, planned again next tick.
        const unsettled = await settleDueChanges(q, snapshot);
        if (unsettled.length) deps.log.info({ units: unsettled.length }, 'reminders of units changed while planning are planned again next tick');
        return { kind: 'planned' as const, plan, written };
      });
      if (done?.value.kind === 'shared') {
        memo.lastPlan = { ...done.value.shared, changes: seen };
      } else if (done?.value.kind === 'planned') {
        written = done.value.written;
        planned = done.value.plan.reminders.length;
        memo.lastPlan = { today, changes: seen, remindHours: done.value.plan.remindHours, hoursReached: hoursReached(done.value.plan.remindHours, hour * 60 + minute) };
      } else {
        deps.log.debug('another instance is planning; this one plans at its next tick');
      }
    } catch (err) {
      // E.g. a key logged meanwhile by another process: nothing was written, and the next tick plans again.
      deps.log.error({ err: err instanceof Error ? err.message : String(err) }, 'reminders could not be planned or written; trying again next tick');
    }
  }
  return { planned, messages: written };
}

/** Rows per multi-row INSERT: well under SQLite's 32,766 bound values (15 columns × 1,000). */
const INSERT_ROWS = 1000;
/**
 * Links per UPDATE: each row is matched against the CASE's branches in turn, so a statement takes
 * few messages (and few log ids: each is bound twice, in its branch and in the WHERE).
 */
const LINKS_PER_UPDATE = 50;
const LINKED_IDS_PER_UPDATE = 5000;

type Link = { outboxId: number; logIds: number[] };

/** Links in batches of at most LINKS_PER_UPDATE messages and LINKED_IDS_PER_UPDATE log ids. */
function linkBatches(links: readonly Link[]): Link[][] {
  const batches: Link[][] = [];
  let batch: Link[] = [];
  let size = 0;
  for (const link of links) {
    for (const logIds of slices(link.logIds, LINKED_IDS_PER_UPDATE)) {
      if (batch.length === LINKS_PER_UPDATE || size + logIds.length > LINKED_IDS_PER_UPDATE) {
        batches.push(batch);
        batch = [];
        size = 0;
      }
      batch.push({ outboxId: link.outboxId, logIds });
      size += logIds.length;
    }
  }
  if (batch.length) batches.push(batch);
  return batches;
}

/** Whether the dialect returns inserted rows (SQLite, PostgreSQL); otherwise they are read back by key (MySQL). */
const returns = (db: Q) => db.getExecutor().adapter.supportsReturning;

/** The tables a plan writes, with the unique key each row is found by. */
const KEY_OF = { reminder_log: 'reminder_key', outbox: 'message_key' } as const;

/** Inserts rows in multi-row statements; returns their ids by their unique key (see {@link KEY_OF}). */
async function insertKeyed<T extends keyof typeof KEY_OF>(trx: Q, table: T, rows: Insertable<Database[T]>[]): Promise<Map<string, number>> {
  const key: string = KEY_OF[table];
  const name: string = table;
  // The two tables' shapes differ, so the statements are built untyped; the signature keeps the rows typed.
  const db = trx as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const ids = new Map<string, number>();
  for (const part of slices(rows, INSERT_ROWS)) {
    const insert = db.insertInto(name).values(part as Record<string, unknown>[]);
    const added = returns(trx)
      ? await insert.returning(['id', key]).execute()
      : (await insert.execute(), await db.selectFrom(name).select(['id', key]).where(key, 'in', part.map((r) => (r as Record<string, unknown>)[key])).execute());
    for (const r of added) ids.set(String(r[key]), Number(r.id));
  }
  return ids;
}

/**
 * Writes a plan in one transaction (the planner's, on PostgreSQL): every reminder once under its key (numbered by its log id), one
 * outbox row per message and chat, and the run's date. The plan left out the keys already logged;
 * the unique keys are the backstop — on a conflict the whole transaction fails and nothing is written.
 * Returns the number of outbox rows written.
 */
async function writePlan(db: Q, plan: Plan, now: Date): Promise<number> {
  const at = now.toISOString();
  return transactionally(db, async (trx) => {
    await setLastRunDate(trx, plan.today);
    const { hour, minute } = localTimeOf(now);
    const shared: SharedPlan = { today: plan.today, remindHours: plan.remindHours, hoursReached: hoursReached(plan.remindHours, hour * 60 + minute) };
    await setState(trx, 'last_plan', JSON.stringify(shared));
    if (plan.messages.length === 0) return 0;
    const logIds = await insertKeyed(trx, 'reminder_log', plan.reminders.map((r) => ({
      reminder_key: r.key, unit_id: r.unitId, subject: r.subject, remind_on: r.remindOn, due_date: r.due, kind: r.kind, outbox_id: null,
      person_ids: `,${addressedBy(plan.directory.units, r).join(',')},`, created_at: at,
    })));
    // Each message lists its reminders by number; its key names the first, shared by its copies to other chats.
    const numbered = plan.messages.map((m) => {
      const numbers = m.reminders.map((r) => logIds.get(r.key)!);
      const first = Math.min(...numbers);
      return { m, numbers, first, key: `remind:${first}:${m.target.channel}:${m.target.kind === 'chat' ? m.target.chatId : m.target.userId}` };
    });
    const outboxIds = await insertKeyed(trx, 'outbox', numbered.map(({ m, numbers, key }) => {
      const t = m.target;
      const message = m.compose(numbers);
      return {
        message_key: key, unit_id: m.unitId, channel: t.channel, target_kind: t.kind, target_id: t.kind === 'chat' ? t.chatId : t.userId,
        target_name: t.kind === 'chat' ? (t.title ?? null) : t.name, person_id: t.kind === 'person' ? t.personId : null,
        text: message.text, mentions: JSON.stringify(message.mentions), status: 'pending', attempts: 0, next_attempt_at: at, last_error: null, created_at: at, sent_at: null,
        card: message.card ? JSON.stringify(message.card) : null,
      };
    }));
    // The log links a message's reminders to its first chat's row (see dropPlannedReminders).
    const links = new Map<number, Link>();
    for (const { numbers, first, key } of numbered) if (!links.has(first)) links.set(first, { outboxId: outboxIds.get(key)!, logIds: numbers });
    for (const part of linkBatches([...links.values()])) {
      await trx.updateTable('reminder_log')
        .set((eb) => {
          const [head, ...rest] = part;
          let outboxId = eb.case().when('id', 'in', head!.logIds).then(head!.outboxId);
          for (const l of rest) outboxId = outboxId.when('id', 'in', l.logIds).then(l.outboxId);
          return { outbox_id: outboxId.end() };
        })
        .where('id', 'in', part.flatMap((l) => l.logIds))
        .execute();
    }
    return outboxIds.size;
  });
}
