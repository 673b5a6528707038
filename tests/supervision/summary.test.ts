import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../src/domain/dates.js';
import { dueDate } from '../../src/domain/meeting.js';
import { stepRule } from '../../src/domain/rules.js';
import type { DeadlineState, Light, UnitSummary } from '../../src/domain/summary.js';
import type { MeetingKind, StepId } from '../../src/domain/types.js';
import { weeklyDigests } from '../../src/scheduler/digest.js';
import { addRole, createPerson } from '../../src/store/person.repository.js';
import { loadUnitSummaries, supervisedUnits } from '../../src/store/supervision.repository.js';
import { createUnit, findUnitByName } from '../../src/store/unit.repository.js';
import { textOf } from '../../src/text/index.js';
import type { World } from './driver.js';
import { buildTree, CAMPAIGN_END, MEETING_DAY, SUMMARY_DAY } from './tree.js';

let w: World;
beforeAll(async () => {
  w = await buildTree();
});
afterAll(async () => {
  await w.close();
});

const S = SUMMARY_DAY;
/** The rule's due date for a step of a meeting on `day` (no unit overrides in this tree). */
const due = (kind: MeetingKind, step: StepId, day: string) => dueDate(stepRule(kind, step)!, day)!;
const dl = due;

async function summaries(root: string): Promise<Map<string, UnitSummary>> {
  const unit = (await findUnitByName(w.db, root))!;
  const rows = await loadUnitSummaries(w.db, await supervisedUnits(w.db, unit.id), S);
  return new Map(rows.map((r) => [r.unitName, r]));
}

const rowLines = (text: string) => text.split('\n').filter((l) => /^[🔴🟡🟢] /u.test(l));
const unitOf = (line: string) => line.replace(/^\S+ /u, '').split('｜')[0];

