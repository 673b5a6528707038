import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate } from '../../src/domain/dates.js';
import { campaignOffsetsFor, offsetsFor, themeFor } from '../../src/domain/rules.js';
import { findUnitByName, saveUnitSettings } from '../../src/store/unit.repository.js';
import { startWorld, type World } from './driver.js';

/**
 * A campaign (/部署) is for one meeting kind: a 组织生活会 campaign moves neither the deadlines nor
 * the default theme of a 民主生活会, and a campaign without offsets wipes no other kind's.
 */

let w: World;
const DL_THEME = '学习贯彻全会精神';
const OL_THEME = '对照党章党规找差距';
const END = '2027-01-15';
const D = { A单位: '2026-12-20', B单位: '2026-12-22', C单位: '2026-12-24', D单位: '2026-12-26' } as const;
const due = (date: string, days: number) => formatDate(addDays(date, days));

beforeAll(async () => {
  w = await startWorld('2026-11-01');
  await w.run('钱部长', '市委组织部群', '/单位 设置 市委组织部', '/成员 添加 @钱部长 上级');
  for (const u of ['A单位', 'B单位', 'C单位', 'D单位']) await w.run(`联络员${u}`, `${u}群`, `/单位 设置 ${u} 上级 市委组织部`, `/成员 添加 @书记${u} 主要负责人`);
  await w.run('联络员A单位', 'A单位群', `/会议 新建 民主生活会 ${D.A单位} 本单位主题`);
});
afterAll(async () => {
  await w.close();
});

const obligationDue = async (unit: string, step: string) => {
  const u = (await findUnitByName(w.db, unit))!;
  return (await w.db.selectFrom('obligation').select('due_date').where('unit_id', '=', u.id).where('step', '=', step).executeTakeFirst())?.due_date;
};

