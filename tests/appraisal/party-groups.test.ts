import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupText, privateText, recipients, startChat, type Chat } from '../helpers/chat.js';
import { aBigBranch, aSmallBranch, GROUP, ok, OPERATOR, PARTICIPANTS, SECRETARY, SMALL_GROUP } from './branch.js';
import { COMMITTEE_TARGET, expectedTally, makePlan } from './vote-plan.js';

// 党员人数较多，20人以上的支部，可分党小组进行 (武组发〔2017〕129号 附件2 五): each member appraises the
// branch committee and the members of their own 党小组 only.

const GROUP_ONE = PARTICIPANTS.slice(0, 13);
const GROUP_TWO = PARTICIPANTS.slice(13);
const groupOf = (name: string) => (GROUP_ONE.includes(name) ? GROUP_ONE : GROUP_TWO);
const mates = (name: string) => groupOf(name).filter((n) => n !== name);
const mention = (names: readonly string[]) => names.map((n) => `@${n}`).join(' ');

let chat: Chat;
beforeEach(async () => {
  chat = await startChat({ today: '2026-12-01' });
});
afterEach(async () => chat.stop());

const op = () => chat.as(OPERATOR).in(GROUP);

describe('setting 党小组', () => {
  it('is refused in a branch of fewer than 20 members, saying why', async () => {
    await aSmallBranch(chat);
    const lines = await chat.as(OPERATOR).in(SMALL_GROUP).say('/党小组 设置 一组 @郑党员 @冯党员');
    expect(groupText(lines)).toBe('本支部参加评议的党员7人。20人以上的支部才可分党小组进行（武组发〔2017〕129号），人数较少时全体党员互评即可。');
    expect((await chat.counts()).party_group_member).toBe(0);
  });

  it('is for the operator only', async () => {
    await aBigBranch(chat);
    expect(groupText(await chat.as(SECRETARY).in(GROUP).say(`/党小组 设置 第一党小组 ${mention(GROUP_ONE)}`))).toBe('只有联络员可以这样做。');
  });

  it('must cover every member before the appraisal opens', async () => {
    await aBigBranch(chat);
    await ok(op().say(`/党小组 设置 第一党小组 ${mention(GROUP_ONE)}`));
    const refused = await op().say('/评议 开始');
    expect(groupText(refused)).toContain(`已设置党小组，但 ${GROUP_TWO.join('、')} 还没有分组`);
    expect((await chat.counts()).appraisal).toBe(0);
  });

  it('moves a member named in another group, and lists the groups', async () => {
    await aBigBranch(chat);
    await ok(op().say(`/党小组 设置 第一党小组 ${mention(GROUP_ONE)}`));
    const moved = await ok(op().say(`/党小组 设置 第二党小组 ${mention([...GROUP_TWO, GROUP_ONE[12]!])}`));
    expect(groupText(moved)).toContain(`${GROUP_ONE[12]} 已从原党小组调入`);
    const list = groupText(await chat.as('赵明').in(GROUP).say('/党小组 列表'));
    expect(list).toContain('• 第一党小组（12人）');
    expect(list).toContain('• 第二党小组（13人）');
  });
});

describe('an appraisal by 党小组', () => {
  beforeEach(async () => {
    await aBigBranch(chat);
    await ok(op().say(`/党小组 设置 第一党小组 ${mention(GROUP_ONE)}`));
    await ok(op().say(`/党小组 设置 第二党小组 ${mention(GROUP_TWO)}`));
  });

  it('sends each member a form with the committee and their own group only', async () => {
    const lines = await ok(op().say('/评议 开始'));
    expect(groupText(lines)).toContain('分党小组进行，每人测评支部班子和本组党员：第一党小组（13人）、第二党小组（12人）');
    const form = privateText(lines, GROUP_TWO[0]!);
    expect(form).toContain('（11人）（党小组：第二党小组）');
    for (const n of mates(GROUP_TWO[0]!)) expect(form).toContain(n);
    for (const n of GROUP_ONE) expect(form).not.toContain(n);
  });

  it('refuses a vote on someone outside the voter’s group, storing nothing of that ballot', async () => {
    await ok(op().say('/评议 开始'));
    const voter = GROUP_ONE[3]!;
    const outsider = GROUP_TWO[0]!;
    const lines = await chat.as(voter).privately().say(`/测评 班子 优秀 ${mates(voter)[0]} 合格 ${outsider} 优秀`);
    expect(recipients(lines)).toEqual([`私聊 ${voter}`]);
    expect(privateText(lines, voter)).toBe(`${outsider} 不在您所在的党小组（第一党小组）。本次评议分党小组进行，您只测评支部班子和本组党员。发送 /测评 我的 查看名单。`);
    expect((await chat.counts()).appraisal_ballot).toBe(0);
    const mine = privateText(await chat.as(voter).privately().say('/测评 我的'), voter);
    expect(mine).toContain('党小组：第一党小组');
    expect(mine.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(1 + 12);
    expect(mine).not.toContain(outsider);
  });

  it('counts each member’s ballots from their own group only, matching the ballots cast', async () => {
    await ok(op().say('/评议 开始'));
    const plan = makePlan(7, PARTICIPANTS, mates);
    for (const { voter, line } of plan.script) await ok(chat.as(voter).privately().say(line));
    const progress = groupText(await ok(op().say('/评议 进度')));
    expect(progress).toContain(`已投完 ${plan.complete.length} 人，未投完 ${plan.partial.length} 人，未投票 ${plan.none.length} 人`);
    // Every ballot names the committee or a group mate; nobody can hold more ballots than their group-mates.
    for (const [voter, sheet] of plan.sheets) for (const target of sheet.keys()) expect(target === COMMITTEE_TARGET || mates(voter).includes(target)).toBe(true);
    const tally = privateText(await ok(chat.as(SECRETARY).in(GROUP).say('/评议 结束')), SECRETARY);
    for (const [target, e] of expectedTally(plan.sheets)) {
      const name = target === COMMITTEE_TARGET ? '支部班子' : target;
      const line = tally.split('\n').find((l) => l.startsWith(`${name}：`))!;
      if (target !== COMMITTEE_TARGET) expect(e.votes).toBeLessThanOrEqual(groupOf(target).length - 1);
      // The secretary sees a distribution only with 3 ballots besides their own.
      const own = plan.sheets.get(SECRETARY)?.has(target) ?? false;
      const shown = e.votes - (own ? 1 : 0) >= 3
        ? `${name}：${e.votes}票，优秀${e.counts.优秀}、合格${e.counts.合格}、基本合格${e.counts.基本合格}、不合格${e.counts.不合格}；`
        : `${name}：${e.votes}票（${own ? '除您自己的一票外' : ''}不足3票`;
      expect(line, name).toContain(shown);
    }
  });

  it('freezes the groups while the appraisal runs, and frees them after', async () => {
    await ok(op().say('/评议 开始'));
    expect(groupText(await op().say(`/党小组 设置 第二党小组 ${mention(GROUP_TWO.slice(0, 5))}`))).toContain('民主评议正在进行，党小组不能调整');
    expect(groupText(await op().say('/党小组 清除'))).toContain('民主评议正在进行，党小组不能调整');
    expect((await chat.counts()).party_group_member).toBe(25);
    await ok(chat.as(SECRETARY).in(GROUP).say('/评议 结束'));
    expect(groupText(await ok(op().say('/党小组 清除')))).toBe('已清除党小组，民主评议时每人测评全体党员。');
    expect((await chat.counts()).party_group_member).toBe(0);
  });
});
