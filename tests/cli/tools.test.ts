import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { runTool } from '../../src/cli/tools.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { atLocalTime } from '../../src/domain/dates.js';
import { silentLogger } from '../../src/log.js';
import { openDatabase } from '../../src/store/db.js';
import { aBranch, aHeldMeeting, GROUP, OP, SEC, SUP_GROUP, UNIT, ZHANG, ZHAO } from '../scheduler/fixtures.js';
import { startWorld, tempStore, type World } from '../scheduler/harness.js';

/** The operator CLI on a real store (a SQLite file, or a PostgreSQL database in the postgres project): roster import, webhook keys, reminder preview. */
let dir: string;
let dbFile: string;
let dropStore: () => Promise<void>;
let printed: string[];
const deps = () => ({ config: loadConfig({ DATABASE_URL: dbFile }), log: silentLogger, print: (l: string) => void printed.push(l) });

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shh-cli-'));
  ({ url: dbFile, cleanup: dropStore } = await tempStore());
  printed = [];
  const app = await createApp({ config: loadConfig({ DATABASE_URL: dbFile }), clock: new ManualClock(atLocalTime('2026-11-25', 10)), log: silentLogger });
  const say = (text: string) => app.handle({ channel: 'console', chatType: 'group', chatId: '党办群', chatTitle: '党办群', senderId: '刘联络员', text });
  await say('/单位 设置 区教育局党组');
  await say('/成员 添加 @王书记 主要负责人');
  await say('/会议 新建 民主生活会 2026-12-28');
  await app.stop();
});

afterEach(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await dropStore();
});

describe('shenghuohui roster import', () => {
  it('adds new people with confirmed WeCom ids, links existing names, maps the role column', async () => {
    const csv = path.join(dir, '通讯录.csv');
    fs.writeFileSync(csv, '\ufeff姓名,账号,手机,部门,职务\n王书记,wangsj,13800000001,党组,书记\n张三,zhangsan,13800000002,办公室,班子成员\n李四,lisi,13800000003,办公室,\n');
    expect(await runTool('roster', ['import', csv, '--unit', '区教育局党组'], deps())).toBe(0);
    expect(printed.join('\n')).toContain('新增 2 人');
    const db = await openDatabase(dbFile);
    try {
      const rows = await db.selectFrom('membership').innerJoin('person', 'person.id', 'membership.person_id')
        .leftJoin('identity', (j) => j.onRef('identity.person_id', '=', 'person.id').on('identity.platform', '=', 'wecom'))
        .select(['person.name', 'membership.role', 'identity.user_id', 'identity.confirmed']).orderBy('membership.id').execute();
      expect(rows).toEqual([
        { name: '刘联络员', role: 'operator', user_id: null, confirmed: null },
        { name: '王书记', role: 'principal', user_id: 'wangsj', confirmed: 1 },
        { name: '张三', role: 'member', user_id: 'zhangsan', confirmed: 1 },
        { name: '李四', role: 'party_member', user_id: 'lisi', confirmed: 1 },
      ]);
      // 王书记 was matched, not duplicated.
      expect(await db.selectFrom('person').select('id').where('name', '=', '王书记').execute()).toHaveLength(1);
    } finally {
      await db.destroy();
    }
  });

  it('refuses an unknown unit with the command that creates it', async () => {
    const csv = path.join(dir, 'a.csv');
    fs.writeFileSync(csv, '姓名,账号\n张三,zhangsan\n');
    expect(await runTool('roster', ['import', csv, '--unit', '不存在的单位'], deps())).toBe(1);
    expect(printed.join('\n')).toContain('/单位 设置 不存在的单位');
  });
});

describe('shenghuohui webhook', () => {
  it('stores a key read from stdin without ever printing it, and binds the unit to the robot', async () => {
    const code = await runTool('webhook', ['set', '--unit', '区教育局党组', '--channel', 'wecom', '--key', '-'], { ...deps(), readStdin: async () => 'secret-key-0001\n' });
    expect(code).toBe(0);
    expect(printed.join('\n')).not.toContain('secret-key-0001');
    const db = await openDatabase(dbFile);
    try {
      expect(await db.selectFrom('webhook').select(['channel', 'token']).execute()).toEqual([{ channel: 'wecom-webhook', token: 'secret-key-0001' }]);
      expect(await db.selectFrom('chat').select(['channel', 'chat_id']).where('channel', '=', 'wecom-webhook').execute()).toHaveLength(1);
    } finally {
      await db.destroy();
    }
    expect(await runTool('webhook', ['remove', '--unit', '区教育局党组', '--channel', 'wecom'], deps())).toBe(0);
  });

  it('rejects a DingTalk secret that is not a SEC… signing secret', async () => {
    expect(await runTool('webhook', ['set', '--unit', '区教育局党组', '--channel', 'dingtalk', '--key', 'tok', '--secret', 'oops'], deps())).toBe(2);
  });
});

