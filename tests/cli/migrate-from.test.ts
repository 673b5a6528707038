import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTable, toCsv, type ExportKind } from '../../src/cli/export.js';
import { runTool } from '../../src/cli/tools.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { atLocalTime } from '../../src/domain/dates.js';
import { createApp } from '../../src/app.js';
import { silentLogger } from '../../src/log.js';
import { createScheduler } from '../../src/scheduler/cron.js';
import { migrations, openDatabase, type Db } from '../../src/store/db.js';
import { findUnitByName } from '../../src/store/unit.repository.js';
import { groupText, startChat } from '../helpers/chat.js';
import { countRows, snapshotRows } from '../helpers/store.js';
import { aLeadershipTeam } from '../helpers/units.js';
import { tempStore } from '../scheduler/harness.js';

/**
 * `shenghuohui db migrate-from <sqlite file>` into the project's store (a fresh PostgreSQL database
 * in the `postgres` project, a new SQLite file in the `sqlite` one): a district's real year, built
 * through the terminal chat, reads the same afterwards — /进度, /汇总, the exports, every row.
 */
const DAY = '2027-01-05';
let dir: string;
let sourceFile: string;
/** What the source store shows on DAY, to be shown the same by the copy. */
let expected: { progress: string; summary: string; items: string; exports: string[]; counts: Record<string, number>; snapshot: string };

const KINDS: ExportKind[] = ['items', 'summary', 'talks', 'leave'];

/** What people and exports see of a store on DAY: /进度, /汇总, /整改 列表 and every export (with notes and reasons). */
async function views(db: Db): Promise<Omit<typeof expected, 'counts' | 'snapshot'>> {
  const chat = await startChat({ today: DAY, db });
  const progress = groupText(await chat.as('王书记').in('党办群').say('/进度'));
  const summary = groupText(await chat.as('陈部长').in('组织部督导群').say('/汇总'));
  const items = groupText(await chat.as('刘联络员').in('党办群').say('/整改 列表'));
  const exports: string[] = [];
  for (const name of ['区教育局党组', '区委组织部']) {
    const unit = (await findUnitByName(db, name))!;
    for (const kind of KINDS) exports.push(toCsv(await exportTable(db, kind, unit, DAY, { withNotes: true, withReasons: true })));
  }
  return { progress, summary, items, exports };
}

