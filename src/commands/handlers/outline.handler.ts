import { UserError } from '../../domain/errors.js';
import { KIND_RULES } from '../../domain/rules.js';
import { outlinesOf, upsertOutline } from '../../store/meeting.repository.js';
import { here, record, requireActor, resolveMember, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';
import { requireMeeting } from './meeting.handler.js';
import { isSupervisorOf } from '../../store/person.repository.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

/** /提纲 提交 (self), or an operator registering for someone: /提纲 提交 @某人. */
export async function submitOutline(cmd: C<'outline.submit'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const meeting = await requireMeeting(ctx);
  const rules = KIND_RULES[meeting.kind];
  if (cmd.who && !actor.roles.includes('operator')) throw new UserError('permission.denied', { roles: ['operator'] });
  const person = cmd.who ? await resolveMember(ctx, cmd.who) : { id: actor.id, name: actor.name, roles: actor.roles };
  if (!person.roles.some((r) => rules.outlineBy.includes(r))) throw new UserError('outline.notRequired', { name: person.name, kind: meeting.kind });
  const current = (await outlinesOf(ctx.db, meeting.id)).get(person.id);
  if (current?.submitted) throw new UserError('outline.alreadySubmitted', { name: person.name });
  await upsertOutline(ctx.db, meeting.id, person.id, { submitted_on: ctx.today }, ctx.now);
  await record(ctx, 'outline.submit', 'person', person.id, { meeting: meeting.id });
  const reviewer = !rules.outlineReview ? undefined : person.roles.includes('principal') ? 'supervisor' : 'principal';
  return [here('outline.submitted', { name: person.name, reviewer, kind: meeting.kind })];
}

/** /提纲 审核 @某人: the principal reviews every member's outline; the principal's own, a supervisor. */
export async function reviewOutline(cmd: C<'outline.review'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const meeting = await requireMeeting(ctx);
  if (!KIND_RULES[meeting.kind].outlineReview) throw new UserError('outline.noReview', {});
  const person = await resolveMember(ctx, cmd.who);
  if (!person.roles.some((r) => KIND_RULES[meeting.kind].outlineBy.includes(r))) throw new UserError('outline.notRequired', { name: person.name, kind: meeting.kind });
  const reviewerRole = person.roles.includes('principal') ? 'supervisor' : 'principal';
  const may = reviewerRole === 'principal' ? actor.roles.includes('principal') && person.id !== actor.id : await isSupervisorOf(ctx.db, meeting.unitId, actor.id);
  if (!may) throw new UserError('permission.denied', { roles: [reviewerRole] });
  const current = (await outlinesOf(ctx.db, meeting.id)).get(person.id);
  if (!current?.submitted) throw new UserError('outline.notSubmitted', { name: person.name });
  if (current.reviewed) throw new UserError('outline.alreadyReviewed', { name: person.name });
  await upsertOutline(ctx.db, meeting.id, person.id, { reviewed_on: ctx.today, reviewed_by: actor.id }, ctx.now);
  await record(ctx, 'outline.review', 'person', person.id, { meeting: meeting.id });
  return [here('outline.reviewed', { name: person.name })];
}

export async function outlineStatus(_cmd: C<'outline.status'>, ctx: Ctx): Promise<Out[]> {
  const meeting = await requireMeeting(ctx);
  const rules = KIND_RULES[meeting.kind];
  const roster = await ctx.roster();
  const outlines = await outlinesOf(ctx.db, meeting.id);
  const required = roster.filter((m) => m.roles.some((r) => rules.outlineBy.includes(r)));
  const missing = required.filter((m) => !outlines.get(m.id)?.submitted).map((m) => m.name);
  const unreviewed = rules.outlineReview ? required.filter((m) => outlines.get(m.id)?.submitted && !outlines.get(m.id)?.reviewed).map((m) => m.name) : [];
  const reviewed = rules.outlineReview ? required.filter((m) => outlines.get(m.id)?.reviewed).length : required.length - missing.length;
  return [here('outline.status', { required: required.length, submitted: required.length - missing.length, reviewed, review: rules.outlineReview, missing, unreviewed })];
}