describe('shenghuohui remind --preview', () => {
  it('prints what would go to each chat on a date without sending or recording anything', async () => {
    expect(await runTool('remind', ['--preview', '--date', '2026-12-11'], deps())).toBe(0);
    const text = printed.join('\n');
    expect(text).toContain('党办群');
    expect(text).toContain('方案');
    expect(text).toContain('@王书记');
    const db = await openDatabase(dbFile);
    try {
      expect(await db.selectFrom('outbox').select('id').execute()).toHaveLength(0);
      expect(await db.selectFrom('reminder_log').select('id').execute()).toHaveLength(0);
    } finally {
      await db.destroy();
    }
    printed = [];
    expect(await runTool('remind', ['--preview', '--date', '2026-12-12'], deps())).toBe(0);
    expect(printed.join('\n')).toContain('没有要发送的提醒');
  });
});

describe('shenghuohui remind --preview shows what the bot will still send that day', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(() => store.cleanup());

  /** 测试支部 under 区委组织部; item 1 due Thu 12 Nov, so its escalation (10 working days late) goes out on Thu 26 Nov. */
  async function escalatingBranch(): Promise<World> {
    const w = await startWorld({ at: ['2026-11-02', 9], url: store.url, env: { DIGEST_WEEKDAY: '1' } });
    await aBranch(w);
    await aHeldMeeting(w, '2026-11-10');
    await w.must(OP, GROUP, `/整改 新增 @${SEC} 完善请销假制度 截止 2026-11-12`, '已新增');
    return w;
  }
  const preview = async (date: string, on: string) => {
    const lines: string[] = [];
    const code = await runTool('remind', ['--preview', '--date', date], {
      config: loadConfig({ DATABASE_URL: store.url }), log: silentLogger, print: (l) => void lines.push(l), clock: new ManualClock(atLocalTime(on, 10)),
    });
    expect(code).toBe(0);
    return lines.join('\n');
  };
  const ESCALATION = `── 2026-11-26 · console · ${SUP_GROUP}\n⚠️ 督办：${UNIT} 有整改事项逾期已满10个工作日`;

  it('an escalation is shown on the one day it goes out, not again after', async () => {
    const w = await escalatingBranch();
    w.at('2026-11-20', 10);
    await w.stop();
    expect(await preview('2026-11-26', '2026-11-20')).toContain(ESCALATION);
    // Monday 30 Nov: the bot will have escalated on the 26th, so only the daily reminder and the weekly digest.
    const monday = await preview('2026-11-30', '2026-11-20');
    expect(monday).not.toContain('督办');
    expect(monday).toContain(`── 2026-11-30 · console · ${GROUP}\n⏰ ${UNIT} 待办提醒（2026年11月30日）\n1. 整改第1号「完善请销假制度」：已逾期18天`);
    expect(monday).toContain(`── 2026-11-30 · console · ${SUP_GROUP}\n【每周督导汇总】`);

    // The bot runs on the 26th: the escalation is logged and sent.
    const again = await startWorld({ at: ['2026-11-26', 9, 30], url: store.url, env: { DIGEST_WEEKDAY: '1' } });
    await again.tick();
    expect(again.channel.sent.map((s) => s.message.text).join('\n')).toContain('督办');
    await again.stop();
    expect(await preview('2026-11-26', '2026-11-26')).toBe(['2026-11-26 机器人已发出 2 条提醒（2 条消息），下面不再列出。', '2026-11-26 没有其他要发送的消息。'].join('\n'));
    const after = await preview('2026-11-30', '2026-11-26');
    expect(after).not.toContain('督办');
    expect(after).toContain('【每周督导汇总】');
  });

  it('shows an appraisal’s reminder in the branch’s group on its day, and names it once the bot has sent it', async () => {
    const w = await startWorld({ at: ['2026-12-14', 10], url: store.url });
    await aBranch(w, { members: [ZHANG, ZHAO] });
    await w.must(OP, GROUP, '/会议 新建 组织生活会 2026-12-14', '已安排');
    await w.must(OP, GROUP, '/会议 召开', '已记录');
    await w.must(OP, GROUP, '/评议 开始 截止 2026-12-21 18:00', '民主评议开始');
    await w.stop();
    expect(await preview('2026-12-18', '2026-12-15')).toContain(`── 2026-12-18 · console · ${GROUP}\n【民主评议】12月21日 18:00截止，还有3人没有测评完`);
    expect(await preview('2026-12-17', '2026-12-15')).not.toContain('【民主评议】');
    const bot = await startWorld({ at: ['2026-12-18', 9, 30], url: store.url });
    await bot.tick();
    await bot.stop();
    const after = await preview('2026-12-18', '2026-12-18');
    expect(after).toContain('2026-12-18 的部署督促和民主评议提醒已发出 1 条，下面不再列出。');
    expect(after).not.toContain('【民主评议】');
  });

  it('a digest already sent that day is named, not shown again', async () => {
    const w = await escalatingBranch();
    w.at('2026-11-30', 9, 30);
    await w.tick();
    await w.stop();
    // The bot's first run that day sent the item's reminder and its escalation (late enough by then), then the digest.
    expect(await preview('2026-11-30', '2026-11-30')).toBe([
      '2026-11-30 机器人已发出 2 条提醒（2 条消息），下面不再列出。',
      '2026-11-30 的每周督导汇总已发出，下面不再列出。',
      '2026-11-30 没有其他要发送的消息。',
    ].join('\n'));
  });
});
