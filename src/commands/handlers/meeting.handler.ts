import { daysBetween } from '../../domain/dates.js';
import { UserError } from '../../domain/errors.js';
import { assertMayCancel, assertMayCreateMeeting, assertMayHold, assertMayRecordStep, assertMayReschedule, assertPreviousSettled, dueDate, viewMeeting, type MeetingView } from '../../domain/meeting.js';
import { openObligations } from '../../domain/obligations.js';
import { KIND_RULES, offsetsFor, stepRule, themeFor, type OffsetOverrides, type StepRule } from '../../domain/rules.js';
import type { Meeting, MeetingKind, StepId } from '../../domain/types.js';
import { loadMeetingFacts } from '../../store/facts.js';
import { createMeeting, currentMeeting, recordStep, scheduledMeeting, unrecordStep, updateMeeting } from '../../store/meeting.repository.js';
import type { Unit } from '../../store/unit.repository.js';
import { announce, here, record, requireActor, requireUnit, type Ctx, type Out } from '../context.js';
import { trafficLight } from '../../domain/light.js';
import type { Command } from '../types.js';
import type { ProgressStepLine } from '../../text/messages.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

export const offsetsOf = (unit: Unit, kind: MeetingKind): OffsetOverrides => offsetsFor(unit.settings, kind);

export async function requireMeeting(ctx: Ctx): Promise<Meeting> {
  const unit = requireUnit(ctx);
  const meeting = await currentMeeting(ctx.db, unit.id);
  if (!meeting) throw new UserError('meeting.none', {});
  return meeting;
}

const DATED_STEPS: StepId[] = ['plan', 'notice', 'report', 'filing'];

function keyDeadlines(meeting: Pick<Meeting, 'kind' | 'date'>, unit: Unit): Array<{ step: StepId; due: string }> {
  return KIND_RULES[meeting.kind].steps
    .filter((s) => DATED_STEPS.includes(s.id) && !s.optional)
    .map((s) => ({ step: s.id, due: dueDate(s, meeting.date, offsetsOf(unit, meeting.kind))! }));
}

export async function createMeetingCmd(cmd: C<'meeting.create'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  assertMayCreateMeeting(cmd.date, ctx.today, await scheduledMeeting(ctx.db, unit.id));
  const previous = await currentMeeting(ctx.db, unit.id);
  if (previous?.status === 'held') {
    const facts = await loadMeetingFacts(ctx.db, previous, await ctx.roster(), offsetsOf(unit, previous.kind));
    assertPreviousSettled(previous, [...new Set(openObligations(viewMeeting(facts, ctx.today), facts).map((o) => o.step))]);
  }
  const topic = cmd.topic ?? themeFor(unit.settings, cmd.meetingKind) ?? null;
  const meeting = await createMeeting(ctx.db, { unitId: unit.id, kind: cmd.meetingKind, date: cmd.date, topic }, ctx.now);
  if (topic) await recordStep(ctx.db, meeting.id, 'topic', ctx.today, requireActor(ctx).id, null, ctx.now);
  await record(ctx, 'meeting.create', 'meeting', meeting.id, { kind: cmd.meetingKind, date: cmd.date });
  return announce(ctx, 'meeting.created', { unit: unit.name, kind: meeting.kind, date: meeting.date, topic: topic ?? undefined, deadlines: keyDeadlines(meeting, unit), today: ctx.today, dayOff: !ctx.calendar.isWorkday(meeting.date) });
}

async function requireScheduled(ctx: Ctx): Promise<Meeting> {
  const unit = requireUnit(ctx);
  const meeting = (await scheduledMeeting(ctx.db, unit.id)) ?? (await currentMeeting(ctx.db, unit.id));
  if (!meeting) throw new UserError('meeting.none', {});
  return meeting;
}

export async function rescheduleMeeting(cmd: C<'meeting.reschedule'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const meeting = await requireScheduled(ctx);
  assertMayReschedule(meeting, cmd.date, ctx.today);
  await updateMeeting(ctx.db, meeting.id, { date: cmd.date }, ctx.now);
  await record(ctx, 'meeting.reschedule', 'meeting', meeting.id, { from: meeting.date, to: cmd.date });
  return announce(ctx, 'meeting.rescheduled', { kind: meeting.kind, from: meeting.date, to: cmd.date, deadlines: keyDeadlines({ kind: meeting.kind, date: cmd.date }, unit), today: ctx.today, dayOff: !ctx.calendar.isWorkday(cmd.date) });
}

export async function cancelMeeting(cmd: C<'meeting.cancel'>, ctx: Ctx): Promise<Out[]> {
  const meeting = await requireScheduled(ctx);
  assertMayCancel(meeting);
  await updateMeeting(ctx.db, meeting.id, { status: 'cancelled', cancel_reason: cmd.reason ?? null }, ctx.now);
  await record(ctx, 'meeting.cancel', 'meeting', meeting.id, {});
  return announce(ctx, 'meeting.cancelled', { kind: meeting.kind, date: meeting.date });
}

