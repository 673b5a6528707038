import { UserError } from '../../domain/errors.js';
import { ROLES, type Role } from '../../domain/types.js';
import { addRole, confirmIdentities, findIdentity, holdersOf, linkIdentity, pendingClaims, removeMember, removeRole } from '../../store/person.repository.js';
import { findOrCreatePerson, here, privately, record, requireActor, requireUnit, resolveMember, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';
import { ballotsForNewMembers } from './appraisal.handler.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

export async function addMember(cmd: C<'member.add'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const before = await ctx.roster();
  const added: string[] = [];
  const already: string[] = [];
  const admitted: string[] = [];
  for (const ref of cmd.who) {
    const person = await findOrCreatePerson(ctx, ref);
    // One person is never both 党员 and 预备党员: 转正 goes one way only.
    if (cmd.role === 'probationary' && before.some((m) => m.id === person.id && m.roles.includes('party_member'))) throw new UserError('member.alreadyFull', { name: person.name });
    if (await addRole(ctx.db, unit.id, person.id, cmd.role, ctx.now)) {
      // 转正: a probationary member made a full member is one no longer.
      if (cmd.role === 'party_member' && (await removeRole(ctx.db, unit.id, person.id, 'probationary'))) admitted.push(person.name);
      else added.push(person.name);
      await record(ctx, 'member.add', 'person', person.id, { role: cmd.role });
    } else already.push(person.name);
  }
  const out: Out[] = [];
  if (added.length) out.push(here('member.added', { names: added, role: cmd.role }));
  if (admitted.length) out.push(here('member.admitted', { names: admitted }));
  out.push(...(await ballotsForNewMembers(ctx, before)));
  if (already.length) out.push(here('member.alreadyHas', { names: already, role: cmd.role }));
  return out;
}

/** /成员 移除 @某人 [身份]: the person leaves the roster, or loses that one role (the last one: leaves it). */
export async function removeMembers(cmd: C<'member.remove'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const roster = await ctx.roster();
  const operators = new Set(roster.filter((m) => m.roles.includes('operator')).map((m) => m.id));
  const removed: string[] = [];
  const roleRemoved: string[] = [];
  const out: Out[] = [];
  for (const ref of cmd.who) {
    const member = await resolveMember(ctx, ref);
    if (cmd.role && !member.roles.includes(cmd.role)) {
      out.push(here('member.lacksRole', { name: member.name, role: cmd.role }));
      continue;
    }
    const leaves = !cmd.role || member.roles.length === 1;
    // The unit keeps an operator, however many are named in one command.
    if ((leaves || cmd.role === 'operator') && operators.has(member.id)) {
      if (operators.size === 1) throw new UserError('member.lastOperator', {});
      operators.delete(member.id);
    }
    if (leaves) {
      await removeMember(ctx.db, unit.id, member.id);
      await record(ctx, 'member.remove', 'person', member.id, { roles: member.roles });
      removed.push(member.name);
    } else {
      await removeRole(ctx.db, unit.id, member.id, cmd.role!);
      await record(ctx, 'member.removeRole', 'person', member.id, { role: cmd.role });
      roleRemoved.push(member.name);
    }
  }
  if (roleRemoved.length) out.unshift(here('member.roleRemoved', { names: roleRemoved, role: cmd.role! }));
  if (removed.length) out.unshift(here('member.removed', { names: removed }));
  return out;
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
