import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupLines, groupText, messagesOf, privateText, recipients, startChat, type Chat } from '../helpers/chat.js';
import { aSmallBranch, ok, OPERATOR, SMALL_GROUP } from './branch.js';

// Every refusal says what to do instead; a ballot typed in a group is refused without repeating
// any of it (批评和自我批评的具体意见，不得随意散布; votes are private to the voter).

const IN_GROUP = '这条没有记录：测评和自评只在与机器人的私聊（单聊）中进行。您发的消息群里的人都看得到，如写了等次或意见，请及时撤回。投票请打开与机器人的私聊重新发送，例如：/测评 我的';
const SECRET = '机密意见QWE123';

let chat: Chat;
beforeEach(async () => {
  chat = await startChat({ today: '2026-12-01' });
});
afterEach(async () => chat.stop());

const group = (who: string) => chat.as(who).in(SMALL_GROUP);
const single = (who: string) => chat.as(who).privately();
const open = (closing = '') => ok(group(OPERATOR).say(`/评议 开始${closing}`));

describe('a ballot typed in a group', () => {
  beforeEach(async () => {
    await aSmallBranch(chat);
    await open();
  });

  it.each([
    ['a whole ballot', `/测评 班子 优秀 钱委员 不合格 ${SECRET}`],
    ['one vote with a comment', `/测评 @钱委员 不合格 ${SECRET}`],
    ['a vote glued to the command word', `/测评钱委员不合格${SECRET}`],
    ['a malformed vote (its error would quote it)', `/测评 钱委员 很差${SECRET}`],
    ['a self-appraisal', `/自评 ${SECRET}`],
  ])('%s is refused without echoing it, and nothing is stored', async (_what, line) => {
    const lines = await group('郑党员').say(line);
    expect(recipients(lines)).toEqual([`群 ${SMALL_GROUP}`]);
    expect(groupText(lines)).toBe(IN_GROUP);
    for (const l of groupLines(chat.transcript)) {
      expect(l).not.toContain('QWE123');
      expect(l).not.toContain('不合格钱委员');
    }
    expect((await chat.counts()).appraisal_ballot).toBe(0);
    expect((await chat.counts()).appraisal_text).toBe(0);
  });

  it('sent to the bot by @mention without a slash (as WeCom and DingTalk deliver it) is refused the same way', async () => {
    const deliveries = await chat.handle({
      channel: 'console', msgId: 'm-1', chatId: SMALL_GROUP, chatTitle: SMALL_GROUP, chatType: 'group', senderId: '郑党员', senderName: '郑党员',
      text: `测评 钱委员 不合格 ${SECRET}`, mentionedBot: true,
    });
    expect(deliveries.map((d) => d.target.kind)).toEqual(['chat']);
    expect(deliveries[0]!.message.text).toBe(IN_GROUP);
    expect((await chat.counts()).appraisal_ballot).toBe(0);
  });

  it('asking for one’s own ballot in the group is pointed to the single chat', async () => {
    expect(groupText(await group('郑党员').say('/测评 我的'))).toBe('测评表只在与机器人的私聊中查看。请打开与机器人的私聊，发送 /测评 我的。');
  });

  it('does not stop the same ballot from counting when sent in the single chat', async () => {
    await group('郑党员').say(`/测评 @钱委员 不合格 ${SECRET}`);
    const lines = await single('郑党员').say(`/测评 @钱委员 不合格 ${SECRET}`);
    expect(recipients(lines)).toEqual(['私聊 郑党员']);
    expect(privateText(lines, '郑党员')).toContain(`钱委员 不合格（意见：${SECRET}）`);
    expect((await chat.counts()).appraisal_ballot).toBe(1);
  });
});

