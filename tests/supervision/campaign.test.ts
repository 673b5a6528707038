import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate } from '../../src/domain/dates.js';
import { loadUnitSummaries, supervisedUnits } from '../../src/store/supervision.repository.js';
import { findUnitByName } from '../../src/store/unit.repository.js';
import { textOf } from '../../src/text/index.js';
import { startWorld, type World } from './driver.js';

let w: World;
const THEME = '学习贯彻全会精神';
const END = '2027-01-15';
const D = { A单位: '2026-12-20', B单位: '2026-12-22', C单位: '2027-02-10' } as const;

beforeAll(async () => {
  w = await startWorld('2026-11-01');
  await w.run('钱部长', '市委组织部群', '/单位 设置 市委组织部', '/成员 添加 @钱部长 上级');
  for (const u of ['A单位', 'B单位', 'C单位']) await w.run(`联络员${u}`, `${u}群`, `/单位 设置 ${u} 上级 市委组织部`, `/成员 添加 @书记${u} 主要负责人`);
  // B单位 decided its own plan deadline before the campaign came.
  await w.run('联络员B单位', 'B单位群', '/设置 方案提前 20');
});
afterAll(async () => {
  await w.close();
});

const settingsOf = async (name: string) => (await findUnitByName(w.db, name))!.settings;
const summaryOf = async (name: string, today: string) => {
  const root = (await findUnitByName(w.db, '市委组织部'))!;
  return (await loadUnitSummaries(w.db, await supervisedUnits(w.db, root.id), today)).find((r) => r.unitName === name)!;
};

