import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { runTool } from '../../src/cli/tools.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { atLocalTime } from '../../src/domain/dates.js';
import { silentLogger } from '../../src/log.js';
import type { Dashboard } from '../../src/web/server.js';
import { browser, dashboardOf, rowNames, tokenIn } from './harness.js';

/**
 * The dashboard with a real store file: the CLI's `dashboard link` from "another process", changes
 * made by another process showing on the next page, a new day, and logs that never carry a token.
 */
let dir: string;
let file: string;
let logs: string[];
let app: App;
let dash: Dashboard;
const clock = new ManualClock(atLocalTime('2026-11-20', 10));
let seq = 0;
const say = (a: App, user: string, chat: string, text: string) =>
  a.handle({ channel: 'console', msgId: `m${++seq}`, chatId: chat, chatType: 'group', chatTitle: chat, senderId: user, senderName: user, text });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shh-dash-'));
  file = path.join(dir, 'store.db');
  logs = [];
  const sink = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const config = loadConfig({ DATABASE_URL: file, DASHBOARD_PORT: '0' });
  app = await createApp({ config, clock, log: pino({ level: 'trace' }, sink) });
  for (const [u, c, t] of [
    ['陈部长', '组织部群', '/单位 设置 区委组织部'], ['陈部长', '组织部群', '/成员 添加 @陈部长 上级'],
    ['刘联络员', '教育局群', '/单位 设置 区教育局党组 上级 区委组织部'], ['刘联络员', '教育局群', '/成员 添加 @王书记 主要负责人'],
    ['刘联络员', '教育局群', '/成员 添加 @张三 班子成员'], ['刘联络员', '教育局群', '/会议 新建 民主生活会 2026-12-20'],
    ['刘联络员', '教育局群', '/完成 方案'],
  ] as const) await say(app, u, c, t);
  dash = dashboardOf(app);
}, 30_000);
afterAll(async () => {
  await dash.close();
  await app.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('shenghuohui dashboard link', () => {
  it('prints a working link for a person with a role; refuses others', async () => {
    const out: string[] = [];
    const config = loadConfig({ DATABASE_URL: file, DASHBOARD_URL: 'http://dash.test/' });
    expect(await runTool('dashboard', ['link', '--person', '陈部长'], { config, log: silentLogger, print: (l) => out.push(l), clock })).toBe(0);
    expect(out.join('\n')).toContain('陈部长 的看板登录链接（10分钟内有效，只能使用一次）');
    const token = /http:\/\/dash\.test\/login\?t=([A-Za-z0-9_-]+)/.exec(out.join('\n'))![1]!;
    expect((await browser(dash).signIn(token)).status).toBe(303);

    const refused: string[] = [];
    const print = (l: string) => refused.push(l);
    expect(await runTool('dashboard', ['link', '--person', '张三'], { config, log: silentLogger, print, clock })).toBe(1);
    expect(await runTool('dashboard', ['link', '--person', '无此人'], { config, log: silentLogger, print, clock })).toBe(1);
    expect(await runTool('dashboard', ['link'], { config, log: silentLogger, print, clock })).toBe(2);
    expect(await runTool('dashboard', ['link', '--person', '陈部长'], { config: loadConfig({ DATABASE_URL: file }), log: silentLogger, print, clock })).toBe(2);
    expect(refused).toEqual([
      '张三 不是任何单位的上级、联络员或主要负责人，看板上没有可看的内容。',
      '没有名为“无此人”的人员。请用名单上的姓名，例如：--person 陈部长',
      expect.stringContaining('用法：shenghuohui dashboard link --person <姓名>'),
      expect.stringContaining('看板尚未开启'),
    ]);
  });
});

describe('what the pages show stays current', () => {
  it('a change made by another process shows on the next page', async () => {
    const b = browser(dash);
    expect((await b.signIn(tokenIn(await say(app, '陈部长', '组织部群', '/看板'), '陈部长'))).status).toBe(303);
    const unit = await app.db.selectFrom('unit').select('id').where('name', '=', '区教育局党组').executeTakeFirstOrThrow();
    expect((await b.get(`/units/${unit.id}`)).body).toMatch(/通知：12月10日前/);
    const other = await createApp({ config: loadConfig({ DATABASE_URL: file }), clock, log: silentLogger });
    try {
      await say(other, '刘联络员', '教育局群', '/完成 通知');
    } finally {
      await other.stop();
    }
    expect((await b.get(`/units/${unit.id}`)).body).toMatch(/通知：按时/);
  });

  it('a new day moves deadlines past: the light turns on the next page', async () => {
    const b = browser(dash);
    expect((await b.signIn(tokenIn(await say(app, '陈部长', '组织部群', '/看板'), '陈部长'))).status).toBe(303);
    expect((await b.get('/?overdue=1')).body).toContain('没有符合条件的单位');
    clock.set(atLocalTime('2026-12-23', 10));
    const relogin = browser(dash);
    expect((await relogin.signIn(tokenIn(await say(app, '陈部长', '组织部群', '/看板'), '陈部长'))).status).toBe(303);
    expect(rowNames((await relogin.get('/?overdue=1')).body)).toEqual(['区教育局党组']);
  });
});

describe('logs', () => {
  it('never carry a link token or a session id, not even when a request fails', async () => {
    clock.set(atLocalTime('2026-12-23', 11));
    const token = tokenIn(await say(app, '陈部长', '组织部群', '/看板'), '陈部长');
    const b = browser(dash);
    expect((await b.signIn(token)).status).toBe(303);
    const session = [...b.cookies.values()].join(' ');
    await b.get('/');
    const second = tokenIn(await say(app, '陈部长', '组织部群', '/看板'), '陈部长');
    await app.db.schema.dropTable('dashboard_link').execute(); // the store fails under the next sign-in
    const failed = await browser(dash).get(`/login?t=${second}`);
    expect(failed.status).toBe(500);
    expect(failed.body).toContain('系统繁忙');
    const all = logs.join('');
    expect(all).toContain('dashboard request failed');
    expect(all).toContain('"route":"/login"');
    for (const secret of [token, second, ...session.split(' ')]) expect(all).not.toContain(secret);
  });
});
