import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_LIMIT } from '../../src/commands/handlers/supervision.handler.js';
import { weeklyDigests } from '../../src/scheduler/digest.js';
import { createUnit, findUnitByName } from '../../src/store/unit.repository.js';
import { chunkLines } from '../../src/text/supervision.js';
import { startWorld, type World } from './driver.js';

const COUNT = 120;
const nameOf = (i: number) => `某某区某某街道第${String(i).padStart(3, '0')}社区党委`;

let w: World;
beforeAll(async () => {
  w = await startWorld('2026-11-01');
  await w.run('孙部长', '市委组织部群', '/单位 设置 市委组织部', '/成员 添加 @孙部长 上级');
  const root = (await findUnitByName(w.db, '市委组织部'))!;
  for (let i = 1; i <= COUNT; i++) await createUnit(w.db, nameOf(i), root.id, '2026-11-01T01:00:00.000Z');
});
afterAll(async () => {
  await w.close();
});

describe('long summaries', () => {
  it('split into several chat messages of at most 3500 characters, totals first, every unit once', async () => {
    const messages = (await w.say('孙部长', '市委组织部群', '/汇总')).map((d) => d.message.text);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(messages[0]!.startsWith('📋 市委组织部')).toBe(true);
    expect(messages[0]).toContain(`共 ${COUNT} 个单位：🔴 0　🟡 ${COUNT}　🟢 0`);
    messages.slice(1).forEach((m, i) => expect(m.startsWith(`（续 ${i + 2}/${messages.length}）`)).toBe(true));
    const rows = messages.flatMap((m) => m.split('\n')).filter((l) => l.startsWith('🟡 '));
    expect(rows.map((l) => l.slice(3).split('｜')[0]).sort()).toEqual(Array.from({ length: COUNT }, (_, i) => nameOf(i + 1)).sort());
  });

  it('the digest stays one message and says how many units it left out', async () => {
    const [digest] = await weeklyDigests(w.db, '2026-11-02');
    expect(digest!.text.length).toBeLessThanOrEqual(3500);
    const listed = digest!.text.split('\n').filter((l) => l.startsWith('🟡 ')).length;
    expect(listed).toBeGreaterThan(0);
    expect(digest!.text).toContain(`还有${COUNT - listed}个需要关注的单位未列出。`);
  });
});

describe(chunkLines.name, () => {
  it('never splits a line and cuts only a line longer than a message', () => {
    const lines = ['a'.repeat(10), 'b'.repeat(10), 'c'.repeat(10), 'd'.repeat(100)];
    const pages = chunkLines(lines, 40);
    expect(pages.flat().slice(0, 3)).toEqual(lines.slice(0, 3));
    for (const p of pages) expect(p.join('\n').length).toBeLessThanOrEqual(40);
    expect(pages.at(-1)![0]!.endsWith('…')).toBe(true);
  });
});