describe('voting at the wrong time', () => {
  beforeEach(async () => aSmallBranch(chat));

  it('before /评议 开始 is refused', async () => {
    const lines = await single('郑党员').say('/测评 班子 优秀');
    expect(privateText(lines, '郑党员')).toBe('民主评议还没有开始，现在不能测评。评议开始后机器人会私信您测评表。');
    expect((await chat.counts()).appraisal_ballot).toBe(0);
  });

  it('after /评议 结束 is refused, and the ballots before it still count', async () => {
    await open();
    await ok(single('郑党员').say('/测评 班子 优秀'));
    await ok(group('孙书记').say('/评议 结束'));
    const lines = await single('冯党员').say('/测评 班子 优秀');
    expect(privateText(lines, '冯党员')).toBe('民主评议已经结束，不能再测评或修改。如对评议有意见，请当面向支部书记反映。');
    expect(privateText(await single('郑党员').say('/测评 班子 不合格'), '郑党员')).toContain('已经结束');
    expect((await chat.rows<{ grade: string }>('appraisal_ballot')).map((r) => r.grade)).toEqual(['excellent']);
  });

  it('after the closing time on the clock is refused, and /评议 结束 still closes it', async () => {
    await open(' 截止 12月21日 18:00');
    chat.setDay('2026-12-21', 17, 59);
    await ok(single('郑党员').say('/测评 班子 优秀'));
    chat.setDay('2026-12-21', 18, 0);
    const late = await single('冯党员').say('/测评 班子 优秀');
    expect(privateText(late, '冯党员')).toBe('民主评议已于2026年12月21日 18:00截止，不能再测评或修改。请书记或联络员发送 /评议 结束 查看结果。');
    expect(privateText(await single('冯党员').say('/自评 我对照四个合格查找了问题'), '冯党员')).toContain('已于2026年12月21日 18:00截止');
    expect(groupText(await group(OPERATOR).say('/评议 进度'))).toContain('已过截止时间，待 /评议 结束');
    expect((await chat.counts()).appraisal_ballot).toBe(1);
    expect(groupText(await ok(group('孙书记').say('/评议 结束')))).toContain('1 人投票');
  });

  it('a date-only closing time runs to the end of that day', async () => {
    await open(' 截止 12月21日');
    chat.setDay('2026-12-21', 23, 59);
    await ok(single('郑党员').say('/测评 班子 优秀'));
    chat.setDay('2026-12-22', 0, 0);
    expect(privateText(await single('冯党员').say('/测评 班子 优秀'), '冯党员')).toContain('已于2026年12月21日 24:00截止');
  });
});

describe('who may vote, and on whom', () => {
  beforeEach(async () => {
    await aSmallBranch(chat);
    await open();
  });

  it('the operator and a 列席 member are not voters', async () => {
    for (const who of [OPERATOR, '黄主任']) {
      expect(privateText(await single(who).say('/测评 班子 优秀'), who)).toBe('您不是本支部参加评议的党员（党员、预备党员、支委、书记），不能测评。如名单有误，请联系联络员。');
    }
    expect((await chat.counts()).appraisal_ballot).toBe(0);
  });

  it('a stranger is told how to get on the roster', async () => {
    expect(privateText(await single('路人甲').say('/测评 班子 优秀'), '路人甲')).toContain('机器人还不认识您。请在本单位的群里发送 /我是 <您的姓名>');
  });

  it('a probationary member votes', async () => {
    const lines = await single('陈预备').say('/测评 班子 合格 孙书记 优秀');
    expect(privateText(lines, '陈预备')).toContain('已记录（仅您可见）：支部班子 合格，孙书记 优秀');
  });

  it.each([
    ['oneself', '/测评 班子 优秀 郑党员 优秀', '不能给自己测评'],
    ['a 列席 member', '/测评 班子 优秀 黄主任 合格', '黄主任 不参加本次民主评议'],
    ['someone not on the roster', '/测评 班子 优秀 路人甲 合格', '名单里没有“路人甲”'],
    ['the same person twice', '/测评 钱委员 优秀 吴委员 合格 钱委员 基本合格', '钱委员 出现了两次'],
    ['an unknown grade', '/测评 班子 优秀 钱委员 良好', '“良好”不是测评等次'],
    ['a missing grade at the end', '/测评 班子 优秀 钱委员', '钱委员 后面要写等次'],
    ['a name left without a grade mid-line', '/测评 班子 优秀 钱委员 合格 吴委员 冯党员 合格', '吴委员 后面要写等次'],
  ])('a ballot naming %s is refused as a whole, saying what to write', async (_what, line, says) => {
    const lines = await single('郑党员').say(line);
    expect(recipients(lines)).toEqual(['私聊 郑党员']);
    expect(privateText(lines, '郑党员')).toContain(says);
    expect((await chat.counts()).appraisal_ballot).toBe(0);
  });

  it('a changed vote replaces the earlier one', async () => {
    await ok(single('郑党员').say('/测评 班子 优秀 钱委员 合格'));
    const lines = await single('郑党员').say('/测评 @钱委员 基本合格 意见 钱委员 要多下基层');
    expect(privateText(lines, '郑党员')).toContain('钱委员 基本合格（意见：钱委员 要多下基层）');
    expect(privateText(lines, '郑党员')).toContain('已测评 2/7');
    const rows = (await chat.rows<{ target: string; grade: string; comment: string | null }>('appraisal_ballot'));
    expect(rows.map((r) => [r.target === 'committee' ? 'committee' : 'member', r.grade, r.comment])).toEqual([
      ['committee', 'excellent', null],
      ['member', 'basically_qualified', '钱委员 要多下基层'],
    ]);
    const mine = privateText(await single('郑党员').say('/测评 我的'), '郑党员');
    expect(mine).toContain('• 钱委员：基本合格（意见：钱委员 要多下基层）');
    expect(mine).toContain('• 吴委员：未测评');
    expect(mine).not.toContain('郑党员：');
  });

  it('a member of two units votes in the one whose appraisal is running', async () => {
    await ok(chat.as('陈部长').in('组织部督导群').say('/单位 设置 区委组织部'));
    await ok(chat.as('陈部长').in('组织部督导群').say('/成员 添加 @郑党员 列席'));
    const lines = await single('郑党员').say('/测评 班子 优秀');
    expect(privateText(lines, '郑党员')).toContain('已记录（仅您可见）：支部班子 优秀');
    expect((await chat.counts()).appraisal_ballot).toBe(1);
  });
});

