import type { Config } from '../config.js';
import { addDays, type LocalDate } from '../domain/dates.js';
import { obligationRoles, type ObligationStep } from '../domain/obligations.js';
import type { MeetingKind, Role } from '../domain/types.js';
import type { WorkCalendar } from './calendar.js';

/** One row of open work, as the scheduler's query returns it (a meeting obligation or an item owner). */
export interface WorkRow {
  /** The meeting (obligations) or the item. */
  refId: number;
  unitId: number;
  /** The obligation's step; null for a rectification item. */
  step: string | null;
  personId: number | null;
  due: LocalDate;
  itemNo: number | null;
  content: string | null;
  kind: string | null;
}

export interface UnitRules {
  /** Local hour (0–23) at which the unit's reminders go out. */
  remindHour: number;
  /** Working days before a deadline for the advance reminder. */
  daysBefore: number;
  /** Working days overdue after which the principal is told as well. */
  escalatePrincipal: number;
  /** Working days overdue after which the supervisor's chat is told. */
  escalateSupervisor: number;
}

/** A unit's reminder rules: its own settings over the configured defaults. */
export function unitRules(
  settings: { remindHour?: number | undefined; daysBefore?: number | undefined; escalatePrincipalDays?: number | undefined; escalateSupervisorDays?: number | undefined },
  config: Pick<Config, 'REMIND_HOUR' | 'REMIND_DAYS_BEFORE' | 'ESCALATE_PRINCIPAL_DAYS' | 'ESCALATE_SUPERVISOR_DAYS'>,
): UnitRules {
  return {
    remindHour: settings.remindHour ?? config.REMIND_HOUR,
    daysBefore: settings.daysBefore ?? config.REMIND_DAYS_BEFORE,
    escalatePrincipal: settings.escalatePrincipalDays ?? config.ESCALATE_PRINCIPAL_DAYS,
    escalateSupervisor: settings.escalateSupervisorDays ?? config.ESCALATE_SUPERVISOR_DAYS,
  };
}

export type ReminderKind = 'before' | 'due' | 'overdue' | 'snoozed' | 'supervisor';

export interface Reminder {
  /** Stable and unique: `<subject>:<kind>:<date>`, e.g. `item:42:overdue:2026-03-05`. */
  key: string;
  /** `step:<meetingId>:<step>[:<personId>]` or `item:<itemId>`. */
  subject: string;
  unitId: number;
  kind: ReminderKind;
  /** The working day this reminder belongs to. */
  remindOn: LocalDate;
  due: LocalDate;
  step: string;
  meetingKind?: MeetingKind;
  itemNo?: number;
  content?: string;
  /** People addressed by id (owners, the absentee, the member). */
  personIds: number[];
  /**
   * Role holders also addressed: the unit's operator or principal, or the supervisors of the unit and
   * of every unit above. Resolved to people when the message is written, as names and platform ids are.
   */
  roles: Role[];
  /** For overdue items: working days past the deadline. */
  overdueWorkdays?: number;
}

export interface Snooze {
  personId: number;
  subject: string;
  /** The working day on which the person is reminded again. */
  until: LocalDate;
}

export interface DueInput {
  /** The days to consider, oldest first: catch-up days after a restart, then today. */
  days: LocalDate[];
  /** Local time of day now, in minutes: today's reminders wait for the unit's hour. */
  nowMinutes: number;
  today: LocalDate;
  rows: readonly WorkRow[];
  rules: (unitId: number) => UnitRules;
  calendar: WorkCalendar;
  snoozes?: readonly Snooze[];
  /** Keys of the reminders already sent (the log's): they are not planned again. */
  sent?: ReadonlySet<string>;
}

/** What a reminder is about, before its day and kind are known: a reminder in the making (see {@link subjects}). */
type Subject = Reminder;

/** What a row is about: `item:<itemId>`, or `step:<meetingId>:<step>[:<personId>]` (the reminder keys' first part). */
export function subjectOf(r: Pick<WorkRow, 'refId' | 'step' | 'personId'>): string {
  return r.step === null ? `item:${r.refId}` : `step:${r.refId}:${r.step}${r.personId !== null ? `:${r.personId}` : ''}`;
}

/** A rectification item's reminders name this step (obligations name theirs: plan, notice, …). */
export const ITEM_STEP = 'item';

/** Nobody addressed by role (shared: a reminder that gains a role gets its own array). */
const NO_ROLES: readonly Role[] = Object.freeze([]);
const SUPERVISOR = Object.freeze(['supervisor']) as Role[];
const PRINCIPAL = Object.freeze(['principal']) as Role[];

