import { daysBetween, type LocalDate } from '../domain/dates.js';
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

function subjects(rows: readonly WorkRow[]): Subject[] {
  const bySubject = new Map<string, Subject>();
  for (const r of rows) {
    const subject = r.source === 'item' ? `item:${r.refId}` : `step:${r.refId}:${r.step}${r.personId !== null ? `:${r.personId}` : ''}`;
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

  for (const s of subjects(input.rows)) {
    const rules = input.rules(s.unitId);
    const eligible = input.days.filter((d) => cal.isWorkday(d) && (d < input.today || input.nowMinutes >= rules.remindHour * 60));
    if (eligible.length === 0) continue;
    const onDue = cal.workdayOnOrBefore(s.due);
    // Counted from the due-day reminder: a weekend/holiday deadline still gets N working days' notice
    // (counted from the deadline itself, N = 1 would land on the due-day reminder and be lost).
    const before = rules.daysBefore > 0 ? cal.addWorkdays(onDue, -rules.daysBefore) : undefined;
    let latest: Reminder | undefined;
    let supervisor: Reminder | undefined;
    for (const day of eligible) {
      let kind: ReminderKind | undefined;
      if (day > s.due) kind = 'overdue';
      else if (day === onDue) kind = 'due';
      else if (day === before) kind = 'before';
      const snoozed = (snoozesBySubject.get(s.subject) ?? []).filter((z) => z.until === day && day <= s.due);
      if (!kind && snoozed.length === 0) continue;
      const r: Reminder = {
        key: `${s.subject}:${kind ?? 'snoozed'}:${day}`,
        subject: s.subject, unitId: s.unitId, kind: kind ?? 'snoozed', remindOn: day, due: s.due, step: s.step,
        personIds: kind ? [...s.personIds] : snoozed.map((z) => z.personId), roles: kind ? [...s.roles] : [],
      };
      if (s.meetingKind) r.meetingKind = s.meetingKind;
      if (s.itemNo !== undefined) r.itemNo = s.itemNo;
      if (s.content !== undefined) r.content = s.content;
      if (kind === 'overdue' && s.source === 'item') {
        const late = cal.workdaysBetween(s.due, day);
        r.overdueWorkdays = late;
        if (late >= rules.escalatePrincipal) r.roles = [...new Set<Role>([...r.roles, 'principal'])];
        if (late >= rules.escalateSupervisor && !supervisor) {
          supervisor = { ...r, key: `${s.subject}:supervisor:${s.due}`, kind: 'supervisor', roles: ['supervisor'], personIds: [...s.personIds] };
        }
      }
      latest = r;
    }
    if (latest) out.push(latest);
    if (supervisor) out.push({ ...supervisor, remindOn: latest?.remindOn ?? supervisor.remindOn });
  }
  return out;
}

/** Calendar days from `today` to the deadline (negative when overdue), for the reminder text. */
export const daysLeft = (today: LocalDate, due: LocalDate): number => daysBetween(today, due);
