import type { LocalDate } from '../../src/domain/dates.js';
import { describeSent, type World } from './harness.js';

/** The people of the test branch and its supervising unit. */
export const OP = '联络员';
export const SEC = '王书记';
export const ZHANG = '张委员';
export const ZHAO = '赵委员';
export const LI = '李部长';
export const GROUP = '党办群';
export const SUP_GROUP = '组织部群';
export const UNIT = '测试支部';

/**
 * 区委组织部 (bound to 组织部群, where 李部长 holds 上级) above 测试支部 (bound to 党办群):
 * 联络员 (operator), 王书记 (principal), 张委员 and 赵委员 (team members).
 */
export async function aBranch(w: World, opts: { supervisor?: boolean; members?: string[] } = {}): Promise<void> {
  const supervised = opts.supervisor !== false;
  if (supervised) {
    await w.must('组织员', SUP_GROUP, '/单位 设置 区委组织部', '本群已绑定');
    await w.must('组织员', SUP_GROUP, `/成员 添加 @${LI} 上级`, '已把');
  }
  await w.must(OP, GROUP, `/单位 设置 ${UNIT}${supervised ? ' 上级 区委组织部' : ''}`, '本群已绑定');
  await w.must(OP, GROUP, `/成员 添加 @${SEC} 主要负责人`, '已把');
  for (const m of opts.members ?? [ZHANG]) await w.must(OP, GROUP, `/成员 添加 @${m} 班子成员`, '已把');
}

/**
 * A 民主生活会 held on `date` (the clock is moved there, 10:00) whose dated steps are all recorded,
 * so that only rectification items are left to remind about.
 */
export async function aHeldMeeting(w: World, date: LocalDate): Promise<void> {
  w.at(date, 10);
  await w.must(OP, GROUP, `/会议 新建 民主生活会 ${date}`, '已安排');
  for (const step of ['方案', '通知']) await w.must(OP, GROUP, `/完成 ${step}`, '已登记');
  await w.must(OP, GROUP, '/会议 召开', '已记录');
  for (const step of ['整改清单', '报告', '通报']) await w.must(OP, GROUP, `/完成 ${step}`, '已登记');
}

/** `day kind @who…` of every reminder line about `what` (e.g. `方案`) sent to `chat`, in sending order. */
export async function timeline(w: World, what: string, chat = GROUP): Promise<string[]> {
  return (await describeSent(w))
    .map((l) => l.split(' '))
    .filter(([, c, w2]) => c === chat && w2 === what)
    .map(([day, , , kind, ...who]) => [day, kind, ...who].join(' '));
}

/** Mentioned names as {@link timeline} prints them (sorted). */
export const who = (...names: string[]): string => [...names].sort().join(' ');
