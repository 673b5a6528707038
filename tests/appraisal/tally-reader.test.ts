import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privateText, recipients, startChat, type Chat } from '../helpers/chat.js';
import { aSmallBranch, ok, OPERATOR, SMALL_GROUP } from './branch.js';

// 投票秘密: a reader of the tally who voted on a target must not learn the other votes by taking
// their own away — a distribution is shown only with at least 3 ballots besides the reader's own.

let chat: Chat;
beforeEach(async () => {
  chat = await startChat({ today: '2026-12-01' });
  await aSmallBranch(chat);
  await ok(chat.as(OPERATOR).in(SMALL_GROUP).say('/评议 开始'));
});
afterEach(async () => chat.stop());

const vote = (who: string, line: string) => ok(chat.as(who).privately().say(line));
const lineOf = (text: string, name: string) => text.split('\n').find((l) => l.startsWith(`${name}：`)) ?? '';

describe('the tally after /评议 结束', () => {
  it('hides from the secretary a distribution that their own vote would let them deduce, and shows it to the operator who did not vote', async () => {
    // 钱委员: 郑党员 and 冯党员 不合格, the secretary 优秀 — 3 ballots, only 2 besides the secretary's.
    await vote('郑党员', '/测评 钱委员 不合格 评语甲 吴委员 合格 卫党员 合格');
    await vote('冯党员', '/测评 钱委员 不合格 吴委员 合格 卫党员 优秀');
    await vote('卫党员', '/测评 吴委员 优秀');
    await vote('钱委员', '/测评 卫党员 基本合格');
    await vote('孙书记', '/测评 钱委员 优秀 卫党员 合格');
    const lines = await ok(chat.as('孙书记').in(SMALL_GROUP).say('/评议 结束'));
    expect(recipients(lines)).toEqual([`群 ${SMALL_GROUP}`, `私聊 ${OPERATOR}`, '私聊 孙书记']);

    const secretary = privateText(lines, '孙书记');
    expect(lineOf(secretary, '钱委员')).toBe('钱委员：3票（除您自己的一票外不足3票，为保护投票秘密不显示分布）');
    expect(secretary).not.toContain('评语甲');
    // A target the secretary did not vote on: 3 ballots, all someone else's.
    expect(lineOf(secretary, '吴委员')).toBe('吴委员：3票，优秀1、合格2、基本合格0、不合格0；优秀率33.3%，合格及以上100%');
    // A target the secretary voted on with 3 others.
    expect(lineOf(secretary, '卫党员')).toContain('卫党员：4票，优秀1、合格2、基本合格1、不合格0；');

    const operator = privateText(lines, OPERATOR);
    expect(lineOf(operator, '钱委员')).toBe('钱委员：3票，优秀1、合格0、基本合格0、不合格2；优秀率33.3%，合格及以上33.3%');
    expect(operator).toContain('意见（不具名）：评语甲');
  });
});
