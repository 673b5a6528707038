import { UserError } from '../../domain/errors.js';
import { ROLES, type Role } from '../../domain/types.js';
import { addRole, confirmIdentities, findIdentity, holdersOf, linkIdentity, pendingClaims, removeMember, removeRole } from '../../store/person.repository.js';
import { findOrCreatePerson, here, privately, record, requireActor, requireUnit, resolveMember, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';
import { ballotsForNewMembers } from './appraisal.handler.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

export async function addMember(cmd: C<'member.add'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const added: string[] = [];
  const already: string[] = [];
  const admitted: string[] = [];
  const newIds: number[] = [];
  for (const ref of cmd.who) {
    const person = await findOrCreatePerson(ctx, ref);
    if (await addRole(ctx.db, unit.id, person.id, cmd.role, ctx.now)) {
      newIds.push(person.id);
      // 转正: a probationary member made a full member is one no longer (one person is never both).
      if (cmd.role === 'party_member' && (await removeRole(ctx.db, unit.id, person.id, 'probationary'))) admitted.push(person.name);
      else added.push(person.name);
      await record(ctx, 'member.add', 'person', person.id, { role: cmd.role });
    } else already.push(person.name);
  }
  const out: Out[] = [];
  if (added.length) out.push(here('member.added', { names: added, role: cmd.role }));
  if (admitted.length) out.push(here('member.admitted', { names: admitted }));
  out.push(...(await ballotsForNewMembers(ctx, newIds)));
  if (already.length) out.push(here('member.alreadyHas', { names: already, role: cmd.role }));
  return out;
}

export async function removeMembers(cmd: C<'member.remove'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const roster = await ctx.roster();
  const operators = roster.filter((m) => m.roles.includes('operator')).map((m) => m.id);
  const removed: string[] = [];
  if (cmd.role) return removeRoleOf(cmd.who, cmd.role, ctx, operators);
  for (const ref of cmd.who) {
    const member = await resolveMember(ctx, ref);
    const remainingOperators = operators.filter((id) => id !== member.id);
    if (operators.includes(member.id) && remainingOperators.length === 0) throw new UserError('member.lastOperator', {});
    operators.splice(0, operators.length, ...remainingOperators);
    await removeMember(ctx.db, unit.id, member.id);
    await record(ctx, 'member.remove', 'person', member.id, { roles: member.roles });
    removed.push(member.name);
  }
  return [here('member.removed', { names: removed })];
}

async function removeRoleOf(who: C<'member.remove'>['who'], role: Role, ctx: Ctx, operators: number[]): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const done: string[] = [];
  const out: Out[] = [];
  for (const ref of who) {
    const member = await resolveMember(ctx, ref);
    if (!member.roles.includes(role)) {
      out.push(here('member.lacksRole', { name: member.name, role }));
      continue;
    }
    if (role === 'operator' && operators.filter((id) => id !== member.id).length === 0) throw new UserError('member.lastOperator', {});
    await removeRole(ctx.db, unit.id, member.id, role);
    await record(ctx, 'member.removeRole', 'person', member.id, { role });
    done.push(member.name);
  }
  return done.length ? [here('member.roleRemoved', { names: done, role }), ...out] : out;
}

export async function listMembers(_cmd: C<'member.list'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const roster = await ctx.roster();
  const groups = ROLES.map((role: Role) => ({ role, names: roster.filter((m) => m.roles.includes(role)).map((m) => m.name) })).filter((g) => g.names.length);
  return [here('member.list', { unit: unit.name, groups })];
}

/** /我是 <姓名>: an unlinked sender claims a roster name; an operator must confirm it. */
export async function claimIdentity(cmd: C<'iam'>, ctx: Ctx): Promise<Out[]> {
  if (ctx.actor) throw new UserError('iam.already', { name: ctx.actor.name });
  // In a private chat there is no unit to claim a name in: the group is where the operator sees it.
  if (!ctx.unit && ctx.msg.chatType === 'private') throw new UserError('iam.inGroup', { name: cmd.name });
  const unit = requireUnit(ctx);
  const member = await resolveMember(ctx, { name: cmd.name });
  const existing = await findIdentity(ctx.db, ctx.platform, ctx.msg.senderId);
  const linked = await ctx.db.selectFrom('identity').select('user_id').where('person_id', '=', member.id).where('platform', '=', ctx.platform).where('confirmed', '=', 1).executeTakeFirst();
  if (linked && linked.user_id !== ctx.msg.senderId) throw new UserError('iam.taken', { name: member.name });
  if (!existing || existing.personId !== member.id) {
    await linkIdentity(ctx.db, member.id, ctx.platform, ctx.msg.senderId, false, ctx.now);
    await record(ctx, 'identity.claim', 'person', member.id, {});
  }
  const operators = await holdersOf(ctx.db, unit.id, 'operator');
  return [here('iam.claimed', { name: member.name }), ...operators.map((o) => privately(o, 'iam.claimedNotify', { name: member.name }))];
}

export async function confirmMember(cmd: C<'member.confirm'>, ctx: Ctx): Promise<Out[]> {
  requireActor(ctx);
  const member = await resolveMember(ctx, cmd.who);
  const claims = await pendingClaims(ctx.db, member.id, ctx.platform);
  if (claims.length === 0) throw new UserError('member.noClaim', { name: member.name });
  await confirmIdentities(ctx.db, member.id, ctx.platform);
  await record(ctx, 'identity.confirm', 'person', member.id, {});
  return [here('member.confirmed', { name: member.name })];
}