describe('/汇总 rows against the rules', () => {
  it('judges each paper step: on time, late by N days, missing, pending, not applicable', async () => {
    const rows = await summaries('区委组织部');
    const dl_ = (u: keyof typeof MEETING_DAY, step: StepId) => dl('democratic_life', step, MEETING_DAY[u]);
    const expected: Record<string, Partial<Record<'plan' | 'notice' | 'report', DeadlineState>>> = {
      甲单位: {
        plan: { state: 'on_time', due: dl_('甲单位', 'plan'), doneOn: '2026-11-20' },
        notice: { state: 'on_time', due: dl_('甲单位', 'notice'), doneOn: '2026-11-28' },
        report: { state: 'pending', due: dl_('甲单位', 'report') },
      },
      乙单位: {
        plan: { state: 'late', due: dl_('乙单位', 'plan'), doneOn: '2026-11-26', days: daysBetween(dl_('乙单位', 'plan'), '2026-11-26') },
        notice: { state: 'missing', due: dl_('乙单位', 'notice'), days: daysBetween(dl_('乙单位', 'notice'), S) },
      },
      丙单位: {
        plan: { state: 'missing', due: dl_('丙单位', 'plan'), days: daysBetween(dl_('丙单位', 'plan'), S) },
        notice: { state: 'pending', due: dl_('丙单位', 'notice') },
      },
      丁单位: {
        plan: { state: 'on_time', due: dl_('丁单位', 'plan'), doneOn: '2026-11-05' },
        notice: { state: 'on_time', due: dl_('丁单位', 'notice'), doneOn: '2026-11-10' },
        report: { state: 'pending', due: dl_('丁单位', 'report') },
      },
      // 组织生活会: the plan is optional (not used here), and the report is the filing with the upper level.
      庚支部: {
        plan: { state: 'not_applicable' },
        report: { state: 'pending', due: dl('org_life', 'filing', MEETING_DAY.庚支部) },
      },
    };
    for (const [unit, papers] of Object.entries(expected)) expect(rows.get(unit)?.papers, unit).toMatchObject(papers);
    // Sanity of the scenario itself: 乙 really was 3 days late, 丙 really is 4 days past due.
    expect(daysBetween(dl_('乙单位', 'plan'), '2026-11-26')).toBe(3);
    expect(daysBetween(dl_('丙单位', 'plan'), S)).toBe(4);
  });

  it('counts talks, leave, items and overdue days, and flags units without a meeting', async () => {
    const rows = await summaries('区委组织部');
    // 甲: principal ↔ 2 members required, one talk logged; one approved leave (the rejected one does not count).
    expect(rows.get('甲单位')).toMatchObject({ coverage: 50, leave: { approved: 1, pending: 0 }, overdueSteps: 0, lastActivity: '2026-11-28' });
    expect(rows.get('丁单位')).toMatchObject({
      coverage: 100, phase: 'rectify', items: { open: 2, overdue: 1, done: 1 }, overdueSteps: 0,
      maxOverdueDays: daysBetween('2026-11-25', S), lastActivity: '2026-11-26',
    });
    expect(rows.get('乙单位')).toMatchObject({ overdueSteps: 1, maxOverdueDays: daysBetween(dl('democratic_life', 'notice', MEETING_DAY.乙单位), S) });
    expect(rows.get('丙单位')).toMatchObject({ overdueSteps: 1, failed: 2, lastActivity: '2026-11-01' });
    expect(rows.get('乙单位')?.failed).toBe(0);
    expect(rows.get('戊单位')?.flags).toEqual([{ flag: 'no_meeting' }, { flag: 'campaign_missing', kind: 'democratic_life', end: CAMPAIGN_END, passed: false }]);
    expect(rows.get('教育工委')?.flags).toEqual([{ flag: 'no_meeting' }]);
    expect(rows.get('庚支部')?.flags).toEqual([]);
  });

  it('gives one traffic light per unit: red for anything overdue, yellow for a missing meeting, green otherwise', async () => {
    const rows = await summaries('区委组织部');
    const want: Record<string, Light> = { 甲单位: 'green', 乙单位: 'red', 丙单位: 'red', 丁单位: 'red', 戊单位: 'yellow', 教育工委: 'yellow', 庚支部: 'green' };
    expect(Object.fromEntries([...rows].map(([name, r]) => [name, r.light]))).toEqual(want);
  });

  it('lists worst first: red by most overdue, then yellow, then green; totals at the top', async () => {
    const text = await w.group('陈部长', '组织部群', '/汇总');
    const byName = (a: string, b: string) => a.localeCompare(b, 'zh-CN');
    // Red: each has one overdue thing; the longest overdue first (丁 item 6 days, 丙 plan 4, 乙 notice 3).
    const order = ['丁单位', '丙单位', '乙单位', ...['戊单位', '教育工委'].sort(byName), ...['甲单位', '庚支部'].sort(byName)];
    expect(rowLines(text).map(unitOf)).toEqual(order);
    expect(text.startsWith('📋 区委组织部')).toBe(true);
    expect(text).toContain('共 7 个单位：🔴 3　🟡 2　🟢 2');
    expect(text).toContain('未安排会议 2 个；未按部署安排 1 个；有逾期 3 个');
    expect(text).toContain('方案：按时 2，晚报 1，未登记 1，未到期 0');
    expect(text).toContain('通知：按时 2，晚报 0，未登记 1，未到期 2');
    expect(text).toContain('整改事项：未完成 2（逾期 1，延期 0），已完成 1');
    expect(text).toContain('发送失败的消息：2 条');
    const line = (u: string) => rowLines(text).find((l) => unitOf(l) === u)!;
    expect(line('乙单位')).toContain(`方案 晚3天，通知 未登记（逾期${daysBetween(dl('democratic_life', 'notice', MEETING_DAY.乙单位), S)}天）`);
    expect(line('丙单位')).toContain('方案 未登记（逾期4天）');
    expect(line('甲单位')).toContain('方案 按时，通知 按时');
    expect(line('甲单位')).toContain('谈心 50%｜请假 1｜');
    expect(line('丁单位')).toContain('整改 未完成2（逾期1）已完成1');
    expect(line('戊单位')).toContain('未安排会议');
    expect(line('戊单位')).toContain('尚未安排2027年1月31日前的民主生活会');
    expect(line('甲单位')).toContain('最近活动 11月28日');
  });

  it('/汇总 逾期 keeps only units with overdue steps or items', async () => {
    const text = await w.group('陈部长', '组织部群', '/汇总 逾期');
    expect(rowLines(text).map(unitOf)).toEqual(['丁单位', '丙单位', '乙单位']);
  });

  it('/汇总 <单位名> shows one unit like /进度, its items and its failed deliveries', async () => {
    const text = await w.group('陈部长', '组织部群', '/汇总 丁单位');
    expect(text).toContain('📋 丁单位 · 督导详情');
    expect(text).toContain('阶段：会后整改');
    expect(text).toContain(`1. 修订理论学习制度 · 成员丁单位1 · 11月25日 · 已逾期${daysBetween('2026-11-25', S)}天`);
    expect(text).toContain('2. 整改会风会纪问题');
    expect(text).toContain(`报告：待办，期限${'12月5日'}`);
    expect(addDays(MEETING_DAY.丁单位, 15)).toBe('2026-12-05');
    expect(await w.group('陈部长', '组织部群', '/汇总 丙单位')).toContain('发送失败的消息：2 条');
    // A partial name that matches one unit is enough.
    expect(await w.group('陈部长', '组织部群', '/汇总 庚')).toContain('📋 庚支部 · 督导详情');
  });
});