/**
 * The rows grouped by subject (an item's owners are one row each), in the order first seen. Items
 * are found by id and obligations by subject; each subject is already shaped as its reminder
 * (an item's step is {@link ITEM_STEP}).
 */
function subjects(rows: readonly WorkRow[]): Subject[] {
  const out: Subject[] = [];
  const items = new Map<number, Subject>();
  const steps = new Map<string, Subject>();
  const rolesOf = new Map<MeetingKind, Map<string, Role[]>>(); // few kinds × few steps
  for (const r of rows) {
    let s: Subject | undefined;
    if (r.step === null) {
      s = items.get(r.refId);
      if (!s) {
        // Its first row: the subject starts with that row's person.
        s = subjectFrom(r, `item:${r.refId}`, NO_ROLES as Role[]);
        if (r.itemNo !== null) s.itemNo = r.itemNo;
        if (r.content !== null) s.content = r.content;
        items.set(r.refId, s);
        out.push(s);
        continue;
      }
    } else {
      const subject = subjectOf(r);
      s = steps.get(subject);
      if (!s) {
        const kind = (r.kind ?? 'democratic_life') as MeetingKind;
        let roles = NO_ROLES as Role[];
        if (r.personId === null) {
          let byStep = rolesOf.get(kind);
          if (!byStep) rolesOf.set(kind, (byStep = new Map()));
          roles = byStep.get(r.step) ?? obligationRoles(kind, r.step as ObligationStep);
          byStep.set(r.step, roles);
        }
        s = subjectFrom(r, subject, roles);
        if (r.kind !== null) s.meetingKind = kind;
        steps.set(subject, s);
        out.push(s);
        continue;
      }
    }
    // A second owner: a new two-element list costs less than growing the one-element list in place.
    if (r.personId !== null && !s.personIds.includes(r.personId)) s.personIds = s.personIds.length === 1 ? [s.personIds[0]!, r.personId] : [...s.personIds, r.personId];
  }
  return out;
}

function subjectFrom(r: WorkRow, subject: string, roles: Role[]): Subject {
  // Every field is present from the start (one object shape, no property store grown as fields are set).
  return {
    key: '', subject, unitId: r.unitId, kind: 'due', remindOn: r.due, due: r.due, step: r.step ?? ITEM_STEP, meetingKind: undefined, itemNo: undefined, content: undefined,
    personIds: r.personId === null ? [] : [r.personId], roles, overdueWorkdays: undefined,
  };
}

/** Per deadline: its due-day reminder, its advance reminders (by window), and working days late (by day). */
interface Deadline {
  onDue: LocalDate;
  before: Map<number, LocalDate>;
  late: Map<LocalDate, number>;
}

/**
 * Which reminders are due, for the given days (pure). Per subject: an advance reminder N working
 * days before the deadline, one on the deadline (the working day before, when the deadline is a
 * holiday), then one every working day while overdue. After a restart, missed days are caught up
 * with the latest reminder of each subject only. Overdue items also tell the principal after
 * `escalatePrincipal` working days, and the supervisor's chat once after `escalateSupervisor`.
 * Reminders whose key is in `sent` are left out.
 */
