import { UserError } from '../../domain/errors.js';
import { viewMeeting, dueDate } from '../../domain/meeting.js';
import { itemState } from '../../domain/rectification.js';
import { ARCHIVE_MATERIALS, offsetsFor, stepRule } from '../../domain/rules.js';
import { paperStepId } from '../../domain/summary.js';
import type { Meeting } from '../../domain/types.js';
import { loadMeetingFacts } from '../../store/facts.js';
import { itemsOfUnit, type Item } from '../../store/item.repository.js';
import { markArchived, previousMeeting } from '../../store/meeting.repository.js';
import { archiveRecords, stepRecords } from '../../store/supervision.repository.js';
import type { Unit } from '../../store/unit.repository.js';
import type { DraftAbsentee, DraftItem } from '../../text/supervision.js';
import { here, record, requireActor, requireUnit, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';
import { requireMeeting } from './meeting.handler.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

function draftItems(items: readonly Item[], meetingId: number, today: string): DraftItem[] {
  return items.filter((i) => i.meetingId === meetingId).map((i) => ({
    no: i.no, content: i.content, owners: i.owners.map((o) => o.name), deadline: i.deadline, state: itemState(i, today), kind: i.kind,
  }));
}

/** Who was expected, who came, and each absentee's statement/relay flags (never a leave reason). */
async function attendance(ctx: Ctx, unit: Unit, meeting: Meeting): Promise<{ expected: number; attendees: string[]; absentees: DraftAbsentee[] }> {
  const facts = await loadMeetingFacts(ctx.db, meeting, await ctx.roster(), offsetsFor(unit.settings, meeting.kind));
  const view = viewMeeting(facts, ctx.today);
  const approved = new Map(facts.leaves.filter((l) => l.status === 'approved').map((l) => [l.personId, l]));
  const absentees = view.participants.filter((p) => approved.has(p.id)).map((p) => {
    const l = approved.get(p.id)!;
    return { name: p.name, statement: l.statementOn !== null, relayed: l.relayedOn !== null };
  });
  return { expected: view.participants.length, attendees: view.participants.filter((p) => !approved.has(p.id)).map((p) => p.name), absentees };
}

/**
 * /报告 草稿: the 会议情况报告 from what was recorded — 征求意见情况, 开展批评和自我批评情况,
 * 主要问题及整改措施 (武组发〔2017〕129号 三、2). Records only that criticism took place.
 */
export async function reportDraft(_cmd: C<'paper.report'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const meeting = await requireMeeting(ctx);
  const steps = await stepRecords(ctx.db, meeting.id);
  const { expected, attendees, absentees } = await attendance(ctx, unit, meeting);
  const items = draftItems(await itemsOfUnit(ctx.db, unit.id), meeting.id, ctx.today);
  const reportRule = stepRule(meeting.kind, paperStepId(meeting.kind, 'report'));
  const reportDue = reportRule ? dueDate(reportRule, meeting.date, offsetsFor(unit.settings, meeting.kind)) : undefined;
  return [here('paper.reportDraft', {
    unit: unit.name, kind: meeting.kind, date: meeting.date, topic: meeting.topic, today: ctx.today,
    opinions: steps.get('opinions'),
    held: meeting.status === 'held', heldOn: meeting.heldOn, expected, present: attendees.length, absentees,
    items, reportDue,
  })];
}

/**
 * /通报 草稿: time, attendees, topic, main problems, rectification plan, and how the previous
 * meeting's plan was carried out (武组发〔2017〕129号 三、3).
 */
export async function informDraft(_cmd: C<'paper.inform'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const meeting = await requireMeeting(ctx);
  const { attendees, absentees } = await attendance(ctx, unit, meeting);
  const all = await itemsOfUnit(ctx.db, unit.id);
  const prev = await previousMeeting(ctx.db, meeting);
  return [here('paper.informDraft', {
    unit: unit.name, kind: meeting.kind, date: meeting.date, topic: meeting.topic, today: ctx.today,
    held: meeting.status === 'held', heldOn: meeting.heldOn, attendees, absent: absentees.length,
    items: draftItems(all, meeting.id, ctx.today),
    previous: prev ? { date: prev.heldOn ?? prev.date, items: draftItems(all, prev.id, ctx.today) } : undefined,
  })];
}

async function archiveMeeting(ctx: Ctx): Promise<Meeting> {
  const meeting = await requireMeeting(ctx);
  if (!stepRule(meeting.kind, 'archive')) throw new UserError('archive.notApplicable', { kind: meeting.kind });
  return meeting;
}

async function checklist(ctx: Ctx, meeting: Meeting): Promise<Out> {
  const done = await archiveRecords(ctx.db, meeting.id);
  return here('archive.checklist', { rows: ARCHIVE_MATERIALS.map((m) => ({ material: m, doneOn: done.get(m) })), today: ctx.today });
}

/** /归档: the 7 materials of 归卷存档 (武组发〔2017〕129号 三、6) with ticks. */
export async function showArchive(_cmd: C<'archive.show'>, ctx: Ctx): Promise<Out[]> {
  return [await checklist(ctx, await archiveMeeting(ctx))];
}

/** /归档 <材料> 已归档: ticks one material; the `archive` step of /进度 follows. */
export async function markArchive(cmd: C<'archive.mark'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const meeting = await archiveMeeting(ctx);
  if (!(await markArchived(ctx.db, meeting.id, cmd.material, ctx.today, actor.id))) {
    const on = (await archiveRecords(ctx.db, meeting.id)).get(cmd.material) ?? ctx.today;
    throw new UserError('archive.already', { material: cmd.material, on });
  }
  await record(ctx, 'archive.mark', 'meeting', meeting.id, { material: cmd.material });
  return [here('archive.marked', { material: cmd.material }), await checklist(ctx, meeting)];
}
