import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupText, privateText, recipients, startChat, type Chat } from '../helpers/chat.js';
import { aLeadershipTeam, aPartyBranch } from '../helpers/units.js';

let chat: Chat;
beforeEach(async () => {
  chat = await startChat({ today: '2026-11-25' });
  await aLeadershipTeam(chat);
});
afterEach(async () => chat.stop());

const say = (who: string, text: string) => chat.as(who).in('党办群').say(text);

describe('leave (请假)', () => {
  it('the principal’s own request goes to the supervisor; the principal cannot approve it', async () => {
    const asked = await say('王书记', '/请假 参加省委全会');
    expect(groupText(asked)).toBe('王书记 已提交请假申请，等待 陈部长 审批。原因已私下转给审批人。');
    expect(privateText(asked, '陈部长')).toContain('王书记 申请请假，原因：参加省委全会');
    const before = (await chat.snapshot());
    expect(groupText(await say('王书记', '/批准 @王书记'))).toBe('不能审批自己的请假。主要负责人的请假由上级审批。');
    expect((await chat.snapshot())).toBe(before);
    const approved = await chat.as('陈部长').in('党办群').say('/批准 @王书记');
    expect(groupText(approved)).toContain('王书记 的请假已批准');
    expect((await chat.rows('leave_request'))).toMatchObject([{ status: 'approved' }]);
  });

  it('a rejected member may ask again; the rejection reason goes to the member privately', async () => {
    await say('张三', '/请假 有事');
    const rejected = await say('王书记', '/驳回 @张三 会议重要，请调整安排');
    expect(recipients(rejected)).toEqual(['群 党办群', '私聊 张三']);
    expect(groupText(rejected)).toBe('张三 的请假未获批准，请按时参会。');
    expect(privateText(rejected, '张三')).toBe('您的请假未获批准，理由：会议重要，请调整安排。请按时参会。');
    expect(groupText(await say('张三', '/请假 临时出差无法调整'))).toContain('张三 已提交请假申请');
    expect((await chat.rows<{ status: string }>('leave_request')).map((l) => l.status)).toEqual(['rejected', 'pending']);
    expect(groupText(await say('王书记', '/进度'))).toContain('请假：待审批 1，已批准 0');
  });

  it('is closed once the meeting is held, and the day after the meeting date', async () => {
    chat.setDay('2026-12-29');
    expect(groupText(await say('张三', '/请假 有事'))).toContain('会议已经召开或日期已过，不能再请假');
    chat.setDay('2026-12-28');
    await say('王书记', '/会议 召开');
    expect(groupText(await say('张三', '/请假 有事'))).toContain('会议已经召开或日期已过，不能再请假');
    expect((await chat.rows('leave_request'))).toEqual([]);
  });

  it('the operator may register an absentee’s written statement; a member may not do it for someone else', async () => {
    await say('赵敏', '/请假 外出培训');
    await say('王书记', '/批准 @赵敏');
    expect(groupText(await say('张三', '/书面发言 提交 @赵敏'))).toBe('只有联络员、主要负责人可以这样做。');
    expect(groupText(await say('刘联络员', '/书面发言 提交 @赵敏'))).toBe('已登记 赵敏 提交书面发言材料。');
    expect(groupText(await say('赵敏', '/书面发言 提交'))).toBe('赵敏 的书面发言已经登记过了。');
  });

  it('relays the meeting to an absentee once', async () => {
    await say('赵敏', '/请假 外出培训');
    await say('王书记', '/批准 @赵敏');
    chat.setDay('2026-12-28');
    await say('王书记', '/会议 召开');
    expect(groupText(await say('王书记', '/转告 @赵敏'))).toBe('已登记：已向 赵敏 转告会议情况和批评意见。');
    expect(groupText(await say('王书记', '/转告 @赵敏'))).toBe('已经登记过向 赵敏 转告。');
    expect(groupText(await say('王书记', '/转告 @张三'))).toBe('张三 不是本次会议的缺席人。');
  });

  it('tells a branch secretary with no upper unit that nobody can approve the request', async () => {
    await aPartyBranch(chat);
    const before = (await chat.snapshot());
    expect(groupText(await chat.as('孙书记').in('支部群').say('/请假 外出'))).toBe('本单位还没有上级，请假无人审批。请联络员先添加上级。');
    expect((await chat.snapshot())).toBe(before);
  });

  it('lets party members ask for 组织生活会 leave but not for the team’s 民主生活会', async () => {
    await aPartyBranch(chat);
    expect(groupText(await chat.as('陈预备').in('支部群').say('/请假 生病'))).toContain('陈预备 已提交请假申请，等待 孙书记 审批');
    await say('刘联络员', '/成员 添加 @黄主任 列席');
    expect(groupText(await say('黄主任', '/请假 外出'))).toBe('您不是本次会议的参会人员，无需请假。');
  });
});
