import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_MATERIALS } from '../../src/domain/rules.js';
import { textOf } from '../../src/text/index.js';
import { ARCHIVE_LABEL } from '../../src/text/supervision.js';
import { startWorld, type World } from './driver.js';

const U = '水利局党组';
const CHAT = '水利局群';
const OP = '联络员水利';
const SECRET_REASON = '家中私事XK1';

let w: World;
beforeAll(async () => {
  w = await startWorld('2026-06-01');
  await w.run(OP, CHAT, `/单位 设置 ${U}`, '/成员 添加 @书记水利 主要负责人', '/成员 添加 @成员水利1 @成员水利2 @成员水利3 班子成员');
  // Last meeting: two items, one done, one left open.
  await w.run(OP, CHAT, '/会议 新建 民主生活会 2026-06-10 上半年主题');
  w.day('2026-06-10');
  await w.run('书记水利', CHAT, '/会议 召开');
  await w.run(OP, CHAT, '/整改 新增 @成员水利1 规范公务接待 截止 2026-06-30', '/整改 新增 @成员水利2 清理闲置资产 截止 2026-07-31');
  w.day('2026-06-20');
  await w.run('成员水利1', CHAT, '/整改 完成 1 已印发接待办法');
  await w.run(OP, CHAT, '/完成 整改清单', '/完成 报告', '/完成 通报');

  // This meeting.
  w.day('2026-11-25');
  await w.run(OP, CHAT, '/会议 新建 民主生活会 2026-12-20 强化理论武装', '/完成 征求意见 发放征求意见表40份，召开座谈会2场');
  await w.run('成员水利1', CHAT, `/请假 ${SECRET_REASON}`);
  await w.run('书记水利', CHAT, '/批准 @成员水利1');
  await w.run('成员水利1', CHAT, '/书面发言 提交');
  w.day('2026-12-20');
  await w.run('书记水利', CHAT, '/会议 召开', '/转告 @成员水利1');
  await w.run(OP, CHAT, '/整改 新增 @成员水利3 @书记水利 健全项目审批台账 截止 2027-01-31');
  w.day('2026-12-21');
});
afterAll(async () => {
  await w.close();
});

describe('/报告 草稿', () => {
  it('drafts the three parts of the report from what was recorded, without criticism or reasons', async () => {
    const text = await w.group(OP, CHAT, '/报告 草稿');
    expect(text).toContain('一、征求意见情况\n已于11月25日登记完成征求意见：发放征求意见表40份，召开座谈会2场');
    expect(text).toContain('会议于12月20日召开，应到4人，实到3人。');
    expect(text).toContain('缺席：成员水利1，书面发言已提交，会议情况和批评意见已转告。');
    // Owners in the store's order (item_owner keeps no position).
    expect(text).toMatch(/三、主要问题及整改措施\n3\. 健全项目审批台账（限期整改；责任人：(成员水利3、书记水利|书记水利、成员水利3)；截止：2027年1月31日；进行中）/);
    // Only this meeting's items.
    expect(text).not.toContain('规范公务接待');
    expect(text).toContain('报送期限：2027年1月4日前');
    expect(text).not.toContain(SECRET_REASON);
  });

  it('says what is missing instead of inventing it', async () => {
    const fresh = await startWorld('2026-11-01');
    try {
      await fresh.run('联络员新', '新单位群', '/单位 设置 新单位', '/成员 添加 @书记新 主要负责人', '/会议 新建 民主生活会 2026-12-20');
      const text = await fresh.group('联络员新', '新单位群', '/报告 草稿');
      expect(text).toContain('尚未登记征求意见环节');
      expect(text).toContain('会议尚未召开（定于12月20日）');
      expect(text).toContain('尚未登记整改事项');
    } finally {
      await fresh.close();
    }
  });

  it('is for the operator and the principal only', async () => {
    expect(await w.group('成员水利2', CHAT, '/报告 草稿')).toBe(textOf('permission.denied', { roles: ['operator', 'principal'] }));
    expect(await w.group('成员水利2', CHAT, '/通报 草稿')).toBe(textOf('permission.denied', { roles: ['operator', 'principal'] }));
  });
});

describe('/通报 草稿', () => {
  it('has time, attendees, topic, problems, the plan, and the last plan’s status', async () => {
    const text = await w.group('书记水利', CHAT, '/通报 草稿');
    expect(text).toContain('一、时间：12月20日召开');
    expect(text).toContain('二、参会人员：书记水利、成员水利2、成员水利3（另有1人请假缺席）');
    expect(text).toContain('三、主题：强化理论武装');
    expect(text).toContain('四、查找出的主要问题\n3. 健全项目审批台账');
    expect(text).toContain('共1项：立行立改0项，限期整改1项，需协调0项；已完成0项。');
    expect(text).toContain('上次会议（6月10日）共2项整改事项，已完成1项，未完成1项。');
    expect(text).toContain('1. 规范公务接待（限期整改；责任人：成员水利1；截止：6月30日；已完成）');
    expect(text).toContain('2. 清理闲置资产（限期整改；责任人：成员水利2；截止：7月31日；已逾期）');
    expect(text).not.toContain(SECRET_REASON);
  });
});

describe('/归档', () => {
  it('shows the 7 materials, ticks one at a time, and /进度 follows', async () => {
    const first = await w.group('成员水利2', CHAT, '/归档');
    expect(first).toContain(`归卷存档（0/${ARCHIVE_MATERIALS.length}）`);
    for (const m of ARCHIVE_MATERIALS) expect(first).toContain(`⬜ ${ARCHIVE_LABEL[m]}`);
    expect(await w.group('成员水利2', CHAT, '/归档 会议方案 已归档')).toBe(textOf('permission.denied', { roles: ['operator'] }));

    const ticked = await w.group(OP, CHAT, '/归档 会议方案 已归档');
    expect(ticked).toContain('已登记：会议方案 已归档。');
    expect(ticked).toContain('✅ 会议方案（12月21日）');
    expect(ticked).toContain('归卷存档（1/7）');
    expect(await w.group(OP, CHAT, '/归档 方案 已归档')).toBe(textOf('archive.already', { material: 'plan', on: '2026-12-21' }));
    expect(await w.group(OP, CHAT, '/归档 会议照片 已归档')).toBe(textOf('archive.unknownMaterial', { typed: '会议照片' }));

    expect(await w.group(OP, CHAT, '/进度')).toContain('⬜ 归档 1/7');
    for (const m of ARCHIVE_MATERIALS.slice(1)) await w.run(OP, CHAT, `/归档 ${ARCHIVE_LABEL[m]}已归档`);
    expect(await w.group(OP, CHAT, '/归档')).toContain('7项材料已全部归档。');
    expect(await w.group(OP, CHAT, '/进度')).toContain('✅ 归档');
  });

  it('has no checklist for 组织生活会', async () => {
    const branch = await startWorld('2026-11-01');
    try {
      await branch.run('组织员', '支部群', '/单位 设置 机关一支部', '/成员 添加 @支书 主要负责人', '/会议 新建 组织生活会 2026-12-20 对照检查');
      expect(await branch.group('组织员', '支部群', '/归档')).toBe(textOf('archive.notApplicable', { kind: 'org_life' }));
    } finally {
      await branch.close();
    }
  });
});
