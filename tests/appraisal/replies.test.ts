import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupText, privateText, recipients, startChat, type Chat } from '../helpers/chat.js';
import { aSmallBranch, ok, OPERATOR, SMALL_GROUP } from './branch.js';

// What a voter or the secretary types on a phone, and what they are told: phone punctuation and a
// grade glued to a name are understood; an unknown word is not answered as a name; examples name
// real members; a grade typed in the group is said to be visible there.

let chat: Chat;
let opened: string[];
beforeEach(async () => {
  chat = await startChat({ today: '2026-12-01' });
  await aSmallBranch(chat);
  opened = await ok(chat.as(OPERATOR).in(SMALL_GROUP).say('/评议 开始'));
});
afterEach(async () => chat.stop());

const single = (who: string) => chat.as(who).privately();
const group = (who: string) => chat.as(who).in(SMALL_GROUP);
const FAKE_NAMES = /张三|李四|王五/;

describe('/测评 as typed on a phone', () => {
  it.each([
    ['a grade glued to 班子', '/测评 班子优秀', '已记录（仅您可见）：支部班子 优秀'],
    ['a grade glued to a name with a colon', '/测评 冯党员:合格', '已记录（仅您可见）：冯党员 合格'],
    ['a full-width colon', '/测评 冯党员：不合格', '已记录（仅您可见）：冯党员 不合格'],
    ['a grade glued to a name', '/测评 冯党员基本合格 吴委员不合格', '已记录（仅您可见）：冯党员 基本合格，吴委员 不合格'],
    ['a full-width comma before a comment', '/测评 @钱委员 合格，工作认真', '已记录（仅您可见）：钱委员 合格（意见：工作认真）'],
    ['a comment keeping its own commas', '/测评 钱委员 合格，工作认真，作风扎实', '已记录（仅您可见）：钱委员 合格（意见：工作认真，作风扎实）'],
    ['an enumeration comma between pairs', '/测评 班子 优秀、孙书记 合格', '已记录（仅您可见）：支部班子 优秀，孙书记 合格'],
    ['colons and commas', '/测评 班子：优秀，孙书记：合格', '已记录（仅您可见）：支部班子 优秀，孙书记 合格'],
  ])('%s is understood', async (_what, line, says) => {
    const lines = await single('郑党员').say(line);
    expect(recipients(lines)).toEqual(['私聊 郑党员']);
    expect(privateText(lines, '郑党员')).toContain(says);
  });

  it('an unknown word is not answered as if it were a name, and the example names real members', async () => {
    for (const line of ['/测评 撤回', '/测评 班子优秀好']) {
      const text = privateText(await single('郑党员').say(line), '郑党员');
      expect(text).not.toMatch(/后面要写等次/);
      expect(text).toMatch(/^看不懂“(撤回|班子优秀好)”/);
      expect(text).toContain('例如：/测评 班子 优秀 孙书记 合格 钱委员 合格');
    }
    expect((await chat.counts()).appraisal_ballot).toBe(0);
  });

  it('never gives an example with people who are not members', async () => {
    const replies = [
      privateText(opened, '郑党员'),
      privateText(await single('郑党员').say('/测评 我的'), '郑党员'),
      privateText(await single('郑党员').say('/测评 意见 很好'), '郑党员'),
      privateText(await single('郑党员').say('/测评 钱委员 合格 意见'), '郑党员'),
    ];
    for (const text of replies) expect(text).not.toMatch(FAKE_NAMES);
    expect(replies[0]).toContain('逐个填写：/测评 @孙书记 合格 [意见]');
    expect(replies[1]).toContain('例如：/测评 班子 优秀 孙书记 合格 钱委员 合格');
    expect(replies[2]).toBe('“意见”要写在某人的等次后面，例如：/测评 孙书记 合格 意见 工作认真负责');
  });
});