describe('/部署 applies per meeting kind', () => {
  it('a 组织生活会 campaign leaves a 民主生活会’s deadlines and default theme alone', async () => {
    await w.run('钱部长', '市委组织部群', `/部署 民主生活会 ${DL_THEME} 截止 ${END} 方案提前 18 通知提前 12`);
    const before = await w.group('联络员A单位', 'A单位群', '/进度');
    expect(before).toContain(`方案 · 截止${formatDate(addDays(D.A单位, -18), w.today())}`);

    await w.run('钱部长', '市委组织部群', `/部署 组织生活会 ${OL_THEME} 截止 ${END} 方案提前 20 通知提前 14 报告期限 10`);
    expect(await w.group('联络员A单位', 'A单位群', '/进度')).toBe(before);
    expect(await obligationDue('A单位', 'plan')).toBe(addDays(D.A单位, -18));
    expect(await obligationDue('A单位', 'notice')).toBe(addDays(D.A单位, -12));

    const dl = await w.group('联络员B单位', 'B单位群', `/会议 新建 民主生活会 ${D.B单位}`);
    expect(dl).toContain(`主题：${DL_THEME}`);
    expect(dl).not.toContain(OL_THEME);
    expect(dl).toContain(`方案：${due(D.B单位, -18)}前`);
    expect(dl).toContain(`通知：${due(D.B单位, -12)}前`);
    expect(dl).toContain(`报告：${due(D.B单位, 15)}前`);
  });

  it('the 组织生活会 campaign’s theme and deadlines go to 组织生活会 meetings', async () => {
    const ol = await w.group('联络员C单位', 'C单位群', `/会议 新建 组织生活会 ${D.C单位}`);
    expect(ol).toContain(`主题：${OL_THEME}`);
    expect(ol).toContain(`通知：${due(D.C单位, -14)}前`);
    expect(ol).toContain(`备案：${due(D.C单位, 10)}前`);
    expect(await obligationDue('C单位', 'notice')).toBe(addDays(D.C单位, -14));
  });

  it('/设置 shows each kind’s deadlines and campaign theme', async () => {
    const show = await w.group('书记A单位', 'A单位群', '/设置');
    expect(show).toBe([
      'A单位 的期限设置：',
      `【民主生活会】上级部署的主题：${DL_THEME}`,
      '• 方案：会前18天报上级审核（上级部署）',
      '• 通知：会前12天（上级部署）',
      '• 报告：会后15天内（默认）',
      `【组织生活会】上级部署的主题：${OL_THEME}`,
      '• 方案：会前20天报上级审核（上级部署）',
      '• 通知：会前14天（上级部署）',
      '• 备案：会后10天内（上级部署）',
      '本单位的设置对两种会议都适用，优先于上级部署。',
      '修改：/设置 方案提前 20、/设置 通知提前 10、/设置 报告期限 15；恢复：/设置 方案提前 默认',
    ].join('\n'));
  });

  it('a 组织生活会 campaign without offsets does not wipe the 民主生活会 campaign’s', async () => {
    const a = await w.group('联络员A单位', 'A单位群', '/进度');
    await w.run('钱部长', '市委组织部群', `/部署 组织生活会 ${OL_THEME} 截止 ${END}`);
    expect(await w.group('联络员A单位', 'A单位群', '/进度')).toBe(a);
    expect(await obligationDue('B单位', 'plan')).toBe(addDays(D.B单位, -18));
    // …while the 组织生活会 goes back to the rules' D-10.
    expect(await obligationDue('C单位', 'notice')).toBe(addDays(D.C单位, -10));
    expect(await w.group('联络员A单位', 'A单位群', '/设置 通知提前 默认')).toBe([
      '已恢复：', '• 民主生活会 通知：会前12天（上级部署）', '• 组织生活会 通知：会前10天（默认）',
    ].join('\n'));
  });

  it('settings stored before campaigns were per kind keep their meaning until that kind is deployed again', async () => {
    // What /部署 used to write: one unit-wide copy of the last campaign, no campaign of its kind.
    const d = (await findUnitByName(w.db, 'D单位'))!;
    await saveUnitSettings(w.db, d.id, { offsets: { notice: -13 }, theme: '旧部署主题' });
    const ol = await w.group('联络员D单位', 'D单位群', `/会议 新建 组织生活会 ${D.D单位}`);
    expect(ol).toContain('主题：旧部署主题');
    expect(ol).toContain(`通知：${due(D.D单位, -13)}前`);
    expect(await w.group('联络员D单位', 'D单位群', '/设置')).toContain('【组织生活会】上级部署的主题：旧部署主题\n• 方案：会前15天报上级审核（默认）\n• 通知：会前13天（上级部署）');
    await w.run('钱部长', '市委组织部群', `/部署 组织生活会 ${OL_THEME} 截止 ${END} 通知提前 11`);
    expect(await obligationDue('D单位', 'notice')).toBe(addDays(D.D单位, -11));
    const s = (await findUnitByName(w.db, 'D单位'))!.settings;
    expect(s.offsets).toBeUndefined();
    expect(s.theme).toBeUndefined();
  });
});

describe(offsetsFor.name, () => {
  const campaign = (theme: string, offsets: Record<string, number>) => ({ theme, offsets });
  it.each([
    ['old kind-less data applies to both kinds', { offsets: { plan: -20 } }, 'org_life', { plan: -20 }],
    ['a campaign of the kind wins over old data', { offsets: { plan: -20 }, campaigns: { org_life: campaign('t', { notice: -12 }) } }, 'org_life', { notice: -12 }],
    ['old data still counts for the other kind', { offsets: { plan: -20 }, campaigns: { org_life: campaign('t', { notice: -12 }) } }, 'democratic_life', { plan: -20 }],
    ['another kind’s campaign does not apply', { campaigns: { org_life: campaign('t', { plan: -20 }) } }, 'democratic_life', {}],
    ['the unit’s own settings win', { ownOffsets: { plan: -25 }, campaigns: { democratic_life: campaign('t', { plan: -20, notice: -12 }) } }, 'democratic_life', { plan: -25, notice: -12 }],
  ] as const)('%s', (_name, settings, kind, want) => expect(offsetsFor(settings, kind)).toEqual(want));

  it('themeFor and campaignOffsetsFor read the same way', () => {
    const s = { theme: '旧', offsets: { plan: -20 }, campaigns: { democratic_life: campaign('新', {}) } };
    expect(themeFor(s, 'democratic_life')).toBe('新');
    expect(themeFor(s, 'org_life')).toBe('旧');
    expect(themeFor({}, 'org_life')).toBeUndefined();
    expect(campaignOffsetsFor(s, 'democratic_life')).toEqual({});
    expect(campaignOffsetsFor(s, 'org_life')).toEqual({ plan: -20 });
  });
});
