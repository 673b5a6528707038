import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTool } from '../../src/cli/tools.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { aBranch, GROUP, OP, SEC } from './fixtures.js';
import { startWorld, tempStore } from './harness.js';

/** `shenghuohui remind --preview --date …` prints what the scheduler would send that day, and writes nothing. */
let tmp: Awaited<ReturnType<typeof tempStore>>;
beforeEach(async () => {
  tmp = await tempStore();
});
afterEach(() => tmp.cleanup());

describe('remind --preview', () => {
  it('prints the day’s digest per chat without logging or queueing anything', async () => {
    const w = await startWorld({ at: ['2026-11-30', 9, 30], url: tmp.url });
    await aBranch(w);
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    await w.stop();

    const printed: string[] = [];
    const deps = { config: loadConfig({ DATABASE_URL: tmp.url }), log: silentLogger, print: (l: string) => printed.push(l) };
    expect(await runTool('remind', ['--preview', '--date', '2026-12-11'], deps)).toBe(0);
    expect(printed[0]).toContain(GROUP);
    expect(printed.join('\n')).toContain('1. 方案：截止12月13日，还有2天');
    expect(printed.join('\n')).toMatch(new RegExp(`@(${OP}|${SEC}) @(${OP}|${SEC})`));

    printed.length = 0;
    expect(await runTool('remind', ['--preview', '--date', '2026-12-12'], deps)).toBe(0); // Saturday
    expect(printed).toEqual(['2026-12-12 没有要发送的提醒。']);

    const again = await startWorld({ at: ['2026-12-11', 10], url: tmp.url });
    expect((await again.rows('SELECT count(*) AS n FROM reminder_log'))).toEqual([{ n: 0 }]);
    expect((await again.rows('SELECT count(*) AS n FROM outbox'))).toEqual([{ n: 0 }]);
    await again.stop();
  });
});
