import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { addDays, localTimeOf, toLocalDate, type LocalDate } from '../domain/dates.js';
import type { Role } from '../domain/types.js';
import type { Logger } from '../log.js';
import type { ChatTarget, MentionRef, OutgoingMessage, SendResult } from '../messages.js';
import { insertId, type Q } from '../store/helpers.js';
import { loadDueRows } from '../store/obligation.repository.js';
import type { UnitSettings } from '../store/unit.repository.js';
import { reminderText } from '../text/reminders.js';
import type { WorkCalendar } from './calendar.js';
import { dueReminders, type Reminder, type Snooze, type UnitRules } from './due.js';
import { deliverPending, enqueue, type DeliverResult } from './outbox.js';

export interface SchedulerDeps {
  db: Q;
  config: Readonly<Config>;
  calendar: WorkCalendar;
  clock: Clock;
  log: Logger;
  send: (target: ChatTarget, message: OutgoingMessage) => Promise<SendResult>;
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
  reminders: Reminder[];
  messages: PlannedMessage[];
  /** Everyone each reminder addresses (owners and role holders), by reminder key. */
  addressed: Map<string, number[]>;
}

const platformOf = (channel: string) => channel.split('-')[0] ?? channel;

function unitRules(settings: UnitSettings, config: Readonly<Config>): UnitRules {
  return {
    remindHour: settings.remindHour ?? config.REMIND_HOUR,
    daysBefore: settings.daysBefore ?? config.REMIND_DAYS_BEFORE,
    escalatePrincipal: settings.escalatePrincipalDays ?? config.ESCALATE_PRINCIPAL_DAYS,
    escalateSupervisor: settings.escalateSupervisorDays ?? config.ESCALATE_SUPERVISOR_DAYS,
  };
}

async function lastRunDate(db: Q): Promise<LocalDate | undefined> {
  return (await db.selectFrom('scheduler_state').select('value').where('name', '=', 'last_run_date').executeTakeFirst())?.value;
}

async function setLastRunDate(db: Q, date: LocalDate): Promise<void> {
  const updated = await db.updateTable('scheduler_state').set({ value: date }).where('name', '=', 'last_run_date').executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('scheduler_state').values({ name: 'last_run_date', value: date }).execute();
}

function daysToConsider(today: LocalDate, last: LocalDate | undefined): LocalDate[] {
  const first = last && last < today ? (addDays(today, -CATCH_UP_DAYS) > last ? addDays(today, -CATCH_UP_DAYS) : last) : today;
  const days: LocalDate[] = [];
  for (let d = first; d <= today; d = addDays(d, 1)) days.push(d);
  return days;
}

/**
 * What should be sent at `now` and to which chats — without writing anything. One query for the
 * due work, then a few batched look-ups for the units involved (names, chats, role holders, ids).
 */
export async function planReminders(deps: Omit<SchedulerDeps, 'send' | 'clock' | 'log'>, now: Date, opts: { ignoreLog?: boolean; days?: LocalDate[] } = {}): Promise<Plan> {
  const { db, config, calendar } = deps;
  const today = toLocalDate(now);
  const { hour, minute } = localTimeOf(now);
  const days = opts.days ?? daysToConsider(today, await lastRunDate(db));
  // Work due after the widest advance window cannot be reminded (or snoozed to) today: not read.
  const widest = Math.max(config.REMIND_DAYS_BEFORE, ...(await db.selectFrom('unit').select('settings').where('settings', 'like', '%daysBefore%').execute())
    .map((u) => parseSettings(u.settings).daysBefore ?? 0));
  const horizon = addDays(calendar.addWorkdays(today, widest + 1), -1);
  const rows = await loadDueRows(db, horizon);
  if (rows.length === 0) return { today, reminders: [], messages: [], addressed: new Map() };
  const unitIds = [...new Set(rows.map((r) => r.unitId))];
  const units = await inSlices(unitIds, (ids) => db.selectFrom('unit').select(['id', 'name', 'parent_id', 'settings']).where('id', 'in', ids).execute());
  const settingsOf = new Map(units.map((u) => [u.id, parseSettings(u.settings)]));
  const snoozes: Snooze[] = (await db.selectFrom('snooze').select(['person_id', 'subject', 'until_date']).where('until_date', '>=', days[0] ?? today).execute())
    .map((s) => ({ personId: s.person_id, subject: s.subject, until: s.until_date }));
  let reminders = dueReminders({
    days, today, nowMinutes: hour * 60 + minute, rows, calendar, snoozes,
    rules: (unitId) => unitRules(settingsOf.get(unitId) ?? {}, config),
  });
  if (!opts.ignoreLog && reminders.length) {
    const logged = new Set<string>();
    const keys = reminders.map((r) => r.key);
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      for (const r of await db.selectFrom('reminder_log').select('reminder_key').where('reminder_key', 'in', chunk).execute()) logged.add(r.reminder_key);
    }
    reminders = reminders.filter((r) => !logged.has(r.key));
  }
  if (reminders.length === 0) return { today, reminders, messages: [], addressed: new Map() };
  const composed = await compose(db, today, reminders, units);
  return { today, reminders, ...composed };
}

