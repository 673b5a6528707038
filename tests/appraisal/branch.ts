import { expect } from 'vitest';
import type { Chat } from '../helpers/chat.js';
import { seeded as seededRng } from '../helpers/random.js';

/**
 * 第二党支部 in 二支部群, 25 members taking part: 孙书记 (secretary), 4 committee members,
 * 18 party members and 2 probationary members; 周组织员 is the operator (not a member), and
 * 陈部长 the supervisor of 区委组织部 above it. A 组织生活会 on 2026-12-10, held that day.
 */
export const SECRETARY = '孙书记';
export const OPERATOR = '周组织员';
export const SUPERVISOR = '陈部长';
export const GROUP = '二支部群';
export const COMMITTEE = ['钱委员', '吴委员', '郑委员', '冯委员'];
export const PARTY_MEMBERS = ['赵明', '钱亮', '孙红', '李华', '周强', '吴芳', '郑伟', '王磊', '冯静', '陈刚', '褚丽', '卫东', '蒋涛', '沈洁', '韩冰', '杨帆', '朱琳', '秦岭'];
export const PROBATIONARY = ['陈预备', '林预备'];
/** Everyone appraised, in roster order. */
export const PARTICIPANTS = [SECRETARY, ...COMMITTEE, ...PARTY_MEMBERS, ...PROBATIONARY];
export const GRADABLE = PARTICIPANTS.filter((n) => !PROBATIONARY.includes(n));
export const MEETING_DAY = '2026-12-10';

const REFUSAL = /只有|没有|不能|不是|格式不对|看不懂|还没有|请写明|系统繁忙|已经过去/;

export async function ok(lines: Promise<string[]>): Promise<string[]> {
  const printed = await lines;
  expect(printed.length, 'no reply').toBeGreaterThan(0);
  expect(printed.join('\n')).not.toMatch(REFUSAL);
  return printed;
}

/** Builds the branch and holds its 组织生活会 (the chat should start before {@link MEETING_DAY}). */
export async function aBigBranch(chat: Chat): Promise<void> {
  await ok(chat.as(SUPERVISOR).in('组织部督导群').say('/单位 设置 区委组织部'));
  await ok(chat.as(SUPERVISOR).in('组织部督导群').say(`/成员 添加 @${SUPERVISOR} 上级`));
  const op = chat.as(OPERATOR).in(GROUP);
  await ok(op.say('/单位 设置 第二党支部 上级 区委组织部'));
  await ok(op.say(`/成员 添加 @${SECRETARY} 支部书记`));
  await ok(op.say(`/成员 添加 ${COMMITTEE.map((n) => `@${n}`).join(' ')} 支委`));
  await ok(op.say(`/成员 添加 ${PARTY_MEMBERS.map((n) => `@${n}`).join(' ')} 党员`));
  await ok(op.say(`/成员 添加 ${PROBATIONARY.map((n) => `@${n}`).join(' ')} 预备党员`));
  await ok(op.say(`/会议 新建 组织生活会 ${MEETING_DAY}`));
  chat.setDay(MEETING_DAY, 15);
  await ok(chat.as(SECRETARY).in(GROUP).say('/会议 召开'));
}

/** A seeded PRNG (tests/helpers/random.ts), so every run votes the same way. */
export const seeded = (seed: number): (() => number) => seededRng(seed).next;

export const GRADE_WORDS = ['优秀', '合格', '基本合格', '不合格'] as const;
export type GradeWord = (typeof GRADE_WORDS)[number];

/**
 * 第三党支部 in 三支部群: 孙书记 (secretary), 钱委员 吴委员 (committee), 郑党员 冯党员 卫党员 (members),
 * 陈预备 (probationary), 黄主任 (列席, not appraised); 周组织员 operates it. A 组织生活会 on
 * 2026-12-20, held that day at 15:00 unless `hold` is false.
 */
export const SMALL_GROUP = '三支部群';
export const SMALL_PARTICIPANTS = ['孙书记', '钱委员', '吴委员', '郑党员', '冯党员', '卫党员', '陈预备'];

export async function aSmallBranch(chat: Chat, opts: { hold?: boolean } = {}): Promise<void> {
  const op = chat.as(OPERATOR).in(SMALL_GROUP);
  await ok(op.say('/单位 设置 第三党支部'));
  await ok(op.say('/成员 添加 @孙书记 支部书记'));
  await ok(op.say('/成员 添加 @钱委员 @吴委员 支委'));
  await ok(op.say('/成员 添加 @郑党员 @冯党员 @卫党员 党员'));
  await ok(op.say('/成员 添加 @陈预备 预备党员'));
  await ok(op.say('/成员 添加 @黄主任 列席'));
  await ok(op.say('/会议 新建 组织生活会 2026-12-20'));
  if (opts.hold === false) return;
  chat.setDay('2026-12-20', 15);
  await ok(chat.as('孙书记').in(SMALL_GROUP).say('/会议 召开'));
}
