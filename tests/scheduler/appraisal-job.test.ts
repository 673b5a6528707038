import { afterEach, describe, expect, it } from 'vitest';
import { aBranch, GROUP, OP, SEC, ZHANG, ZHAO } from './fixtures.js';
import { startWorld, tickDays, type World } from './harness.js';

/** A 民主评议 with a closing time is chased in the branch's group, and its end is asked for once it closed. */
let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const appraisalMessages = (w: World) => w.channel.sent.filter((s) => s.message.text.startsWith('【民主评议】'));

describe('appraisal reminders', () => {
  it('names who has not finished on the working day before the close and on the day, then asks for /评议 结束', async () => {
    const w = await startWorld({ at: ['2026-12-14', 10] });
    world = w;
    await aBranch(w, { members: [ZHANG, ZHAO] });
    await w.must(OP, GROUP, '/会议 新建 组织生活会 2026-12-14', '已安排');
    await w.must(OP, GROUP, '/会议 召开', '已记录');
    // Closes Mon 12-21 18:00: the working day before is Fri 12-18.
    await w.must(OP, GROUP, '/评议 开始 截止 2026-12-21 18:00', '民主评议开始');
    const voted = await w.app.handle({ channel: w.channel.name, msgId: 'vote-1', chatType: 'private', chatId: ZHANG, senderId: ZHANG, senderName: ZHANG, text: '/测评 班子 优秀 王书记 合格 赵委员 合格' });
    expect(voted.map((d) => d.message.text).join('')).toContain('已记录（仅您可见）');
    await tickDays(w, '2026-12-15', '2026-12-21', [9, 15]);
    const before = appraisalMessages(w);
    expect(before.map((s) => s.day)).toEqual(['2026-12-18', '2026-12-21']);
    expect(before.every((s) => s.target.kind === 'chat' && s.target.chatId === GROUP)).toBe(true);
    expect(before[0]!.message.text).toBe(`【民主评议】12月21日 18:00截止，还有2人没有测评完：@${SEC} @${ZHAO}。请在与机器人的私聊中发送 /测评 我的 查看要测评的人。`);
    expect(before[0]!.message.mentions.map((m) => m.name).sort()).toEqual([SEC, ZHAO].sort());
    // 18:00 has passed: the secretary and the operator are asked once to end it.
    w.at('2026-12-21', 18, 5);
    await w.tick();
    w.at('2026-12-22', 9);
    await w.tick();
    const after = appraisalMessages(w).slice(2);
    expect(after).toHaveLength(1);
    expect(after[0]!.message.text).toContain('已于12月21日 18:00截止，不再接受测评。');
    expect(after[0]!.message.text).toContain('请在群里发送 /评议 结束 查看统计结果。');
    expect(after[0]!.message.mentions.map((m) => m.name).sort()).toEqual([OP, SEC].sort());
  });
});