describe('confidential things typed in the group', () => {
  it('a vote is said not to be recorded, to be visible to the group, and how to vote privately', async () => {
    const text = groupText(await group('郑党员').say('/测评 钱委员 不合格'));
    expect(text).toContain('这条没有记录');
    expect(text).toContain('群里的人都看得到');
    expect(text).toContain('请打开与机器人的私聊重新发送');
    expect(text).not.toContain('不会显示');
    expect((await chat.counts()).appraisal_ballot).toBe(0);
  });

  it('a grade is recorded and the secretary is told the group sees it and to use the single chat', async () => {
    await ok(group('孙书记').say('/评议 结束'));
    const lines = await group('孙书记').say('/评定 @郑党员 不合格');
    expect(recipients(lines)).toEqual([`群 ${SMALL_GROUP}`, '私聊 郑党员']);
    const text = groupText(lines);
    expect(text).toContain('已登记 郑党员 的评定等次，已私信告知本人。');
    expect(text).toContain('群里的消息大家都看得到，评定等次最好在与机器人的私聊中发送');
    expect(text).not.toContain('等次不在群里显示');
    expect((await chat.rows<{ grade: string }>('appraisal_grade')).map((r) => r.grade)).toEqual(['unqualified']);
  });
});

describe('/评定', () => {
  let closed: string[];
  beforeEach(async () => {
    closed = await ok(group('孙书记').say('/评议 结束'));
  });

  it('works in the secretary’s single chat, and the tally points there', async () => {
    expect(privateText(closed, '孙书记')).toContain('组织评定请私聊机器人发送：/评定 @某人 <等次>');
    expect(privateText(closed, '孙书记')).not.toMatch(FAKE_NAMES);
    const lines = await single('孙书记').say('/评定 郑党员 合格');
    expect(recipients(lines)).toEqual(['私聊 孙书记', '私聊 郑党员']);
    expect(privateText(lines, '孙书记')).toContain('已评定：郑党员 合格，已私信告知本人。');
    expect(privateText(lines, '郑党员')).toContain('评定您为：合格。');
  });

  it.each([
    ['/评定 @郑党员 良好', '“良好”不是评定等次。请从优秀、合格、基本合格、不合格中选一个，例如：/评定 @郑党员 合格'],
    ['/评定 @郑党员', '郑党员 后面要写评定等次（优秀、合格、基本合格、不合格），例如：/评定 @郑党员 合格'],
    ['/评定 郑党员优秀', '姓名和等次之间要空开。请这样发送：/评定 @郑党员 优秀'],
    ['/评定 冯党员 合格 郑党员不合格', '姓名和等次之间要空开。请这样发送：/评定 @冯党员 合格 @郑党员 不合格'],
  ])('%s gets a specific reply', async (line, says) => {
    expect(privateText(await single('孙书记').say(line), '孙书记')).toBe(says);
    expect((await chat.counts()).appraisal_grade).toBe(0);
  });

  it('takes phone punctuation between name and grade', async () => {
    const lines = await ok(single('孙书记').say('/评定 郑党员：优秀，冯党员：合格'));
    expect(privateText(lines, '孙书记')).toContain('已评定：郑党员 优秀，冯党员 合格');
  });
});

describe('/评议 结束', () => {
  it('is refused in a single chat, like /评议 开始, so the group is always told', async () => {
    const lines = await single('孙书记').say('/评议 结束');
    expect(recipients(lines)).toEqual(['私聊 孙书记']);
    expect(privateText(lines, '孙书记')).toBe('请在本支部的群里发送 /评议 结束，让全体党员知道评议已结束；统计结果会私信书记和联络员。');
    expect((await chat.rows<{ status: string }>('appraisal')).map((r) => r.status)).toEqual(['open']);
  });

  it('a second time says it has already ended, not that it cannot be started again', async () => {
    await ok(group('孙书记').say('/评议 结束'));
    const text = groupText(await group('孙书记').say('/评议 结束'));
    expect(text).toContain('本次民主评议已经结束，统计结果已私信书记和联络员。');
    expect(text).not.toContain('重新开始');
  });
});