describe('opening and closing', () => {
  it('needs the 组织生活会 to be held first', async () => {
    await aSmallBranch(chat, { hold: false });
    expect(groupText(await group(OPERATOR).say('/评议 开始'))).toBe('组织生活会（2026年12月20日）还没有登记召开。党员大会开过后请先发送 /会议 召开，再 /评议 开始。');
    expect((await chat.counts()).appraisal).toBe(0);
  });

  it('is not for a 民主生活会', async () => {
    await ok(chat.as(OPERATOR).in('党组群').say('/单位 设置 区教育局党组'));
    await ok(chat.as(OPERATOR).in('党组群').say('/成员 添加 @王书记 主要负责人'));
    await ok(chat.as(OPERATOR).in('党组群').say('/成员 添加 @张三 @李四 班子成员'));
    await ok(chat.as(OPERATOR).in('党组群').say('/会议 新建 民主生活会 2026-12-05'));
    chat.setDay('2026-12-05');
    await ok(chat.as('王书记').in('党组群').say('/会议 召开'));
    expect(groupText(await chat.as(OPERATOR).in('党组群').say('/评议 开始'))).toContain('民主评议党员在党支部组织生活会后进行');
    // Nor is one waited for: the other appraisal commands say the same, not "not started yet".
    for (const [who, text] of [[OPERATOR, '/评议'], ['王书记', '/评定 @张三 合格'], ['张三', '/承诺 按时参加学习']] as const) {
      expect(groupText(await chat.as(who).in('党组群').say(text))).toContain('民主评议党员在党支部组织生活会后进行');
    }
    // … nor a ballot promised (in the single chat, where ballots are cast).
    for (const text of ['/测评 班子 优秀', '/自评 学习不够']) {
      expect(privateText(await chat.as('张三').privately().say(text), '张三')).toContain('民主评议党员在党支部组织生活会后进行');
    }
  });

  it('is done in the group, by the operator or the secretary only', async () => {
    await aSmallBranch(chat);
    expect(privateText(await single(OPERATOR).say('/评议 开始'), OPERATOR)).toContain('请在本支部的群里发送 /评议 开始');
    expect(groupText(await group('郑党员').say('/评议 开始'))).toBe('只有联络员、主要负责人可以这样做。');
    await open();
    expect(groupText(await group('郑党员').say('/评议 结束'))).toBe('只有联络员、主要负责人可以这样做。');
    expect(groupText(await group('孙书记').say('/评议 开始'))).toContain('民主评议已经在进行中');
    await ok(group('孙书记').say('/评议 结束'));
    expect(groupText(await group('孙书记').say('/评议 结束'))).toContain('本次民主评议已经结束，统计结果已私信书记和联络员');
    expect(groupText(await group('孙书记').say('/评议 开始'))).toContain('本次民主评议已经结束，不能重新开始');
  });

  it('refuses a closing time that has passed or cannot be read', async () => {
    await aSmallBranch(chat);
    expect(groupText(await group(OPERATOR).say('/评议 开始 截止 12月20日 09:00'))).toContain('截止时间已经过去');
    expect(groupText(await group(OPERATOR).say('/评议 开始 截止 12月21日 25:00'))).toContain('看不懂时间“25:00”');
    expect(groupText(await group(OPERATOR).say('/评议 开始 截止 12月32日'))).toContain('“12月32日”不是有效日期');
    expect((await chat.counts()).appraisal).toBe(0);
  });

  it('/评定 waits for the tally, and /承诺 and /公示 for the close', async () => {
    await aSmallBranch(chat);
    expect(groupText(await group('孙书记').say('/评定 @郑党员 合格'))).toContain('本次组织生活会还没有开始民主评议');
    await open();
    expect(groupText(await group('孙书记').say('/评定 @郑党员 合格'))).toBe('民主评议还没有结束。请先发送 /评议 结束 查看统计结果，再评定等次。');
    expect(groupText(await group('郑党员').say('/承诺 按时参加组织生活'))).toContain('整改承诺在民主评议结束后提交');
    expect(groupText(await group(OPERATOR).say('/公示'))).toContain('民主评议结束、党员提交整改承诺后才能公示');
    expect((await chat.counts()).appraisal_grade).toBe(0);
    expect((await chat.counts()).appraisal_text).toBe(0);
  });
});

