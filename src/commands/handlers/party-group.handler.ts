import { assertMaySetGroups, isParticipant } from '../../domain/appraisal.js';
import { UserError } from '../../domain/errors.js';
import { clearPartyGroups, hasRunningAppraisal, setPartyGroup } from '../../store/appraisal.repository.js';
import { here, record, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';
import { appraisalScope, groupList, memberByRef } from './appraisal-scope.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

/**
 * /党小组 设置 <组名> @甲 @乙 …: the named group becomes exactly these members (moved out of any
 * other group). 20人以上的支部，可分党小组进行 (武组发〔2017〕129号 附件2 五).
 */
export async function setGroup(cmd: C<'partyGroup.set'>, ctx: Ctx): Promise<Out[]> {
  const s = await appraisalScope(ctx);
  assertMaySetGroups(s.participants.length, await hasRunningAppraisal(ctx.db, s.unit.id));
  const members = cmd.who.map((ref) => memberByRef(s.roster, ref));
  const outsider = members.find((m) => !isParticipant(m));
  if (outsider) throw new UserError('partyGroup.notParticipant', { name: outsider.name });
  const unique = [...new Map(members.map((m) => [m.id, m])).values()];
  const moved = unique.filter((m) => s.groups.has(m.id) && s.groups.get(m.id) !== cmd.name).map((m) => m.name);
  await setPartyGroup(ctx.db, s.unit.id, cmd.name, unique.map((m) => m.id), ctx.now);
  await record(ctx, 'partyGroup.set', 'unit', s.unit.id, { group: cmd.name, size: unique.length });
  return [here('partyGroup.set', { name: cmd.name, names: unique.map((m) => m.name), moved })];
}

export async function listGroups(_cmd: C<'partyGroup.list'>, ctx: Ctx): Promise<Out[]> {
  const s = await appraisalScope(ctx);
  const groups = groupList(s.groups, s.roster);
  const ungrouped = groups.length ? s.participants.filter((m) => !s.groups.has(m.id)).map((m) => m.name) : [];
  return [here('partyGroup.list', { groups, ungrouped })];
}

export async function clearGroups(_cmd: C<'partyGroup.clear'>, ctx: Ctx): Promise<Out[]> {
  const s = await appraisalScope(ctx);
  if (await hasRunningAppraisal(ctx.db, s.unit.id)) throw new UserError('partyGroup.locked', {});
  const count = await clearPartyGroups(ctx.db, s.unit.id);
  if (count) await record(ctx, 'partyGroup.clear', 'unit', s.unit.id, { removed: count });
  return [here('partyGroup.cleared', { count })];
}
