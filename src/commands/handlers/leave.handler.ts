import { UserError } from '../../domain/errors.js';
import { assertMayDecideLeave, assertMayRequestLeave, leaveApproverRole } from '../../domain/leave.js';
import { addLeave, leavesNamed, leavesOf, meetingById, updateLeave, type LeaveRow } from '../../store/meeting.repository.js';
import { holdersOf, isSupervisorOf, rolesIn, supervisorsOf } from '../../store/person.repository.js';
import { getUnit } from '../../store/unit.repository.js';
import type { Role } from '../../domain/types.js';
import { textOf } from '../../text/index.js';
import { cardText } from '../../text/cards.js';
import type { Card } from '../../messages.js';
import { actIn, announce, here, privately, record, requireActor, requireUnit, resolveMember, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';
import { requireMeeting } from './meeting.handler.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

/**
 * /请假 <原因>: the reason goes privately to the approver (the principal; for the principal's own
 * leave, the supervisor). The group only learns that a request was made.
 */
export async function requestLeave(cmd: C<'leave.request'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const unit = requireUnit(ctx);
  const meeting = await requireMeeting(ctx);
  const existing = (await leavesOf(ctx.db, meeting.id)).find((l) => l.personId === actor.id);
  assertMayRequestLeave(meeting, ctx.today, actor.roles, cmd.reason, existing);
  const role = leaveApproverRole(actor.roles);
  const approvers = (role === 'principal' ? await holdersOf(ctx.db, unit.id, 'principal') : await supervisorsOf(ctx.db, unit.id)).filter((a) => a.id !== actor.id);
  if (approvers.length === 0) throw new UserError('leave.noApprover', { role });
  const id = await addLeave(ctx.db, meeting.id, actor.id, cmd.reason, ctx.now);
  await record(ctx, 'leave.request', 'leave', id, { meeting: meeting.id });
  const approverNames = approvers.map((a) => a.name);
  const details = { name: actor.name, reason: cmd.reason, kind: meeting.kind, date: meeting.date, unit: unit.name };
  // The reason is on the approver's private card only; the buttons run /批准 and /驳回 as typed.
  const subject = `leave:${id}`;
  const card: Card = {
    subject, title: cardText.leaveTitle({ name: actor.name }), lines: cardText.leaveLines(details),
    buttons: [
      { label: cardText.approve(), command: `/批准 @${actor.name}`, subject, style: 'primary' },
      { label: cardText.reject(), command: `/驳回 @${actor.name}`, ask: cardText.askReason({ name: actor.name }), subject, style: 'danger' },
    ],
  };
  const out: Out[] = approvers.map((a) => ({ ...privately(a, 'leave.requestedPrivate', details), card }));
  if (ctx.msg.chatType === 'group') out.unshift(here('leave.requestedGroup', { name: actor.name, approvers: approverNames }));
  else out.unshift(here('leave.requestedSelf', { approvers: approverNames }));
  return out;
}

async function pendingLeaveOf(ctx: Ctx, who: C<'leave.approve'>['who']): Promise<{ leave: LeaveRow; person: { id: number; name: string; roles: import('../../domain/types.js').Role[] }; meeting: import('../../domain/types.js').Meeting }> {
  if (ctx.msg.chatType === 'private') {
    const supervised = await supervisedRequest(ctx, who.name);
    if (supervised) return supervised;
  }
  const meeting = await requireMeeting(ctx);
  const person = await resolveMember(ctx, who);
  const leave = (await leavesOf(ctx.db, meeting.id)).find((l) => l.personId === person.id && l.status === 'pending');
  if (!leave) throw new UserError('leave.noPending', { name: person.name });
  return { leave, person, meeting };
}

export async function approveLeave(cmd: C<'leave.approve'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const { leave, person, meeting } = await pendingLeaveOf(ctx, cmd.who);
  assertMayDecideLeave(actor.roles, actor.id, person.id, person.roles, meeting);
  await updateLeave(ctx.db, leave.id, { status: 'approved', decided_by: actor.id, decided_at: ctx.now });
  await record(ctx, 'leave.approve', 'leave', leave.id, {});
  return [...announce(ctx, 'leave.approved', { name: person.name, due: meeting.date }), privately(person, 'leave.approvedPrivate', { due: meeting.date })];
}

export async function rejectLeave(cmd: C<'leave.reject'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const { leave, person, meeting } = await pendingLeaveOf(ctx, cmd.who);
  assertMayDecideLeave(actor.roles, actor.id, person.id, person.roles, meeting);
  await updateLeave(ctx.db, leave.id, { status: 'rejected', decided_by: actor.id, decided_at: ctx.now, decision_note: cmd.reason ?? null });
  await record(ctx, 'leave.reject', 'leave', leave.id, {});
  return [...announce(ctx, 'leave.rejected', { name: person.name }), privately(person, 'leave.rejectedPrivate', { reason: cmd.reason })];
}

/**
 * In a private chat, a principal's request that the sender approves as the unit's supervisor: the
 * approval message says `/批准 @王书记`, and the supervisor answers it there, whatever unit the
 * private chat would otherwise be about. The command then acts in that unit (its group is told).
 * A request of that kind decided already (a moment ago on another bot instance, or earlier) gets
 * `leave.noPending`, not a reply about the sender's own unit.
 */
async function supervisedRequest(ctx: Ctx, name: string): Promise<Awaited<ReturnType<typeof pendingLeaveOf>> | undefined> {
  const actor = requireActor(ctx);
  const found: Array<{ personId: number; meetingId: number; unitId: number; roles: Role[] }> = [];
  let decided = false;
  for (const r of await leavesNamed(ctx.db, name)) {
    const roles = await rolesIn(ctx.db, r.unitId, r.personId);
    if (leaveApproverRole(roles) !== 'supervisor' || r.personId === actor.id || !(await isSupervisorOf(ctx.db, r.unitId, actor.id))) continue;
    if (r.pending) found.push({ ...r, roles });
    else decided = true;
  }
  if (found.length === 0 && decided) throw new UserError('leave.noPending', { name });
  if (found.length !== 1) return undefined;
  const f = found[0]!;
  const unit = await getUnit(ctx.db, f.unitId);
  if (!unit) return undefined;
  // The unit's lock before the request is read again: a decision just made on another instance is
  // then seen, and this one is told the request is no longer pending.
  await actIn(ctx, unit);
  const meeting = await meetingById(ctx.db, f.meetingId);
  const leave = meeting && (await leavesOf(ctx.db, meeting.id)).find((l) => l.personId === f.personId && l.status === 'pending');
  if (!meeting || !leave) throw new UserError('leave.noPending', { name });
  actor.roles = [...new Set([...(await rolesIn(ctx.db, unit.id, actor.id)), 'supervisor' as const])];
  return { leave, person: { id: f.personId, name, roles: f.roles }, meeting };
}

/** Reasons are shown only in a private chat; in a group the list carries names and the reasons go privately. */
export async function listLeave(_cmd: C<'leave.list'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const meeting = await requireMeeting(ctx);
  const roster = await ctx.roster();
  const nameOf = new Map(roster.map((m) => [m.id, m.name]));
  const leaves = await leavesOf(ctx.db, meeting.id);
  const statusText = { pending: textOf('leave.status.pending', {}), approved: textOf('leave.status.approved', {}), rejected: textOf('leave.status.rejected', {}) };
  const rows = leaves.map((l) => ({ name: nameOf.get(l.personId) ?? '', status: statusText[l.status], reason: l.reason }));
  // Nobody has asked for leave: nothing to keep private, one plain answer where it was asked.
  if (ctx.msg.chatType === 'private' || rows.length === 0) return [here('leave.list', { rows })];
  return [
    here('leave.listGroup', {
      pending: leaves.filter((l) => l.status === 'pending').map((l) => nameOf.get(l.personId) ?? ''),
      approved: leaves.filter((l) => l.status === 'approved').map((l) => nameOf.get(l.personId) ?? ''),
    }),
    privately(actor, 'leave.list', { rows }),
  ];
}

/** /书面发言 提交 by the absentee, or by an operator or the principal for them (@某人). */
export async function submitStatement(cmd: C<'statement.submit'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const meeting = await requireMeeting(ctx);
  if (cmd.who && !actor.roles.some((r) => r === 'operator' || r === 'principal')) throw new UserError('permission.denied', { roles: ['operator', 'principal'] });
  const person = cmd.who ? await resolveMember(ctx, cmd.who) : { id: actor.id, name: actor.name };
  const leave = (await leavesOf(ctx.db, meeting.id)).find((l) => l.personId === person.id && l.status === 'approved');
  if (!leave) throw new UserError('statement.notAbsent', { name: person.name });
  if (leave.statementOn) throw new UserError('statement.already', { name: person.name });
  await updateLeave(ctx.db, leave.id, { statement_on: ctx.today });
  await record(ctx, 'statement.submit', 'leave', leave.id, {});
  return [here('statement.submitted', { name: person.name })];
}

/** /转告 @某人: after the meeting the principal relays it and the criticism to an absentee. */
export async function relayToAbsentee(cmd: C<'relay'>, ctx: Ctx): Promise<Out[]> {
  const meeting = await requireMeeting(ctx);
  if (meeting.status !== 'held') throw new UserError('relay.notHeld', {});
  const person = await resolveMember(ctx, cmd.who);
  const leave = (await leavesOf(ctx.db, meeting.id)).find((l) => l.personId === person.id && l.status === 'approved');
  if (!leave) throw new UserError('relay.notAbsent', { name: person.name });
  if (leave.relayedOn) throw new UserError('relay.already', { name: person.name });
  await updateLeave(ctx.db, leave.id, { relayed_on: ctx.today });
  await record(ctx, 'relay', 'leave', leave.id, {});
  return [here('relay.done', { name: person.name })];
}