/** `WHERE … IN (ids)` in slices: SQLite binds at most 32,766 values in one statement. */
async function inSlices<T>(ids: readonly number[], query: (slice: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 5000) for (const row of await query(ids.slice(i, i + 5000))) out.push(row);
  return out;
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

function parseSettings(text: string): UnitSettings {
  try {
    return JSON.parse(text) as UnitSettings;
  } catch {
    return {};
  }
}

async function compose(db: Q, today: LocalDate, reminders: Reminder[], units: Array<{ id: number; name: string; parent_id: number | null }>): Promise<{ messages: PlannedMessage[]; addressed: Map<string, number[]> }> {
  const unitById = new Map(units.map((u) => [u.id, u]));
  const unitIds = [...unitById.keys()];
  // Role holders (principal, operator) of the units; supervisors along each unit's chain.
  const holders = await inSlices(unitIds, (ids) => db.selectFrom('membership').innerJoin('person', 'person.id', 'membership.person_id')
    .select(['membership.unit_id', 'membership.role', 'person.id', 'person.name'])
    .where('membership.unit_id', 'in', ids).where('membership.role', 'in', ['principal', 'operator']).orderBy('membership.id').execute());
  const needSupervisor = reminders.some((r) => r.kind === 'supervisor');
  const allUnits = needSupervisor ? await db.selectFrom('unit').select(['id', 'name', 'parent_id']).execute() : units;
  const parentOf = new Map(allUnits.map((u) => [u.id, u.parent_id]));
  const chainOf = (id: number): number[] => {
    const chain: number[] = [];
    for (let c: number | null | undefined = id; c != null && !chain.includes(c); c = parentOf.get(c)) chain.push(c);
    return chain;
  };
  const supervisorRows = needSupervisor
    ? await db.selectFrom('membership').innerJoin('person', 'person.id', 'membership.person_id')
        .select(['membership.unit_id', 'person.id', 'person.name']).where('membership.role', '=', 'supervisor').execute()
    : [];
  const chatUnits = needSupervisor ? allUnits.map((u) => u.id) : unitIds;
  const chats = await inSlices(chatUnits, (ids) => db.selectFrom('chat').select(['unit_id', 'channel', 'chat_id', 'title']).where('unit_id', 'in', ids).orderBy('id').execute());
  const chatsByUnit = groupBy(chats, (c) => c.unit_id);
  const chatsOf = (id: number) => chatsByUnit.get(id) ?? [];
  const personIds = new Set<number>([...holders.map((h) => h.id), ...supervisorRows.map((s) => s.id)]);
  for (const r of reminders) for (const p of r.personIds) personIds.add(p);
  // Names and confirmed platform ids in one pass (a person has one row per identity, or one without).
  const people = await inSlices([...personIds], (ids) => db.selectFrom('person')
    .leftJoin('identity', (j) => j.onRef('identity.person_id', '=', 'person.id').on('identity.confirmed', '=', 1))
    .select(['person.id', 'person.name', 'identity.platform', 'identity.user_id']).where('person.id', 'in', ids).execute());
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const userIds = new Map(people.filter((p) => p.platform !== null).map((p) => [`${p.id}:${p.platform}`, p.user_id]));
  const userIdOf = (personId: number, platform: string) => userIds.get(`${personId}:${platform}`);
  const holdersOf = groupBy(holders, (h) => `${h.unit_id}:${h.role}`);

  const addressed = (r: Reminder): number[] => {
    const ids = [...r.personIds];
    for (const role of r.roles as Role[]) {
      if (role === 'supervisor') {
        const chain = chainOf(r.unitId);
        for (const s of supervisorRows.filter((x) => chain.includes(x.unit_id)).sort((a, b) => chain.indexOf(a.unit_id) - chain.indexOf(b.unit_id))) ids.push(s.id);
      } else for (const h of holdersOf.get(`${r.unitId}:${role}`) ?? []) ids.push(h.id);
    }
    return [...new Set(ids)];
  };

  const messages: PlannedMessage[] = [];
  const groups = new Map<string, { unitId: number; targetUnit: number; supervisor: boolean; reminders: Reminder[] }>();
  for (const r of reminders) {
    let targetUnit = r.unitId;
    if (r.kind === 'supervisor') targetUnit = chainOf(r.unitId).slice(1).find((u) => chatsOf(u).length > 0) ?? r.unitId;
    const k = `${r.kind === 'supervisor' ? 's' : 'u'}:${r.unitId}:${targetUnit}`;
    const g = groups.get(k) ?? { unitId: r.unitId, targetUnit, supervisor: r.kind === 'supervisor', reminders: [] };
    g.reminders.push(r);
    groups.set(k, g);
  }
  for (const g of groups.values()) {
    const unitName = unitById.get(g.unitId)?.name ?? allUnits.find((u) => u.id === g.unitId)?.name ?? '';
    const targets: ChatTarget[] = chatsOf(g.targetUnit).map((c) => {
      const t: ChatTarget = { kind: 'chat', channel: c.channel, chatId: c.chat_id };
      if (c.title) t.title = c.title;
      return t;
    });
    // A unit with no bound chat still gets an outbox row, which fails visibly instead of vanishing.
    if (targets.length === 0) targets.push({ kind: 'chat', channel: 'none', chatId: `unit:${g.targetUnit}` });
    for (const target of targets) {
      const platform = platformOf(target.channel);
      messages.push({
        unitId: g.unitId,
        target,
        reminders: g.reminders,
        compose: (numbers) => {
          const mentionIds = new Set<number>();
          const lines = g.reminders.map((r, i) => {
            const who = addressed(r);
            who.forEach((id) => mentionIds.add(id));
            return reminderText.line({
              // A caught-up reminder whose deadline has passed since reads as overdue (no snooze offer).
              no: numbers[i] ?? 0, kind: r.due < today && r.kind !== 'supervisor' ? 'overdue' : r.kind, step: r.step, meetingKind: r.meetingKind, itemNo: r.itemNo, content: r.content, due: r.due, today,
              who: who.map((id) => `@${nameOf.get(id) ?? ''}`), overdueWorkdays: r.overdueWorkdays,
            });
          });
          const header = g.supervisor
            ? reminderText.supervisorHeader({ unit: unitName, days: g.reminders[0]?.overdueWorkdays ?? 0 })
            : reminderText.header({ unit: unitName, today });
          const text = [header, ...lines, ...(g.supervisor ? [] : [reminderText.footer({})])].join('\n');
          const mentions: MentionRef[] = [...mentionIds].map((id) => {
            const m: MentionRef = { personId: id, name: nameOf.get(id) ?? '' };
            const uid = userIdOf(id, platform);
            if (uid) m.userId = uid;
            return m;
          });
          return { text, mentions };
        },
      });
    }
  }
  return { messages, addressed: new Map(reminders.map((r) => [r.key, addressed(r)])) };
}

export interface RunResult {
  planned: number;
  messages: number;
  delivery: DeliverResult;
}

/**
 * One scheduler run at `now`: plan, write each reminder once under its key together with its
 * outbox message (one transaction), then deliver what is pending. Safe to call at any time and
 * any number of times: nothing is sent twice.
 */
export async function runOnce(deps: SchedulerDeps & { db: import('../store/db.js').Db }, now: Date): Promise<RunResult> {
  const plan = await planReminders(deps, now);
  let written = 0;
  if (plan.messages.length) {
    await deps.db.transaction().execute(async (trx) => {
      const numberOf = new Map<string, number>();
      for (const r of plan.reminders) {
        const exists = await trx.selectFrom('reminder_log').select('id').where('reminder_key', '=', r.key).executeTakeFirst();
        if (exists) continue;
        const id = await insertId(trx, trx.insertInto('reminder_log').values({
          reminder_key: r.key, unit_id: r.unitId, subject: r.subject, remind_on: r.remindOn, due_date: r.due, kind: r.kind, outbox_id: null,
          person_ids: `,${(plan.addressed.get(r.key) ?? r.personIds).join(',')},`, created_at: now.toISOString(),
        }));
        numberOf.set(r.key, id);
      }
      for (const m of plan.messages) {
        const fresh = m.reminders.filter((r) => numberOf.has(r.key));
        if (fresh.length === 0) continue;
        const numbers = m.reminders.map((r) => numberOf.get(r.key) ?? 0);
        const first = Math.min(...fresh.map((r) => numberOf.get(r.key)!));
        const id = await enqueue(trx, { messageKey: `remind:${first}:${m.target.channel}:${m.target.kind === 'chat' ? m.target.chatId : m.target.userId}`, unitId: m.unitId, target: m.target, message: m.compose(numbers) }, now);
        if (id !== undefined) {
          written++;
          await trx.updateTable('reminder_log').set({ outbox_id: id }).where('reminder_key', 'in', fresh.map((r) => r.key)).where('outbox_id', 'is', null).execute();
        }
      }
    });
  }
  // Remember the day only once its reminder hour has been reached for every unit (catch-up works per day).
  await setLastRunDate(deps.db, plan.today);
  const delivery = await deliverPending(deps);
  return { planned: plan.reminders.length, messages: written, delivery };
}
