import { addDays, daysBetween, type LocalDate } from './dates.js';
import { userError } from './errors.js';
import { absenteeGaps, type LeaveFacts } from './leave.js';
import { countItems, type ItemCounts, type ItemFacts } from './rectification.js';
import { ARCHIVE_MATERIALS, KIND_RULES, offsetOf, type OffsetOverrides, type StepRule } from './rules.js';
import { talkCoverage, type TalkCoverage } from './talks.js';
import type { Meeting, MeetingPhase, Member, Role, Stage, StepId, StepStatus } from './types.js';

/** How many calendar days ahead a deadline counts as "due soon" in /进度. */
export const DUE_SOON_DAYS = 3;

/** Meetings are annual: a date further ahead than this is taken for a typo (2099 for 2029). */
export const MAX_MEETING_AHEAD_DAYS = 2 * 365;

function assertNotTooFar(date: LocalDate, today: LocalDate): void {
  if (daysBetween(today, date) > MAX_MEETING_AHEAD_DAYS) throw userError('meeting.dateTooFar', { date });
}

export function assertMayCreateMeeting(date: LocalDate, today: LocalDate, openMeeting: Meeting | undefined): void {
  if (date < today) throw userError('meeting.dateInPast', { date, example: addDays(today, 30) });
  assertNotTooFar(date, today);
  if (openMeeting) throw userError('meeting.alreadyScheduled', { kind: openMeeting.kind, date: openMeeting.date });
}

export function assertMayReschedule(meeting: Meeting, date: LocalDate, today: LocalDate): void {
  if (meeting.status === 'held') throw userError('meeting.alreadyHeld', { date: meeting.heldOn ?? meeting.date });
  if (date < today) throw userError('meeting.rescheduleInPast', { date, example: addDays(today, 30) });
  assertNotTooFar(date, today);
  if (date === meeting.date) throw userError('meeting.sameDate', { date });
}

/**
 * A meeting is marked held on `on`: today, or the day typed when it is recorded afterwards — then it
 * may also be a day before the planned date (held early; the meeting's date becomes that day). Never
 * a day to come, and only once every leave request has been decided: a request left pending would
 * count its member as both present and absent.
 */
export function assertMayHold(meeting: Meeting, on: LocalDate, today: LocalDate, pendingLeave: readonly string[], typed = false): void {
  if (meeting.status === 'held') throw userError('meeting.alreadyHeld', { date: meeting.heldOn ?? meeting.date });
  if (on > today) throw userError('meeting.heldInFuture', { date: on, today });
  if (on < meeting.date && !typed) throw userError('meeting.notYet', { date: meeting.date, today });
  if (pendingLeave.length) throw userError('meeting.leavePending', { names: [...pendingLeave] });
}

/**
 * A new meeting is not arranged while the last one held still owes dated after-meeting steps (报告,
 * 通报, 整改清单, …): the unit's chasing and its supervisor's view follow the current meeting, so a
 * new one would hide them. `owed` are those steps' names.
 */
export function assertPreviousSettled(previous: Meeting | undefined, owed: readonly string[]): void {
  if (previous?.status === 'held' && owed.length) throw userError('meeting.previousOpen', { kind: previous.kind, date: previous.heldOn ?? previous.date, steps: [...owed] });
}

/** Steps of the after-meeting stage are recorded once the meeting has been held. */
export function assertMayRecordStep(meeting: Meeting, rule: StepRule): void {
  if (rule.stage === 'rectify' && meeting.status !== 'held') throw userError('step.afterMeeting', { step: rule.id, kind: meeting.kind });
}

export function assertMayCancel(meeting: Meeting): void {
  if (meeting.status === 'held') throw userError('meeting.alreadyHeld', { date: meeting.heldOn ?? meeting.date });
}

export function dueDate(rule: StepRule, meetingDate: LocalDate, overrides: OffsetOverrides = {}): LocalDate | undefined {
  const offset = offsetOf(rule, overrides);
  return offset === undefined ? undefined : addDays(meetingDate, offset);
}