export async function holdMeeting(cmd: C<'meeting.hold'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const meeting = await requireScheduled(ctx);
  const on = cmd.date ?? ctx.today;
  const roster = await ctx.roster();
  const facts = await loadMeetingFacts(ctx.db, meeting, roster, offsetsOf(unit, meeting.kind));
  const nameOf = new Map(roster.map((m) => [m.id, m.name]));
  assertMayHold(meeting, on, ctx.today, facts.leaves.filter((l) => l.status === 'pending').map((l) => nameOf.get(l.personId) ?? ''), cmd.date !== undefined);
  const view = viewMeeting(facts, ctx.today);
  const absentIds = new Set(facts.leaves.filter((l) => l.status === 'approved').map((l) => l.personId));
  const absentees = view.participants.filter((p) => absentIds.has(p.id)).map((p) => p.name);
  // Held before the planned day: that day is the meeting's date (the deadlines after it count from it).
  await updateMeeting(ctx.db, meeting.id, on < meeting.date ? { status: 'held', held_on: on, date: on } : { status: 'held', held_on: on }, ctx.now);
  await record(ctx, 'meeting.hold', 'meeting', meeting.id, { on, attendees: view.participants.length - absentees.length, absentees: absentees.length });
  return announce(ctx, 'meeting.held', { kind: meeting.kind, date: on, attendees: view.participants.length - absentees.length, absentees });
}

export async function setTopic(cmd: C<'meeting.topic'>, ctx: Ctx): Promise<Out[]> {
  const meeting = await requireScheduled(ctx);
  await updateMeeting(ctx.db, meeting.id, { topic: cmd.topic }, ctx.now);
  await recordStep(ctx.db, meeting.id, 'topic', ctx.today, requireActor(ctx).id, null, ctx.now);
  await record(ctx, 'meeting.topic', 'meeting', meeting.id, {});
  return [here('meeting.topicSet', { topic: cmd.topic })];
}

/** The rule of a step recorded by hand with /完成 (a step of another kind, or one the bot counts itself, is refused). */
function manualStep(meeting: Meeting, step: StepId): StepRule {
  const rule = stepRule(meeting.kind, step);
  if (!rule) throw new UserError('step.notInKind', { step, kind: meeting.kind });
  if (rule.completion === 'derived') throw new UserError('step.derived', { step, kind: meeting.kind });
  return rule;
}

export async function completeStep(cmd: C<'step.done'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const meeting = await requireMeeting(ctx);
  const rule = manualStep(meeting, cmd.step);
  assertMayRecordStep(meeting, rule);
  const actor = requireActor(ctx);
  const fresh = await recordStep(ctx.db, meeting.id, cmd.step, ctx.today, actor.id, cmd.note ?? null, ctx.now);
  if (!fresh) {
    const row = await ctx.db.selectFrom('step_record').select('done_on').where('meeting_id', '=', meeting.id).where('step', '=', cmd.step).executeTakeFirstOrThrow();
    throw new UserError('step.alreadyDone', { step: cmd.step, kind: meeting.kind, on: row.done_on });
  }
  const due = dueDate(rule, meeting.date, offsetsOf(unit, meeting.kind));
  const late = due ? Math.max(0, daysBetween(due, ctx.today)) : 0;
  await record(ctx, 'step.done', 'meeting', meeting.id, { step: cmd.step, late });
  return [here('step.done', { step: cmd.step, kind: meeting.kind, by: actor.name, due, late })];
}

/** /完成 撤销 <环节>: a manual step recorded by mistake is open again (its deadline and reminders come back). */
export async function undoStep(cmd: C<'step.undo'>, ctx: Ctx): Promise<Out[]> {
  const meeting = await requireMeeting(ctx);
  manualStep(meeting, cmd.step);
  if (!(await unrecordStep(ctx.db, meeting.id, cmd.step))) throw new UserError('step.notRecorded', { step: cmd.step, kind: meeting.kind });
  await record(ctx, 'step.undo', 'meeting', meeting.id, { step: cmd.step });
  return announce(ctx, 'step.undone', { step: cmd.step, kind: meeting.kind, by: requireActor(ctx).name });
}

export async function meetingView(ctx: Ctx, meeting: Meeting): Promise<MeetingView> {
  const unit = requireUnit(ctx);
  const facts = await loadMeetingFacts(ctx.db, meeting, await ctx.roster(), offsetsOf(unit, meeting.kind));
  return viewMeeting(facts, ctx.today);
}

export async function progress(_cmd: C<'progress'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const meeting = await requireMeeting(ctx);
  const view = await meetingView(ctx, meeting);
  const roster = await ctx.roster();
  const nameOf = (id: number) => roster.find((m) => m.id === id)?.name ?? ''; // a roster is a few dozen at most
  const steps: ProgressStepLine[] = [];
  for (const s of view.steps) {
    if (s.rule.id === 'absentees' && view.leave.approved === 0) continue;
    const step: ProgressStepLine = { step: s.rule.id, status: s.status, owes: s.owes.map(nameOf) };
    if (s.due) step.due = s.due;
    if (s.doneOn) step.doneOn = s.doneOn;
    if (s.progress) step.progress = s.progress;
    steps.push(step);
  }
  return [
    here('progress.view', {
      unit: unit.name,
      kind: meeting.kind,
      date: meeting.date,
      topic: meeting.topic,
      phase: view.phase,
      today: ctx.today,
      light: trafficLight(view),
      steps,
      coverage: { done: view.coverage.done, total: view.coverage.required.length, percent: view.coverage.percent, missing: view.coverage.missing.map((p) => `${p.a.name}—${p.b.name}`) },
      outlines: { required: view.outlines.required, submitted: view.outlines.submitted, reviewed: view.outlines.reviewed, review: KIND_RULES[meeting.kind].outlineReview },
      leave: { pending: view.leave.pending, approved: view.leave.approved },
      items: { open: view.items.open, overdue: view.items.overdue, done: view.items.done, extended: view.items.extended },
    }),
  ];
}