describe('/部署 applies a campaign to every unit below', () => {
  it('stores the theme, the window and the signed offsets in each unit', async () => {
    const reply = await w.group('钱部长', '市委组织部群', `/部署 民主生活会 ${THEME} 截止 ${END} 方案提前 15 通知提前 12 报告期限 10`);
    expect(reply).toContain('已向 3 个单位部署民主生活会');
    expect(reply).toContain('方案会前15天报上级审核，通知会前12天，报告（备案）会后10天内');
    expect(reply).toContain('B单位 有本单位设置的期限，以本单位设置为准');
    for (const u of ['A单位', 'B单位', 'C单位']) {
      const s = await settingsOf(u);
      // 方案提前 15 → plan −15; 通知提前 12 → notice −12; 报告期限 10 → every D+15 step becomes D+10.
      expect(s.campaigns?.democratic_life).toEqual({
        kind: 'democratic_life', theme: THEME, start: '2026-11-01', end: END, offsets: { plan: -15, notice: -12, report: 10, filing: 10, inform: 10, rectify_list: 10 },
      });
      // Kept per meeting kind only: nothing unit-wide that a 组织生活会 would read.
      expect(s.offsets).toBeUndefined();
      expect(s.theme).toBeUndefined();
    }
    expect((await settingsOf('B单位')).ownOffsets).toEqual({ plan: -20 });
  });

  it('new meetings take the campaign theme and deadlines; the unit’s own setting wins', async () => {
    const a = await w.group('联络员A单位', 'A单位群', `/会议 新建 民主生活会 ${D.A单位}`);
    expect(a).toContain(`主题：${THEME}`);
    expect(a).toContain(`方案：${formatDate(addDays(D.A单位, -15))}前`);
    expect(a).toContain(`通知：${formatDate(addDays(D.A单位, -12))}前`);
    expect(a).toContain(`报告：${formatDate(addDays(D.A单位, 10))}前`);
    const b = await w.group('联络员B单位', 'B单位群', `/会议 新建 民主生活会 ${D.B单位}`);
    expect(b).toContain(`方案：${formatDate(addDays(D.B单位, -20))}前`);
    expect(b).toContain(`通知：${formatDate(addDays(D.B单位, -12))}前`);
    const summary = await summaryOf('B单位', '2026-11-02');
    expect(summary.papers?.plan).toEqual({ state: 'pending', due: addDays(D.B单位, -20) });
    expect(summary.papers?.report).toEqual({ state: 'pending', due: addDays(D.B单位, 10) });
  });

  it('/设置 shows where each deadline comes from; `默认` falls back to the campaign and moves the reminders', async () => {
    // Anyone of the unit may look; only the operator may change.
    const show = await w.group('书记B单位', 'B单位群', '/设置');
    expect(show).toContain('方案：会前20天报上级审核（本单位设置）');
    expect(show).toContain('通知：会前12天（上级部署）');
    expect(show).toContain('报告：会后10天内（上级部署）');
    // The campaign was for 民主生活会: a 组织生活会 keeps the rules' deadlines.
    expect(show).toContain('备案：会后15天内（默认）');
    expect(await w.group('书记B单位', 'B单位群', '/设置 方案提前 30')).toBe(textOf('permission.denied', { roles: ['operator'] }));
    expect(await w.group('联络员B单位', 'B单位群', '/设置 方案提前 默认')).toContain('方案：会前15天报上级审核（上级部署）');
    expect((await summaryOf('B单位', '2026-11-02')).papers?.plan).toEqual({ state: 'pending', due: addDays(D.B单位, -15) });
    const b = (await findUnitByName(w.db, 'B单位'))!;
    const obligation = await w.db.selectFrom('obligation').select('due_date').where('unit_id', '=', b.id).where('step', '=', 'plan').executeTakeFirst();
    expect(obligation?.due_date).toBe(addDays(D.B单位, -15));
  });

  it('flags a unit without a meeting inside the window: yellow before the end, red after', async () => {
    await w.run('联络员C单位', 'C单位群', `/会议 新建 民主生活会 ${D.C单位} 另定主题`);
    const before = await summaryOf('C单位', '2026-11-02');
    expect(before.flags).toEqual([{ flag: 'campaign_missing', kind: 'democratic_life', end: END, passed: false }]);
    expect(before.light).toBe('yellow');
    expect((await summaryOf('A单位', '2026-11-02')).flags).toEqual([]);
    w.day('2026-11-02');
    expect(await w.group('钱部长', '市委组织部群', '/汇总')).toContain('未按部署安排 1 个');
    const after = await summaryOf('C单位', addDays(END, 1));
    expect(after.flags).toEqual([{ flag: 'campaign_missing', kind: 'democratic_life', end: END, passed: true }]);
    expect(after.light).toBe('red');
  });

  it('deploying again keeps the window’s start, so meetings already counted still count', async () => {
    w.day('2026-11-10');
    await w.run('钱部长', '市委组织部群', `/部署 民主生活会 ${THEME} 截止 ${END} 方案提前 15`);
    expect((await settingsOf('A单位')).campaigns?.democratic_life).toMatchObject({ start: '2026-11-01', end: END });
    expect((await settingsOf('A单位')).campaigns?.democratic_life?.offsets).toEqual({ plan: -15 });
  });

  it('refuses a past deadline, bad day counts and anyone but a supervisor', async () => {
    w.day('2026-11-10');
    expect(await w.group('钱部长', '市委组织部群', `/部署 民主生活会 ${THEME} 截止 2026-11-01`)).toBe(
      textOf('campaign.endInPast', { kind: 'democratic_life', theme: THEME, end: '2026-11-01', example: addDays('2026-11-10', 60) }),
    );
    // The example repeats the kind and theme typed, so it is a command the bot accepts.
    expect(await w.group('钱部长', '市委组织部群', `/部署 组织生活会 ${THEME} 截止 2026-11-01`)).toBe(
      `截止日期 2026年11月1日 已经过去。请填写以后的日期，例如：/部署 组织生活会 ${THEME} 截止 2027-01-09`,
    );
    expect(await w.group('钱部长', '市委组织部群', `/部署 民主生活会 ${THEME} 截止 ${END} 方案提前 十五`)).toBe(textOf('campaign.badDays', { typed: '十五', word: '方案提前' }));
    expect(await w.group('联络员A单位', 'A单位群', `/部署 民主生活会 ${THEME} 截止 ${END}`)).toBe(textOf('permission.denied', { roles: ['supervisor'] }));
    expect(await w.group('钱部长', 'C单位群', `/部署 民主生活会 ${THEME} 截止 ${END}`)).toBe(textOf('campaign.noUnits', { unit: 'C单位' }));
  });
});
