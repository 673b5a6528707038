import { latencyRow } from '../lib/report.js';
import { sample, WARMUP } from '../lib/stats.js';
import { expectReply, groupMessage, type Measure } from '../lib/context.js';

/**
 * Which unit the i-th command goes to: the warm-up (negative i) goes round the last
 * {@link WARM_UNITS} units again and again, so a longer warm-up compiles the code without
 * reading more of the district; the measured commands then go from the first unit on, and half
 * of them read units that nothing has read before.
 */
const WARM_UNITS = 500;
const unitIndex = (i: number, count: number): number => (i < 0 ? count - 1 - ((-1 - i) % WARM_UNITS) : i % count);

/** /进度 by a unit's principal, a different unit each time. */
export const progress: Measure = {
  name: 'progress',
  async run(ctx) {
    const { units } = ctx.district;
    ctx.floor.take();
    const samples = await sample(ctx.iterations, async (i) => {
      const u = units[unitIndex(i, units.length)]!;
      await expectReply(ctx.app, groupMessage(u.chatId, u.principal.userId, '/进度'), '阶段：');
    }, { between: ctx.between });
    return latencyRow('progress', samples, ctx.floor.take());
  },
};

/** /谈心 @某人 面谈 by a principal with one of the team members. */
export const talk: Measure = {
  name: 'talk',
  async run(ctx) {
    const { units } = ctx.district;
    ctx.floor.take();
    const samples = await sample(ctx.iterations, async (i) => {
      const u = units[i < 0 ? unitIndex(i, units.length) : (i * 7) % units.length]!;
      const member = u.members[Math.abs(i) % u.members.length]!;
      await expectReply(ctx.app, groupMessage(u.chatId, u.principal.userId, `/谈心 @${member.name} 面谈`), '已登记');
    }, { between: ctx.between });
    return latencyRow('talk', samples, ctx.floor.take());
  },
};

/** /整改 完成 <编号> <说明> by the item's owner, a different open item each time. */
export const rectifyComplete: Measure = {
  name: 'rectify_complete',
  async run(ctx) {
    const items = ctx.district.openItems;
    let next = 0;
    const needed = ctx.iterations + Math.min(WARMUP, ctx.iterations);
    if (items.length < needed) throw new Error(`only ${items.length} open items for ${needed} completions`);
    ctx.floor.take();
    const samples = await sample(ctx.iterations, async () => {
      const it = items[next++]!;
      await expectReply(ctx.app, groupMessage(it.chatId, it.ownerUserId, `/整改 完成 ${it.no} 已按要求整改到位`), '已完成');
    }, { between: ctx.between });
    return latencyRow('rectify_complete', samples, ctx.floor.take());
  },
};

export const COMMAND_MEASURES: Measure[] = [progress, talk, rectifyComplete];