describe('who sees what', () => {
  it('a member cannot run /汇总, and the refusal names who may', async () => {
    expect(await w.group('成员甲单位1', '甲单位群', '/汇总')).toBe(textOf('permission.denied', { roles: ['supervisor'] }));
    expect(await w.group('联络员甲单位', '甲单位群', '/汇总')).toBe(textOf('permission.denied', { roles: ['supervisor'] }));
  });

  it('a supervisor of one branch sees nothing of another', async () => {
    const other = await w.group('周部长', '卫健委群', '/汇总');
    expect(rowLines(other).map(unitOf)).toEqual(['己单位']);
    for (const name of ['甲单位', '乙单位', '丙单位', '丁单位', '戊单位', '教育工委', '庚支部']) expect(other).not.toContain(name);
    expect(await w.group('周部长', '卫健委群', '/汇总 甲单位')).toBe(textOf('summary.unitNotFound', { typed: '甲单位' }));
    // 陈部长 is not 上级 of 区卫健委: not even in its own chat.
    expect(await w.group('陈部长', '卫健委群', '/汇总')).toBe(textOf('permission.denied', { roles: ['supervisor'] }));
  });

  it('a supervisor in the middle sees only the units below it', async () => {
    expect(rowLines(await w.group('吴部长', '教育工委群', '/汇总')).map(unitOf)).toEqual(['庚支部']);
    expect(await w.group('吴部长', '教育工委群', '/汇总 丁单位')).toBe(textOf('summary.unitNotFound', { typed: '丁单位' }));
  });

  it('an upper supervisor may look from a unit’s own chat: that unit and what is below it', async () => {
    expect(rowLines(await w.group('陈部长', '甲单位群', '/汇总')).map(unitOf)).toEqual(['甲单位']);
  });
});

describe(weeklyDigests.name, () => {
  it('one digest per supervising unit with a chat: the totals and the red and yellow units', async () => {
    const digests = await weeklyDigests(w.db, S);
    const id = async (name: string) => (await findUnitByName(w.db, name))!.id;
    const [top, other, edu] = [await id('区委组织部'), await id('区卫健委'), await id('教育工委')];
    expect(digests.map((x) => x.unitId).sort()).toEqual([top, other, edu].sort());
    const text = digests.find((x) => x.unitId === top)!.text;
    expect(text.startsWith('【每周督导汇总】')).toBe(true);
    expect(text).toContain('共 7 个单位：🔴 3　🟡 2　🟢 2');
    expect(rowLines(text).map(unitOf)).toEqual(['丁单位', '丙单位', '乙单位', ...['戊单位', '教育工委'].sort((a, b) => a.localeCompare(b, 'zh-CN'))]);
    expect(text).not.toContain('甲单位');
    expect(text.length).toBeLessThanOrEqual(3500);
    // 己单位 is green: 区卫健委's digest lists no unit but still reports its totals.
    const health = digests.find((x) => x.unitId === other)!.text;
    expect(health).toContain('共 1 个单位：🔴 0　🟡 0　🟢 1');
    expect(rowLines(health)).toEqual([]);
  });

  it('skips a supervising unit without a bound chat', async () => {
    const at = '2026-12-01T01:00:00.000Z';
    const lonely = await createUnit(w.db, '无群督导单位', null, at);
    await createUnit(w.db, '无群下级单位', lonely.id, at);
    await addRole(w.db, lonely.id, await createPerson(w.db, '孤独上级', at), 'supervisor', at);
    expect((await weeklyDigests(w.db, S)).map((x) => x.unitId)).not.toContain(lonely.id);
  });
});
