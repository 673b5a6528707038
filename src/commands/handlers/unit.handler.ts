import { UserError } from '../../domain/errors.js';
import { addRole, createPerson, linkIdentity, rolesIn } from '../../store/person.repository.js';
import { bindChat, createUnit, findUnitByName, saveUnitSettings, setUnitParent, unitSubtree, type Unit } from '../../store/unit.repository.js';
import { here, record, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';

type UnitSet = Extract<Command, { kind: 'unit.set' }>;

/**
 * /单位 设置 <名称> [上级 <名称>]: binds this group to a unit (creating it). In a chat not yet bound,
 * the sender becomes the unit's operator; after that only an operator may change the binding.
 */
export async function setUnit(cmd: UnitSet, ctx: Ctx): Promise<Out[]> {
  if (ctx.msg.chatType !== 'group') throw new UserError('unit.notBound', {});
  const admins = ctx.config.ADMIN_USERS;
  if (ctx.unit) {
    if (!ctx.actor?.roles.includes('operator')) throw new UserError('permission.denied', { roles: ['operator'] });
    // A typo must not move a working group to a new, empty unit: rebinding is its own command.
    if (cmd.name !== ctx.unit.name && !cmd.rebind) throw new UserError('unit.renamedNotAllowed', { current: ctx.unit.name, name: cmd.name });
  } else if (admins.length > 0 && !admins.includes(ctx.msg.senderId)) {
    throw new UserError('unit.adminOnly', {});
  }
  const parent = cmd.parent ? await findUnitByName(ctx.db, cmd.parent) : undefined;
  if (cmd.parent && !parent) throw new UserError('unit.parentUnknown', { name: cmd.parent });

  // The sender, created on first use (the bootstrap operator).
  let actor = ctx.actor;
  if (!actor) {
    const name = ctx.msg.senderName ?? ctx.msg.senderId;
    const id = await createPerson(ctx.db, name, ctx.now);
    await linkIdentity(ctx.db, id, ctx.platform, ctx.msg.senderId, true, ctx.now);
    actor = { id, name, roles: [] };
    ctx.actor = actor;
  }

  let unit: Unit | undefined = await findUnitByName(ctx.db, cmd.name);
  let becameOperator = false;
  if (unit) {
    const roles = await rolesIn(ctx.db, unit.id, actor.id);
    if (!roles.includes('operator')) throw new UserError('unit.nameTaken', { name: cmd.name });
  } else {
    unit = await createUnit(ctx.db, cmd.name, null, ctx.now);
    await record(ctx, 'unit.create', 'unit', unit.id, { name: cmd.name });
  }
  if (parent) {
    if (parent.id === unit.id) throw new UserError('unit.parentSelf', {});
    const below = await unitSubtree(ctx.db, unit.id);
    if (below.some((u) => u.id === parent.id)) throw new UserError('unit.parentCycle', { name: parent.name });
    await setUnitParent(ctx.db, unit.id, parent.id);
    // A unit joining the tree after the upper level's /部署 takes the running campaign (its own settings still win).
    if (parent.settings.campaigns && !unit.settings.campaigns) {
      const inherited = { ...unit.settings, campaigns: parent.settings.campaigns, ...(parent.settings.offsets ? { offsets: parent.settings.offsets } : {}), ...(parent.settings.theme ? { theme: parent.settings.theme } : {}) };
      await saveUnitSettings(ctx.db, unit.id, inherited);
      unit = { ...unit, settings: inherited };
    }
  }
  if (await addRole(ctx.db, unit.id, actor.id, 'operator', ctx.now)) becameOperator = true;
  await bindChat(ctx.db, ctx.msg.channel, ctx.msg.chatId, unit.id, ctx.msg.chatTitle ?? null, ctx.now);
  ctx.unit = unit;
  await record(ctx, 'chat.bind', 'unit', unit.id, { parent: parent?.name ?? null });
  return [here('unit.bound', { name: unit.name, parent: parent?.name, operator: becameOperator ? actor.name : undefined })];
}
