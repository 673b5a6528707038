import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupLines, groupText, messagesOf, privateText, recipients, startChat, type Chat } from '../helpers/chat.js';
import { aLeadershipTeam } from '../helpers/units.js';

// 武组发〔2017〕129号 / shared/domain.md: talk notes and leave reasons are private to the
// principal/operator; they are never posted to a group.
const REASON = '家中老人住院需陪护';
const NOTE = '指出其工作作风简单粗暴';

let chat: Chat;
beforeEach(async () => {
  chat = await startChat();
  await aLeadershipTeam(chat);
});
afterEach(async () => chat.stop());

const say = (who: string, text: string) => chat.as(who).in('党办群').say(text);
const secretsIn = (lines: string[]) => groupLines(lines).filter((l) => l.includes(REASON) || l.includes(NOTE));

describe('a leave reason', () => {
  it('goes privately to the principal; the group only learns that a request was made', async () => {
    const lines = await say('张三', `/请假 ${REASON}`);
    expect(recipients(lines)).toEqual(['群 党办群', '私聊 王书记']);
    expect(groupText(lines)).toBe('张三 已提交请假申请，等待 王书记 审批。原因已私下转给审批人。');
    expect(privateText(lines, '王书记')).toContain(`张三 申请请假，原因：${REASON}`);
    expect(secretsIn(lines)).toEqual([]);
    expect((await chat.rows<{ reason: string }>('leave_request'))[0]!.reason).toBe(REASON);
  });

  it('of the principal goes privately to the supervisor of the parent unit', async () => {
    const lines = await say('王书记', `/请假 ${REASON}`);
    expect(recipients(lines)).toEqual(['群 党办群', '私聊 陈部长']);
    expect(privateText(lines, '陈部长')).toContain(REASON);
    expect(secretsIn(lines)).toEqual([]);
  });

  it('is listed only privately by /请假 列表 sent in the group', async () => {
    // Before anyone asks, the group is told so, with no private message saying the same.
    const none = await say('王书记', '/请假 列表');
    expect(recipients(none)).toEqual(['群 党办群']);
    expect(groupText(none)).toBe('本次会议还没有人请假。');
    await say('张三', `/请假 ${REASON}`);
    for (const who of ['王书记', '刘联络员']) {
      const lines = await say(who, '/请假 列表');
      expect(groupText(lines)).toContain('待审批：张三');
      expect(privateText(lines, who)).toContain(`张三：待审批，原因：${REASON}`);
      expect(secretsIn(lines)).toEqual([]);
    }
  });

  it('stays out of the approval, the rejection, /进度 and the audit log', async () => {
    await say('张三', `/请假 ${REASON}`);
    await say('李四', '/请假 另有安排');
    const decided = [...(await say('王书记', '/批准 @张三')), ...(await say('王书记', '/驳回 @李四 会议不宜缺席'))];
    expect(groupText(decided)).toContain('张三 的请假已批准');
    expect(groupText(decided)).not.toContain('另有安排');
    expect(secretsIn(decided)).toEqual([]);
    expect(privateText(decided, '李四')).toContain('会议不宜缺席');
    expect(secretsIn(await say('王书记', '/进度'))).toEqual([]);
    const details = (await chat.rows<{ detail: string | null }>('audit_log')).map((r) => r.detail ?? '').join('\n');
    expect(details).not.toContain(REASON);
    expect(details).not.toContain('另有安排');
  });

  it('sent in a private chat never reaches a group at all', async () => {
    const lines = await chat.as('张三').privately().say(`/请假 ${REASON}`);
    expect(recipients(lines)).toEqual(['私聊 张三', '私聊 王书记']);
    expect(privateText(lines, '张三')).not.toContain(REASON);
    expect(privateText(lines, '王书记')).toContain(REASON);
  });
});

describe('a talk note', () => {
  it('is stored, acknowledged privately and never posted to the group', async () => {
    const lines = await say('王书记', `/谈心 @张三 面谈 ${NOTE}`);
    expect(groupText(lines)).toContain('已登记：王书记 与 张三 谈心谈话');
    expect(groupText(lines)).toContain('备注已保存，仅本人、主要负责人和联络员可见，不会发到群里。');
    expect(secretsIn(lines)).toEqual([]);
    expect(recipients(lines)).toEqual(['群 党办群', '私聊 王书记']);
    expect((await chat.rows<{ note: string }>('talk'))[0]!.note).toBe(NOTE);
  });

  it('does not appear in /谈心 情况, /进度 or the audit log', async () => {
    await say('王书记', `/谈心 @张三 面谈 ${NOTE}`);
    expect(secretsIn(await say('王书记', '/谈心 情况'))).toEqual([]);
    expect(secretsIn(await say('刘联络员', '/进度'))).toEqual([]);
    expect((await chat.rows<{ detail: string | null }>('audit_log')).some((r) => (r.detail ?? '').includes(NOTE))).toBe(false);
  });
});

it('no group line of a whole preparation contains a reason or a note', async () => {
  const script: Array<[string, string]> = [
    ['王书记', `/谈心 @张三 面谈 ${NOTE}`],
    ['王书记', `/谈心 @李四 电话 ${NOTE}`],
    ['赵敏', `/请假 ${REASON}`],
    ['王书记', '/请假 列表'],
    ['王书记', '/批准 @赵敏'],
    ['赵敏', '/书面发言 提交'],
    ['刘联络员', '/请假 列表'],
    ['王书记', '/谈心 情况'],
    ['刘联络员', '/进度'],
  ];
  for (const [who, text] of script) await say(who, text);
  const leaked = messagesOf(chat.transcript).filter((m) => m.to.startsWith('群 ') && (m.text.includes(REASON) || m.text.includes(NOTE)));
  expect(leaked).toEqual([]);
  // …while the approver did get the reason.
  expect(messagesOf(chat.transcript).some((m) => m.to === '私聊 王书记' && m.text.includes(REASON))).toBe(true);
});
