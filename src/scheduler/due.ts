import type { Config } from '../config.js';
import { addDays, type LocalDate } from '../domain/dates.js';
import { obligationRoles, type ObligationStep } from '../domain/obligations.js';
import type { MeetingKind, Role } from '../domain/types.js';
import type { WorkCalendar } from './calendar.js';

/** One row of open work, as the scheduler's query returns it (a meeting obligation or an item owner). */
export interface WorkRow {
  source: 'step' | 'item';
  refId: number;
  unitId: number;
  step: string;
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
  /** Role holders of the unit also addressed (operator, principal). */
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
}

interface Subject {
  subject: string;
  unitId: number;
  step: string;
  due: LocalDate;
  personIds: number[];
  roles: Role[];
  source: 'step' | 'item';
  meetingKind?: MeetingKind;
  itemNo?: number;
  content?: string;
}

/** What a row is about: `item:<itemId>`, or `step:<meetingId>:<step>[:<personId>]` (the reminder keys' first part). */
export function subjectOf(r: Pick<WorkRow, 'source' | 'refId' | 'step' | 'personId'>): string {
  return r.source === 'item' ? `item:${r.refId}` : `step:${r.refId}:${r.step}${r.personId !== null ? `:${r.personId}` : ''}`;
}

function subjects(rows: readonly WorkRow[]): Subject[] {
  const bySubject = new Map<string, Subject>();
  for (const r of rows) {
    const subject = subjectOf(r);
    let s = bySubject.get(subject);
    if (!s) {
      const kind = (r.kind ?? undefined) as MeetingKind | undefined;
      s = { subject, unitId: r.unitId, step: r.step, due: r.due, personIds: [], roles: [], source: r.source };
      if (r.source === 'step') s.roles = r.personId === null ? obligationRoles(kind ?? 'democratic_life', r.step as ObligationStep) : [];
      if (kind) s.meetingKind = kind;
      if (r.itemNo !== null) s.itemNo = r.itemNo;
      if (r.content !== null) s.content = r.content;
      bySubject.set(subject, s);
    }
    if (r.personId !== null && !s.personIds.includes(r.personId)) s.personIds.push(r.personId);
  }
  return [...bySubject.values()];
}

/**
 * Which reminders are due, for the given days (pure). Per subject: an advance reminder N working
 * days before the deadline, one on the deadline (the working day before, when the deadline is a
 * holiday), then one every working day while overdue. After a restart, missed days are caught up
 * with the latest reminder of each subject only. Overdue items also tell the principal after
 * `escalatePrincipal` working days, and the supervisor's chat once after `escalateSupervisor`.
 */
export function dueReminders(input: DueInput): Reminder[] {
  const { calendar: cal } = input;
  const out: Reminder[] = [];
  const snoozesBySubject = new Map<string, Snooze[]>();
  for (const s of input.snoozes ?? []) snoozesBySubject.set(s.subject, [...(snoozesBySubject.get(s.subject) ?? []), s]);
  // Many subjects share a reminder hour and a deadline: the calendar is asked once for each.
  const eligibleAt = new Map<number, LocalDate[]>();
  const deadlines = new Map<LocalDate, { onDue: LocalDate; before: Map<number, LocalDate>; late: Map<LocalDate, number> }>();

  for (const s of subjects(input.rows)) {
    const rules = input.rules(s.unitId);
    let eligible = eligibleAt.get(rules.remindHour);
    if (!eligible) {
      eligible = input.days.filter((d) => cal.isWorkday(d) && (d < input.today || input.nowMinutes >= rules.remindHour * 60));
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
    let latest: { day: LocalDate; kind: ReminderKind | undefined; snoozedBy: number[]; late?: number } | undefined;
    let supervisor: { day: LocalDate; late: number } | undefined;
    for (const day of eligible) {
      let kind: ReminderKind | undefined;
      if (day > s.due) kind = 'overdue';
      else if (day === onDue) kind = 'due';
      else if (day === before) kind = 'before';
      const snoozedBy = subjectSnoozes?.filter((z) => z.until === day && day <= s.due).map((z) => z.personId) ?? [];
      if (!kind && snoozedBy.length === 0) continue;
      latest = { day, kind, snoozedBy };
      if (kind === 'overdue' && s.source === 'item') {
        let late = deadline.late.get(day);
        if (late === undefined) deadline.late.set(day, (late = cal.workdaysBetween(s.due, day)));
        latest.late = late;
        if (late >= rules.escalateSupervisor && !supervisor) supervisor = { day, late };
      }
    }
    if (!latest) continue;
    // The subject's own arrays go to its one reminder (subjects live only for this call).
    const r = reminderOf(s, latest.day, latest.kind ?? 'snoozed', latest.kind ? s.personIds : latest.snoozedBy, latest.kind ? s.roles : []);
    if (latest.late !== undefined) {
      r.overdueWorkdays = latest.late;
      if (latest.late >= rules.escalatePrincipal && !r.roles.includes('principal')) r.roles.push('principal');
    }
    out.push(r);
    if (supervisor) {
      const escalation = reminderOf(s, latest.day, 'supervisor', [...s.personIds], ['supervisor']);
      escalation.key = supervisorKey(s.subject, s.due);
      escalation.overdueWorkdays = supervisor.late;
      out.push(escalation);
    }
  }
  return out;
}

function reminderOf(s: Subject, day: LocalDate, kind: ReminderKind, personIds: number[], roles: Role[]): Reminder {
  const r: Reminder = { key: `${s.subject}:${kind}:${day}`, subject: s.subject, unitId: s.unitId, kind, remindOn: day, due: s.due, step: s.step, personIds, roles };
  if (s.meetingKind) r.meetingKind = s.meetingKind;
  if (s.itemNo !== undefined) r.itemNo = s.itemNo;
  if (s.content !== undefined) r.content = s.content;
  return r;
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