/** A supervisor unit above a leadership team with its meeting, talks, leave, reminders sent, and items with their history. */
async function buildDistrict(db: Db): Promise<void> {
  const chat = await startChat({ today: '2026-11-25', db });
  const scheduler = createScheduler(chat.app, { cron: false });
  await aLeadershipTeam(chat);
  const say = (who: string, text: string) => chat.as(who).in('党办群').say(text);
  await say('王书记', '/谈心 @张三 面谈 谈了分管工作的问题');
  await say('张三', '/谈心 @李四 电话');
  await say('赵敏', '/请假 外出参加省委党校培训');
  await say('王书记', '/批准 @赵敏');
  await chat.handle({ channel: 'console', msgId: 'wecom-msg-1', chatId: '党办群', chatType: 'group', chatTitle: '党办群', senderId: '李四', text: '/进度' });
  for (const day of ['2026-12-09', '2026-12-11', '2026-12-14']) {
    chat.setDay(day);
    await scheduler.tick();
  }
  chat.setDay('2026-12-28', 16);
  await say('王书记', '/会议 召开');
  await say('刘联络员', '/整改 新增 @李四 完善请销假制度 截止 2027-01-31');
  await say('刘联络员', '/整改 新增 @张三 健全学习台账 截止 2027-01-04');
  await say('刘联络员', '/整改 新增 @赵敏 规范会议记录 截止 2027-03-31');
  await say('李四', '/整改 完成 1 已修订并印发');
  await say('刘联络员', '/整改 核实 1');
  await say('赵敏', '/整改 延期 3 2027-04-30 等待上级文件');
  chat.setDay(DAY);
  await scheduler.tick();
  await chat.stop();
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shh-migrate-'));
  sourceFile = path.join(dir, 'shenghuohui.db');
  await buildDistrict(await openDatabase(sourceFile));
  // The views first: their commands add rows (message ids, audit), and the copy must carry those too.
  const seen = await views(await openDatabase(sourceFile));
  const source = await openDatabase(sourceFile);
  const counts = await countRows(source);
  const snapshot = await snapshotRows(source, Object.keys(counts));
  await source.destroy();
  expected = { ...seen, counts, snapshot };
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function migrate(url: string, file = sourceFile): Promise<{ code: number; printed: string[] }> {
  const printed: string[] = [];
  const code = await runTool('db', ['migrate-from', file], { config: loadConfig({ DATABASE_URL: url }), log: silentLogger, print: (l) => printed.push(l) });
  return { code, printed };
}

describe('shenghuohui db migrate-from', () => {
  it('copies every table, id and history row; the copy shows the same /进度, /汇总, items and exports', async () => {
    // The district is what the test says it is: the tables the copy must carry are not empty.
    for (const t of ['unit', 'person', 'membership', 'meeting', 'talk', 'leave_request', 'item', 'item_owner', 'item_event', 'audit_log', 'reminder_log', 'outbox', 'obligation', 'processed_message']) {
      expect(expected.counts[t], t).toBeGreaterThan(0);
    }
    expect(expected.summary).toContain('区教育局党组');
    expect(expected.items).toContain('规范会议记录');

    const target = await tempStore();
    try {
      const { code, printed } = await migrate(target.url);
      expect(code).toBe(0);
      // The row count of every table, printed.
      for (const [table, n] of Object.entries(expected.counts)) expect(printed).toContainEqual(expect.stringMatching(new RegExp(`^  ${table} +${n} 行$`)));
      const total = Object.values(expected.counts).reduce((a, b) => a + b, 0);
      expect(printed.at(-1)).toMatch(new RegExp(`^复制完成：${Object.keys(expected.counts).length} 张表共 ${total} 行，每张表的行数都与源数据库一致。`));

      const copy = await openDatabase(target.url);
      expect(await countRows(copy)).toEqual(expected.counts);
      expect(await snapshotRows(copy, Object.keys(expected.counts))).toBe(expected.snapshot);
      expect(await views(copy)).toEqual({ progress: expected.progress, summary: expected.summary, items: expected.items, exports: expected.exports });

      // The copy goes on where the source stopped: new rows get new ids (sequences moved past the copied ones).
      const again = await startChat({ today: DAY, db: await openDatabase(target.url) });
      expect(groupText(await again.as('刘联络员').in('党办群').say('/整改 新增 @张三 建立谈心谈话记录 截止 2027-02-28'))).toContain('第4号');
      expect(groupText(await again.as('王书记').in('党办群').say('/谈心 @赵敏 面谈'))).not.toMatch(/系统繁忙/);
      const ids = await again.db.selectFrom('talk').select('id').orderBy('id').execute();
      expect(ids.map((r) => r.id)).toEqual([...Array(expected.counts.talk! + 1).keys()].map((i) => i + 1));
      await again.stop();
    } finally {
      await target.cleanup();
    }
  }, 60_000);

  it('refuses a target that already holds data: a Chinese line, exit code 2, nothing written', async () => {
    const target = await tempStore();
    try {
      const app = await createApp({ config: loadConfig({ DATABASE_URL: target.url }), clock: new ManualClock(atLocalTime(DAY, 9)), log: silentLogger });
      await app.handle({ channel: 'console', chatType: 'group', chatId: '新群', chatTitle: '新群', senderId: '周联络员', text: '/单位 设置 第一党支部' });
      const before = await countRows(app.db);
      await app.stop();

      const { code, printed } = await migrate(target.url);
      expect(code).toBe(2);
      expect(printed).toEqual([expect.stringMatching(/^目标数据库 .+ 不是空的（audit_log、chat、identity、membership、person 等 6 张表已有数据），没有复制任何数据。请换一个新建的空数据库/)]);
      expect(printed[0]).not.toMatch(/:\/\/[^ ]*@/); // no user or password of the URL
      const db = await openDatabase(target.url);
      expect(await countRows(db)).toEqual(before);
      await db.destroy();
    } finally {
      await target.cleanup();
    }
  });

  it('refuses a source whose migrations are not all applied, and a file that is not there', async () => {
    const oldFile = path.join(dir, 'old.db');
    const old = await openDatabase(path.join(dir, 'scratch.db'));
    await old.destroy();
    // A store of an older version: only its first two migrations ran.
    const { default: SQLite } = await import('better-sqlite3');
    const { Kysely, SqliteDialect } = await import('kysely');
    const oldDb = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(oldFile) }) });
    await new Migrator({ db: oldDb, provider: { getMigrations: async () => migrations } }).migrateTo('2026_11_25_02_scheduler');
    await oldDb.destroy();

    const target = await tempStore();
    try {
      const stale = await migrate(target.url, oldFile);
      expect(stale.code).toBe(2);
      expect(stale.printed).toEqual([expect.stringMatching(new RegExp(`^源数据库 ${oldFile.replace(/[.\\]/g, '\\$&')} 还有 ${Object.keys(migrations).length - 2} 个迁移没有执行（2026_11_25_04_appraisal、.*），没有复制任何数据。请先用本版本在它上面启动一次机器人`))]);

      const absent = await migrate(target.url, path.join(dir, 'nope.db'));
      expect(absent).toEqual({ code: 2, printed: [`找不到源数据库文件 ${path.join(dir, 'nope.db')}。请写 SQLite 数据库文件的路径，例如：shenghuohui db migrate-from ./data/shenghuohui.db`] });

      const db = await openDatabase(target.url);
      expect(Object.values(await countRows(db)).reduce((a, b) => a + b, 0)).toBe(1); // only the store_version row its migration seeds
      await db.destroy();
    } finally {
      await target.cleanup();
    }
  });

  it('without a file says how to call it', async () => {
    const printed: string[] = [];
    expect(await runTool('db', ['migrate-from'], { config: loadConfig({ DATABASE_URL: ':memory:' }), log: silentLogger, print: (l) => printed.push(l) })).toBe(2);
    expect(printed[0]).toMatch(/^用法：shenghuohui db migrate-from <SQLite 数据库文件>/);
  });
});
