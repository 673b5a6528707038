import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { runTool } from '../../src/cli/tools.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { atLocalTime } from '../../src/domain/dates.js';
import { silentLogger } from '../../src/log.js';
import { openDatabase } from '../../src/store/db.js';
import { tempStore } from '../scheduler/harness.js';

/** `shenghuohui export … --out <file>` when the file cannot be written: the path is named, not the configuration. */
let dir: string;
let dbFile: string;
let dropStore: () => Promise<void>;
let stderr: string[];
let logLines: Array<Record<string, unknown>>;

const deps = () => ({
  config: loadConfig({ DATABASE_URL: dbFile }),
  log: pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) }),
  print: (l: string) => void stderr.push(`[stdout] ${l}`),
});

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shh-export-'));
  ({ url: dbFile, cleanup: dropStore } = await tempStore());
  stderr = [];
  logLines = [];
  const app = await createApp({ config: loadConfig({ DATABASE_URL: dbFile }), clock: new ManualClock(atLocalTime('2026-11-25', 10)), log: silentLogger });
  const say = (text: string) => app.handle({ channel: 'console', chatType: 'group', chatId: '党办群', chatTitle: '党办群', senderId: '刘联络员', text });
  await say('/单位 设置 区教育局党组');
  await say('/成员 添加 @王书记 主要负责人');
  await app.stop();
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (stderr.push(String(chunk).trimEnd()), true));
});

afterEach(async () => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
  await dropStore();
});

const exportRows = async () => {
  const db = await openDatabase(dbFile);
  try {
    return await db.selectFrom('audit_log').select('action').where('action', 'like', 'export.%').execute();
  } finally {
    await db.destroy();
  }
};

describe('shenghuohui export --out', () => {
  it('names a folder that does not exist, exits 2, and logs one warning without a stack', async () => {
    const out = path.join(dir, 'nonexistent', 'dir', 'i.csv');
    expect(await runTool('export', ['items', '--unit', '区教育局党组', '--out', out], deps())).toBe(2);
    expect(stderr).toEqual([`无法写入 ${out}：文件夹 ${path.join(dir, 'nonexistent', 'dir')} 不存在。请先创建这个文件夹，或在 --out 中换一个已有的文件夹。`]);
    expect(logLines).toEqual([expect.objectContaining({ level: 40, file: out, code: 'ENOENT' })]);
    expect(JSON.stringify(logLines)).not.toContain('stack');
    // Nothing was exported, so nothing is recorded as exported.
    expect(await exportRows()).toEqual([]);
  });

  it('says when --out is a folder or a file stands where the folder should be', async () => {
    expect(await runTool('export', ['items', '--unit', '区教育局党组', '--out', dir], deps())).toBe(2);
    expect(stderr).toEqual([`无法写入 ${dir}：这是一个文件夹。请在 --out 中写上文件名，例如：--out ${dir}/导出.csv`]);
    stderr.length = 0;
    const file = path.join(dir, 'a-file.txt');
    fs.writeFileSync(file, 'x');
    const out = path.join(file, 'i.csv');
    expect(await runTool('export', ['items', '--unit', '区教育局党组', '--out', out], deps())).toBe(2);
    expect(stderr).toEqual([`无法写入 ${out}：${file} 是一个文件，不是文件夹。请在 --out 中换一个已有的文件夹。`]);
  });

  it('still writes to a folder that exists, and records the export', async () => {
    const out = path.join(dir, 'i.csv');
    expect(await runTool('export', ['items', '--unit', '区教育局党组', '--out', out], deps())).toBe(0);
    expect(stderr).toEqual([`已导出 0 行到 ${out}`]);
    expect(fs.existsSync(out)).toBe(true);
    expect(await exportRows()).toEqual([{ action: 'export.items' }]);
  });
});
