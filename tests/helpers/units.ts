import type { Chat } from './chat.js';

/**
 * 区教育局党组 in 党办群 (operator 刘联络员, principal 王书记, members 张三 李四 赵敏) under 区委组织部
 * (supervisor 陈部长, in 组织部督导群), with a 民主生活会 on `date` (default 2026-12-28; null: no meeting).
 * Fails loudly if any setup line is refused, so a test never runs on a half-built unit.
 */
export async function aLeadershipTeam(chat: Chat, date: string | null = '2026-12-28'): Promise<void> {
  await expectOk(chat.as('陈部长').in('组织部督导群').say('/单位 设置 区委组织部'));
  await expectOk(chat.as('陈部长').in('组织部督导群').say('/成员 添加 @陈部长 上级'));
  const op = chat.as('刘联络员').in('党办群');
  await expectOk(op.say('/单位 设置 区教育局党组 上级 区委组织部'));
  await expectOk(op.say('/成员 添加 @王书记 主要负责人'));
  await expectOk(op.say('/成员 添加 @张三 @李四 @赵敏 班子成员'));
  if (date) await expectOk(op.say(`/会议 新建 民主生活会 ${date} 加强党性修养`));
}

/**
 * 第一党支部 in 支部群 (organizer 周组织员, secretary 孙书记, committee 钱委员 吴委员, party members
 * 郑党员 冯党员, probationary 陈预备), with a 组织生活会 on `date` (default 2026-12-20).
 */
export async function aPartyBranch(chat: Chat, date = '2026-12-20'): Promise<void> {
  const op = chat.as('周组织员').in('支部群');
  await expectOk(op.say('/单位 设置 第一党支部'));
  await expectOk(op.say('/成员 添加 @孙书记 支部书记'));
  await expectOk(op.say('/成员 添加 @钱委员 @吴委员 支委'));
  await expectOk(op.say('/成员 添加 @郑党员 @冯党员 党员'));
  await expectOk(op.say('/成员 添加 @陈预备 预备党员'));
  await expectOk(op.say(`/会议 新建 组织生活会 ${date}`));
}

const REFUSAL = /只有|没有|不能|不是|格式不对|看不懂|还没有|请写明|系统繁忙|已经过去/;

async function expectOk(lines: Promise<string[]> | string[]): Promise<void> {
  const printed = await lines;
  const text = printed.join('\n');
  if (printed.length === 0 || REFUSAL.test(text)) throw new Error(`setup step refused:\n${text}`);
}
