import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupText, privateText, recipients, startChat, type Chat } from '../helpers/chat.js';
import { aLeadershipTeam } from '../helpers/units.js';

let chat: Chat;
beforeEach(async () => {
  chat = await startChat({ today: '2026-11-25' });
  await aLeadershipTeam(chat);
});
afterEach(async () => chat.stop());

const say = (who: string, text: string) => chat.as(who).in('党办群').say(text);

describe('meetings', () => {
  it('rescheduling moves every deadline with the date', async () => {
    const text = groupText(await say('刘联络员', '/会议 改期 2027-01-08 上级集中培训'));
    expect(text).toContain('民主生活会已从2026年12月28日改到2027年1月8日，各环节期限随之调整：');
    expect(text).toContain('• 方案：2026年12月24日前');
    expect(text).toContain('• 通知：2026年12月29日前');
    expect(text).toContain('• 报告：2027年1月23日前');
    expect((await chat.rows('meeting'))).toMatchObject([{ date: '2027-01-08', status: 'scheduled' }]);
    chat.setDay('2026-12-20');
    expect(groupText(await say('王书记', '/进度'))).toContain('⬜ 方案 · 截止12月24日，还有4天');
  });

  it('moved close, its deadlines already past say so', async () => {
    chat.setDay('2026-12-20');
    const text = groupText(await say('刘联络员', '/会议 改期 2026-12-30'));
    expect(text).toContain('• 方案：2026年12月15日前（已过，请尽快办理并登记）');
    expect(text).toContain('• 通知：2026年12月20日前\n');
    expect(text).toContain('• 报告：2027年1月14日前');
    expect(text).not.toContain('2027年1月14日前（已过');
    expect(text).not.toContain('周末或节假日');
  });

  it('on a weekend or holiday, says so (a typo is then easy to fix)', async () => {
    expect(groupText(await say('刘联络员', '/会议 改期 2027-01-01'))).toContain('注意：这一天是周末或节假日。如果日期写错了，请发送 /会议 改期 <日期>。');
  });

  it('cancelling stops the meeting; a new one may then be scheduled', async () => {
    expect(groupText(await say('王书记', '/会议 取消 并入年度集中安排'))).toBe('2026年12月28日的民主生活会已取消，相关提醒同时停止。');
    expect((await chat.rows('meeting'))).toMatchObject([{ status: 'cancelled', cancel_reason: '并入年度集中安排' }]);
    expect(groupText(await say('王书记', '/进度'))).toContain('本单位还没有安排会议');
    expect(groupText(await say('王书记', '/会议 新建 民主生活会 2027-01-10'))).toContain('已安排区教育局党组民主生活会：2027年1月10日');
    expect((await chat.rows('meeting', "status = 'scheduled'"))).toHaveLength(1);
  });

  it('a held meeting cannot be held again, moved or cancelled', async () => {
    chat.setDay('2026-12-30'); // two days late: still allowed, recorded on the day it is marked
    expect(groupText(await say('王书记', '/会议 召开'))).toContain('已记录：民主生活会于2026年12月30日召开');
    const before = (await chat.snapshot());
    for (const text of ['/会议 召开', '/会议 改期 2027-01-05', '/会议 取消']) {
      expect(groupText(await say('王书记', text))).toBe('会议已于2026年12月30日召开，不能再改期、取消或重复标记。');
    }
    expect((await chat.snapshot())).toBe(before);
  });

  it('/进度 turns red the day after the 方案 deadline and names who owes it', async () => {
    chat.setDay('2026-12-13');
    const dueToday = groupText(await say('王书记', '/进度'));
    expect(dueToday).toContain('⏳ 方案 · 今天截止（12月13日） · 待：刘联络员、王书记');
    expect(dueToday).toContain('🟡 注意');
    chat.setDay('2026-12-14');
    const late = groupText(await say('王书记', '/进度'));
    expect(late).toContain('❗ 方案 · 截止12月13日，已逾期1天 · 待：刘联络员、王书记');
    expect(late).toContain('🔴 有逾期');
    await say('刘联络员', '/完成 方案');
    expect(groupText(await say('王书记', '/进度'))).toContain('✅ 方案 · 已完成（12月14日）');
  });

  it('/完成 撤销 opens a step recorded by mistake again, and its reminders come back', async () => {
    await say('刘联络员', '/完成 方案');
    expect((await chat.rows('obligation', "step = 'plan'"))).toEqual([]);
    expect(groupText(await say('刘联络员', '/完成 撤销 方案'))).toBe('已撤销“方案”的完成登记（刘联络员）。这一环节重新计入待办（/进度 查看）。');
    expect((await chat.rows('step_record', "step = 'plan'"))).toEqual([]);
    expect((await chat.rows('obligation', "step = 'plan'"))).toHaveLength(1);
    expect(groupText(await say('刘联络员', '/完成 撤销 方案'))).toBe('“方案”还没有登记完成，无需撤销。');
    expect(groupText(await say('张三', '/完成 撤销 通知'))).toBe('只有联络员、主要负责人可以这样做。');
  });

  it('/完成 a step twice keeps the first record', async () => {
    await say('刘联络员', '/完成 方案');
    chat.setDay('2026-12-01');
    expect(groupText(await say('王书记', '/完成 方案'))).toBe('“方案”已于2026年11月25日登记完成。');
    expect((await chat.rows('step_record', "step = 'plan'"))).toMatchObject([{ done_on: '2026-11-25' }]);
  });

  it('/帮助 规则 states the deadlines of both kinds', async () => {
    const text = groupText(await say('张三', '/帮助 规则'));
    expect(text).toContain('方案 D-15');
    expect(text).toContain('通知 D-10');
    expect(text).toContain('报告 D+15');
    expect(text).toContain('备案 D+15');
  });
});

