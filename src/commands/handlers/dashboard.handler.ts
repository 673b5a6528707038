import { UserError } from '../../domain/errors.js';
import { audit } from '../../store/audit.repository.js';
import { dashboardRoles } from '../../store/dashboard.repository.js';
import { issueLink } from '../../web/links.js';
import { here, privately, requireActor, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

/**
 * /看板: a single-use sign-in link to the web dashboard, valid for a few minutes and bound to the
 * sender — always in a private message, never in a group (the group hears only that it was sent).
 * Only a 上级, 联络员 or 主要负责人 gets one: nobody else has anything to see there.
 */
export async function dashboardLink(_cmd: C<'dashboard.link'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const base = ctx.dashboard?.base;
  if (!ctx.dashboard || !base) throw new UserError('dashboard.off', {});
  if ((await dashboardRoles(ctx.db, actor.id)).length === 0) throw new UserError('dashboard.noScope', {});
  const url = await issueLink(ctx.db, actor.id, new Date(ctx.now), { ...ctx.dashboard, base });
  // Traceable without the token; no unit: asking for a link is no activity of a unit.
  await audit(ctx.db, ctx.now, { actorId: actor.id, unitId: null, chat: ctx.chatRef, action: 'dashboard.link', entity: 'person', entityId: actor.id });
  const link = privately(actor, 'dashboard.link', { url, minutes: ctx.dashboard.linkMinutes });
  if (ctx.msg.chatType === 'private') return [link];
  return [link, here('dashboard.sentPrivately', { name: actor.name })];
}