export function dueReminders(input: DueInput): Reminder[] {
  const { calendar: cal, days, today, nowMinutes, rules: rulesOf, snoozes = [] } = input;
  const sent = input.sent?.size ? input.sent : undefined;
  const all = subjects(input.rows);
  const out: Reminder[] = [];
  const snoozesBySubject = new Map<string, Snooze[]>();
  for (const s of snoozes) snoozesBySubject.set(s.subject, [...(snoozesBySubject.get(s.subject) ?? []), s]);
  // Many subjects share a reminder hour and a deadline: the calendar is asked once for each.
  const eligibleAt = new Map<number, LocalDate[]>();
  const deadlines = new Map<LocalDate, Deadline>();
  const suffixes = new Map<LocalDate, Map<ReminderKind, string>>();

  for (let i = 0; i < all.length; i++) {
    const s = all[i]!;
    const rules = rulesOf(s.unitId);
    let eligible = eligibleAt.get(rules.remindHour);
    if (!eligible) {
      eligible = days.filter((d) => cal.isWorkday(d) && (d < today || nowMinutes >= rules.remindHour * 60));
      eligibleAt.set(rules.remindHour, eligible);
    }
    if (eligible.length === 0) continue;
    let deadline = deadlines.get(s.due);
    if (!deadline) {
      deadline = { onDue: cal.workdayOnOrBefore(s.due), before: new Map(), late: new Map() };
      deadlines.set(s.due, deadline);
    }
    const { onDue } = deadline;
    // Counted from the due-day reminder: a weekend/holiday deadline still gets N working days' notice
    // (counted from the deadline itself, N = 1 would land on the due-day reminder and be lost).
    let before: LocalDate | undefined;
    if (rules.daysBefore > 0) {
      before = deadline.before.get(rules.daysBefore);
      if (!before) deadline.before.set(rules.daysBefore, (before = cal.addWorkdays(onDue, -rules.daysBefore)));
    }
    const subjectSnoozes = snoozesBySubject.get(s.subject);
    // Only the latest reminder of the days is sent; the supervisor is told as of the first day late enough.
    let day: LocalDate | undefined;
    let kind: ReminderKind | undefined;
    let snoozedBy: number[] | undefined;
    let late: number | undefined;
    let supervisorLate: number | undefined;
    for (const d of eligible) {
      let k: ReminderKind | undefined;
      if (d > s.due) k = 'overdue';
      else if (d === onDue) k = 'due';
      else if (d === before) k = 'before';
      const by = subjectSnoozes && d <= s.due ? subjectSnoozes.filter((z) => z.until === d).map((z) => z.personId) : undefined;
      if (!k && !by?.length) continue;
      day = d;
      kind = k;
      snoozedBy = by;
      late = undefined;
      if (k === 'overdue' && s.step === ITEM_STEP) {
        late = deadline.late.get(d);
        if (late === undefined) deadline.late.set(d, (late = cal.workdaysBetween(s.due, d)));
        if (late >= rules.escalateSupervisor && supervisorLate === undefined) supervisorLate = late;
      }
    }
    if (day === undefined) continue;
    // The subject becomes its reminder (subjects live only for this call).
    const r: Reminder = s;
    r.kind = kind ?? 'snoozed';
    r.remindOn = day;
    let suffix = suffixes.get(day)?.get(r.kind);
    if (!suffix) {
      if (!suffixes.has(day)) suffixes.set(day, new Map());
      suffixes.get(day)!.set(r.kind, (suffix = `:${r.kind}:${day}`));
    }
    r.key = s.subject + suffix; // `<subject>:<kind>:<day>`, the `:<kind>:<day>` shared by every reminder of that kind and day
    if (!kind) {
      r.personIds = snoozedBy ?? [];
      r.roles = NO_ROLES as Role[];
    }
    if (late !== undefined) {
      r.overdueWorkdays = late;
      if (late >= rules.escalatePrincipal && !r.roles.includes('principal')) r.roles = r.roles.length ? [...r.roles, 'principal'] : PRINCIPAL;
    }
    if (!sent?.has(r.key)) out.push(r);
    if (supervisorLate !== undefined) {
      const key = supervisorKey(s.subject, s.due);
      // The same people as the reminder (lists are never changed once planned), and the supervisor.
      if (!sent?.has(key)) out.push({ ...r, key, kind: 'supervisor', roles: SUPERVISOR, overdueWorkdays: supervisorLate });
    }
  }
  return out;
}

/**
 * Whether `/稍后` may move a reminder to `until` (the working day after `today`): never an overdue
 * reminder or an escalation, and never past the deadline. The digest offers it on the same terms.
 */
export function mayWait(r: { kind: string; due: LocalDate }, today: LocalDate, until: LocalDate): boolean {
  return r.kind !== 'overdue' && r.kind !== 'supervisor' && r.due >= today && until <= r.due;
}

/**
 * The key of a subject's one escalation to the supervisor. Unlike the other keys it names the
 * deadline, not the day it went out: it is sent once per deadline, whichever day that was.
 */
export const supervisorKey = (subject: string, due: LocalDate): string => `${subject}:supervisor:${due}`;

/**
 * The deadlines whose due-day or advance reminder falls on one of `days`, for the advance windows
 * given (working days; 0 = none). Mirrors {@link dueReminders}: besides these, only work overdue by
 * the last day and snoozed subjects can be reminded of on those days — so the scheduler reads no other.
 */
export function deadlinesRemindedOn(days: readonly LocalDate[], daysBefore: readonly number[], cal: WorkCalendar): LocalDate[] {
  const windows = [...new Set([0, ...daysBefore.filter((n) => n > 0)])];
  const out = new Set<LocalDate>();
  for (const day of days) {
    if (!cal.isWorkday(day)) continue;
    for (const n of windows) {
      // `day` is the advance reminder of deadlines whose due-day reminder is n working days later
      // (n = 0: `day` is that due day), and a due day serves a deadline on it or on the days off after it.
      const onDue = cal.addWorkdays(day, n);
      out.add(onDue);
      for (let d = addDays(onDue, 1); !cal.isWorkday(d); d = addDays(d, 1)) out.add(d);
    }
  }
  return [...out].sort();
}