describe('holding the meeting, and the meeting after it', () => {
  it('is recorded on the day it was held when marked late, and never on a day to come', async () => {
    chat.setDay('2026-12-30');
    expect(groupText(await say('王书记', '/会议 召开 2027-01-02'))).toContain('2027年1月2日还没到');
    expect(groupText(await say('王书记', '/会议 召开 12月28日'))).toContain('已记录：民主生活会于2026年12月28日召开');
    expect((await chat.rows('meeting'))).toMatchObject([{ status: 'held', held_on: '2026-12-28' }]);
  });

  it('held before its planned day: recorded with the day it was held, which becomes the meeting’s date', async () => {
    chat.setDay('2026-12-21');
    expect(groupText(await say('王书记', '/会议 召开'))).toBe('会议定在12月28日，今天还不能标记召开。如已提前召开，请写上开会日期：/会议 召开 2026-12-21');
    expect(groupText(await say('王书记', '/会议 召开 昨天'))).toContain('已记录：民主生活会于2026年12月20日召开');
    expect((await chat.rows('meeting'))).toMatchObject([{ status: 'held', held_on: '2026-12-20', date: '2026-12-20' }]);
  });

  it('waits for every leave request to be decided, and takes no decision after it', async () => {
    await say('赵敏', '/请假 外出培训');
    chat.setDay('2026-12-28');
    const before = (await chat.snapshot());
    expect(groupText(await say('王书记', '/会议 召开'))).toBe('还有请假没有审批：赵敏。请审批人先 /批准 @某人 或 /驳回 @某人，再发送 /会议 召开。');
    expect((await chat.snapshot())).toBe(before);
    await say('王书记', '/批准 @赵敏');
    expect(groupText(await say('王书记', '/会议 召开'))).toContain('缺席：赵敏');
    // A request that reaches the principal only now is refused with the reason.
    chat.setDay('2026-12-29');
    expect(groupText(await say('张三', '/请假 补请'))).toBe('会议已经召开或日期已过，不能再请假。请假已获批准的同志请 /书面发言 提交书面发言。');
  });

  it('records after-meeting steps only once the meeting is held', async () => {
    expect(groupText(await say('刘联络员', '/完成 报告'))).toBe('“报告”是会后环节，会议召开（/会议 召开）后再登记。');
    expect((await chat.rows('step_record', "step = 'report'"))).toEqual([]);
    chat.setDay('2026-12-28');
    await say('王书记', '/会议 召开');
    expect(groupText(await say('刘联络员', '/完成 报告'))).toContain('已登记：报告完成');
  });

  it('arranges the next meeting only once the last one has done its dated after-meeting steps', async () => {
    chat.setDay('2026-12-28');
    await say('王书记', '/会议 召开');
    const refused = groupText(await say('刘联络员', '/会议 新建 民主生活会 2027-12-20'));
    expect(refused).toMatch(/^上次民主生活会（2026年12月28日召开）还有事项没有完成：整改清单、报告、通报。完成并登记后（\/进度 查看），再安排下一次会议。$/);
    expect((await chat.rows('meeting'))).toHaveLength(1);
    for (const step of ['整改清单', '报告', '通报']) await say('刘联络员', `/完成 ${step}`);
    expect(groupText(await say('刘联络员', '/会议 新建 民主生活会 2027-12-20'))).toContain('已安排区教育局党组民主生活会：2027年12月20日');
    // Talks for it are those after the last meeting.
    chat.setDay('2027-01-05');
    expect(groupText(await say('王书记', '/谈心 @张三 2026-12-20 面谈'))).toBe('谈话日期 2026年12月20日 太早，不属于本次会议的准备（2026年12月28日以后的谈话才计入）。请核对日期。');
    expect(groupText(await say('王书记', '/谈心 @张三 昨天 面谈'))).toContain('已登记：王书记 与 张三 谈心谈话（2027年1月4日');
  });
});