/** Everything recorded about one meeting, as plain values (the store loads it, the domain judges it). */
export interface MeetingFacts {
  meeting: Meeting;
  overrides?: OffsetOverrides;
  roster: readonly Member[];
  /** Manually recorded steps and the date each was recorded. */
  stepsDone: ReadonlyMap<StepId, LocalDate>;
  talkPairs: ReadonlySet<number>;
  leaves: readonly LeaveFacts[];
  outlines: ReadonlyMap<number, { submitted: boolean; reviewed: boolean }>;
  /** Its rectification items: their status and deadline are what the view counts. */
  items: readonly Pick<ItemFacts, 'status' | 'deadline'>[];
  archived: ReadonlySet<string>;
}

export interface StepView {
  rule: StepRule;
  due?: LocalDate;
  status: StepStatus;
  doneOn?: LocalDate;
  /** People who owe the step now (empty when done). */
  owes: number[];
  /** Progress for derived steps, e.g. "3/5". */
  progress?: { done: number; total: number };
}

export interface MeetingView {
  meeting: Meeting;
  phase: MeetingPhase;
  steps: StepView[];
  coverage: TalkCoverage;
  outlines: { required: number; submitted: number; reviewed: number; missing: number[]; unreviewed: number[] };
  leave: { pending: number; approved: number; rejected: number };
  items: ItemCounts;
  participants: Member[];
}

const holding = (m: Member, roles: readonly Role[]) => {
  for (const r of m.roles) if (roles.includes(r)) return true;
  return false;
};

function statusFor(due: LocalDate | undefined, today: LocalDate): StepStatus {
  if (!due) return 'pending';
  if (due < today) return 'overdue';
  return daysBetween(today, due) <= DUE_SOON_DAYS ? 'due_soon' : 'pending';
}

/**
 * Derives the meeting's phase and every step's status on `today`.
 * @example viewMeeting(facts, '2026-12-10').steps.find((s) => s.rule.id === 'plan')?.status // 'overdue'
 */