describe('with few ballots', () => {
  it('the tally does not show a distribution that would reveal the few voters', async () => {
    await aSmallBranch(chat);
    await open();
    await ok(single('郑党员').say('/测评 班子 优秀 钱委员 不合格 评语仅一票'));
    const lines = await ok(group('孙书记').say('/评议 结束'));
    const tally = privateText(lines, '孙书记');
    expect(tally).toContain('钱委员：1票（不足3票，为保护投票秘密不显示分布）');
    expect(tally).not.toContain('评语仅一票');
    expect(tally).not.toMatch(/不合格1/);
    expect(messagesOf(lines).filter((m) => m.text.includes('评语仅一票'))).toEqual([]);
  });
});

describe('a member added while the appraisal is open', () => {
  it('gets the ballot form privately, the group is told, and the others may appraise them', async () => {
    await aSmallBranch(chat);
    await open();
    const lines = await ok(group(OPERATOR).say('/成员 添加 @新党员 党员'));
    expect(groupText(lines)).toContain('民主评议进行中：新党员 加入评议，测评表已私信本人');
    expect(privateText(lines, '新党员')).toContain('【民主测评表】第三党支部 组织生活会');
    expect(privateText(lines, '新党员')).toContain('孙书记');
    expect(privateText(await single('郑党员').say('/测评 @新党员 合格'), '郑党员')).toContain('已记录（仅您可见）');
  });

  it('a new role for someone already taking part changes nothing; added in the single chat, the group is told', async () => {
    await aSmallBranch(chat);
    await open();
    expect(recipients(await ok(group(OPERATOR).say('/成员 添加 @郑党员 联络员')))).toEqual([`群 ${SMALL_GROUP}`]);
    const lines = await ok(single(OPERATOR).say('/成员 添加 @新党员 党员'));
    expect(groupText(lines)).toContain('新党员 加入评议');
    expect(privateText(lines, '新党员')).toContain('【民主测评表】');
  });

  it('a 列席 added then gets no ballot (列席 do not take part)', async () => {
    await aSmallBranch(chat);
    await open();
    const lines = await ok(group(OPERATOR).say('/成员 添加 @新列席 列席'));
    expect(recipients(lines)).toEqual([`群 ${SMALL_GROUP}`]);
  });
});

describe('a self-appraisal', () => {
  it('is read back to its author only, in the single chat, and /自评 我的 never replaces it', async () => {
    await aSmallBranch(chat);
    await open();
    expect(privateText(await single('冯党员').say('/自评 我的'), '冯党员')).toBe('您还没有提交个人自评。请发送：/自评 <对照四个合格查找的问题和自我评价>');
    await ok(single('冯党员').say(`/自评 学习不够深入 ${SECRET}`));
    const mine = await single('冯党员').say('/自评 我的');
    expect(privateText(mine, '冯党员')).toBe(`您的个人自评（仅您可见）：\n学习不够深入 ${SECRET}\n评议结束前可重新发送 /自评 <内容> 修改。`);
    expect(groupLines(await group('冯党员').say('/自评 我的')).join('\n')).not.toContain(SECRET);
    expect((await chat.rows<{ content: string }>('appraisal_text')).map((r) => r.content)).toEqual([`学习不够深入 ${SECRET}`]);
  });
});