describe('talks in the chat', () => {
  it('logs one talk per person named by a team member', async () => {
    expect(groupText(await say('王书记', '/谈心 @张三 @李四 面谈'))).toContain('已登记：王书记 与 张三、李四 谈心谈话');
    expect((await chat.rows('talk'))).toHaveLength(2);
    expect(groupText(await say('王书记', '/谈心 情况'))).toContain('必谈 2/3（66%）');
  });

  it('an operator outside the team logs the talk between the two people named', async () => {
    expect(groupText(await say('刘联络员', '/谈心 @王书记 @赵敏 网络'))).toContain('已登记：王书记 与 赵敏 谈心谈话');
    const [talk] = (await chat.rows<{ mode: string; created_by: number }>('talk'));
    expect(talk?.mode).toBe('online');
    expect(talk?.created_by).toBe((await chat.rows<{ id: number }>('person', 'name = ?', '刘联络员'))[0]!.id);
  });

  it('a name typed twice is one person, never a talk with oneself', async () => {
    expect(groupText(await say('刘联络员', '/谈心 @王书记 @王书记 面谈'))).toContain('已登记：刘联络员 与 王书记 谈心谈话');
    const talks = (await chat.rows<{ a_id: number; b_id: number }>('talk'));
    expect(talks).toHaveLength(1);
    expect(talks[0]!.a_id).not.toBe(talks[0]!.b_id);
  });
});

describe('news from a private chat reaches the unit’s group', () => {
  it('a meeting moved privately is announced in the group as well', async () => {
    const lines = await chat.as('王书记').privately().say('/会议 改期 2027-01-08');
    expect(recipients(lines)).toEqual(['私聊 王书记', '群 党办群']);
    expect(groupText(lines)).toContain('民主生活会已从2026年12月28日改到2027年1月8日');
  });

  it('the supervisor approves the principal’s leave in the private chat the request came to; the group and the principal are told', async () => {
    const asked = await say('王书记', '/请假 到省委党校参加培训');
    expect(privateText(asked, '陈部长')).toContain('同意请发送 /批准 @王书记');
    const lines = await chat.as('陈部长').privately().say('/批准 @王书记');
    expect(privateText(lines, '陈部长')).toContain('王书记 的请假已批准');
    expect(groupText(lines)).toContain('王书记 的请假已批准');
    expect(privateText(lines, '王书记')).toContain('您的请假已批准');
    expect(groupText(lines)).not.toContain('省委党校');
    expect((await chat.rows<{ status: string }>('leave_request'))).toMatchObject([{ status: 'approved' }]);
  });

  it('the supervisor answering a request decided already is told so, not about their own unit', async () => {
    await say('王书记', '/请假 到省委党校参加培训');
    await chat.as('陈部长').privately().say('/批准 @王书记');
    const again = await chat.as('陈部长').privately().say('/驳回 @王书记 请按时参会');
    expect(privateText(again, '陈部长')).toBe('王书记 没有待审批的请假。');
    expect(groupText(again)).toBe('');
    expect((await chat.rows<{ status: string }>('leave_request'))).toMatchObject([{ status: 'approved' }]);
  });

  it('an item completed privately by its owner is announced for verification in the group', async () => {
    chat.setDay('2026-12-28');
    await say('王书记', '/会议 召开');
    await say('刘联络员', '/整改 新增 @李四 完善请销假制度 截止 2027-01-31');
    const lines = await chat.as('李四').privately().say('/整改 完成 1 已修订并印发');
    expect(groupText(lines)).toBe('第1号整改事项已完成（李四）。请联络员或主要负责人 /整改 核实 1。');
    expect(groupText(lines)).not.toContain('已修订并印发');
  });
});