export function viewMeeting(facts: MeetingFacts, today: LocalDate): MeetingView {
  const { meeting } = facts;
  const rules = KIND_RULES[meeting.kind];
  const held = meeting.status === 'held';
  // Steps share their role lists (the rules' constants): each list is looked up once.
  const holders = new Map<readonly Role[], number[]>();
  const roleHolders = (roles: readonly Role[]) => {
    let ids = holders.get(roles);
    if (!ids) {
      ids = [];
      for (const m of facts.roster) if (holding(m, roles)) ids.push(m.id);
      holders.set(roles, ids);
    }
    return ids;
  };
  const participants = facts.roster.filter((m) => holding(m, rules.participants));

  const coverage = talkCoverage(meeting.kind, facts.roster, facts.talkPairs);
  const outlineBy = facts.roster.filter((m) => holding(m, rules.outlineBy));
  const outlineOf = (id: number) => facts.outlines.get(id) ?? { submitted: false, reviewed: false };
  const missingOutlines = outlineBy.filter((m) => !outlineOf(m.id).submitted).map((m) => m.id);
  const unreviewed = rules.outlineReview ? outlineBy.filter((m) => outlineOf(m.id).submitted && !outlineOf(m.id).reviewed).map((m) => m.id) : [];
  const submitted = outlineBy.length - missingOutlines.length;
  const reviewed = rules.outlineReview ? outlineBy.filter((m) => outlineOf(m.id).reviewed).length : submitted;
  const leave = {
    pending: facts.leaves.filter((l) => l.status === 'pending').length,
    approved: facts.leaves.filter((l) => l.status === 'approved').length,
    rejected: facts.leaves.filter((l) => l.status === 'rejected').length,
  };
  const gaps = absenteeGaps(facts.leaves, held);
  const approvedIds = facts.leaves.filter((l) => l.status === 'approved').map((l) => l.personId);
  const items = countItems(facts.items, today);
  const principals = roleHolders(['principal']);

  const steps: StepView[] = rules.steps.map((rule) => {
    const due = dueDate(rule, meeting.date, facts.overrides);
    const doneOn = facts.stepsDone.get(rule.id);
    const derived = derive(rule.id);
    const isDone = rule.completion === 'manual' ? doneOn !== undefined : derived.done;
    let status: StepStatus;
    if (isDone) status = 'done';
    else if (rule.optional) status = 'optional';
    else if (rule.id === 'rectify') status = items.overdue > 0 ? 'overdue' : items.dueSoon > 0 ? 'due_soon' : 'pending';
    else status = statusFor(due, today);
    const view: StepView = { rule, status, owes: isDone || rule.optional ? [] : derived.owes ?? roleHolders(rule.owes) };
    if (due) view.due = due;
    if (doneOn) view.doneOn = doneOn;
    if (derived.progress) view.progress = derived.progress;
    return view;
  });

  function derive(id: StepId): { done: boolean; owes?: number[]; progress?: { done: number; total: number } } {
    switch (id) {
      case 'talks': {
        const owes = new Set<number>();
        for (const p of coverage.missing) (owes.add(p.a.id), owes.add(p.b.id));
        return { done: coverage.missing.length === 0, owes: [...owes], progress: { done: coverage.done, total: coverage.required.length } };
      }
      case 'outlines': {
        const owes = [...missingOutlines, ...(unreviewed.length ? principals : [])];
        const total = outlineBy.length;
        return { done: total > 0 && owes.length === 0, owes: [...new Set(owes)], progress: { done: reviewed, total } };
      }
      case 'leave':
        return { done: leave.pending === 0, owes: leave.pending ? principals : [] };
      case 'meeting':
        return { done: held };
      case 'absentees': {
        if (approvedIds.length === 0) return { done: true };
        const owes = [...gaps.noStatement, ...(held && gaps.notRelayed.length ? principals : [])];
        const doneCount = approvedIds.filter((id) => !gaps.noStatement.includes(id) && (held ? !gaps.notRelayed.includes(id) : false)).length;
        return { done: held && owes.length === 0, owes: [...new Set(owes)], progress: { done: doneCount, total: approvedIds.length } };
      }
      case 'rectify':
        // Done when every item is done — or, for a meeting that found nothing to rectify, once the (empty) list is recorded.
        return { done: held && items.open === 0 && (items.total > 0 || facts.stepsDone.has('rectify_list')), progress: { done: items.done, total: items.total } };
      case 'archive':
        return { done: ARCHIVE_MATERIALS.every((m) => facts.archived.has(m)), progress: { done: ARCHIVE_MATERIALS.filter((m) => facts.archived.has(m)).length, total: ARCHIVE_MATERIALS.length } };
      default:
        return { done: false };
    }
  }

  return {
    meeting,
    phase: phaseOf(meeting, steps, today),
    steps,
    coverage,
    outlines: { required: outlineBy.length, submitted, reviewed, missing: missingOutlines, unreviewed },
    leave,
    items,
    participants,
  };
}

/** prepare until the meeting day, hold on/after D until marked held, then rectify until every rectify-stage step is done. */
export function phaseOf(meeting: Meeting, steps: readonly StepView[], today: LocalDate): MeetingPhase {
  if (meeting.status === 'cancelled') return 'cancelled';
  if (meeting.status !== 'held') return today < meeting.date ? 'prepare' : 'hold';
  const open = steps.filter((s) => (s.rule.stage === 'rectify' || s.rule.stage === 'hold') && s.status !== 'done' && s.status !== 'optional');
  return open.length === 0 ? 'completed' : 'rectify';
}

export function stageOf(phase: MeetingPhase): Stage | undefined {
  return phase === 'prepare' || phase === 'hold' || phase === 'rectify' ? phase : undefined;
}
