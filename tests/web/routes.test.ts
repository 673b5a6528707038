import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTable } from '../../src/cli/export.js';
import { hasOverdue, worstFirst } from '../../src/domain/summary.js';
import { loadUnitSummaries, supervisedUnits } from '../../src/store/supervision.repository.js';
import { findUnitByName } from '../../src/store/unit.repository.js';
import { issueLink } from '../../src/web/links.js';
import type { Dashboard } from '../../src/web/server.js';
import { buildTree, SECRETS, SUMMARY_DAY } from '../supervision/tree.js';
import type { World } from '../supervision/driver.js';
import { BASE, browser, csvRows, dashboardOf, everythingShown, rowNames, SESSION_COOKIE, tokenIn, unitRoutes, type Browser } from './harness.js';

let w: World;
let dash: Dashboard;
const ids: Record<string, number> = {};

beforeAll(async () => {
  w = await buildTree();
  dash = dashboardOf(w.app);
  for (const u of await w.db.selectFrom('unit').select(['id', 'name']).execute()) ids[u.name] = u.id;
});
afterAll(async () => {
  await dash.close();
  await w.close();
});

/** A fresh link for `user` through /看板 in `chat`, and a browser signed in with it. */
async function signedIn(user: string, chat: string): Promise<Browser> {
  const b = browser(dash);
  const r = await b.signIn(tokenIn(await w.say(user, chat, '/看板'), user));
  expect(r.status, r.body).toBe(303);
  return b;
}


describe('/看板 in the chat', () => {
  it('sends the link privately only; the group hears that it was sent', async () => {
    const out = await w.say('陈部长', '组织部群', '/看板');
    const group = out.filter((d) => d.target.kind === 'chat').map((d) => d.message.text).join('\n');
    expect(group).toContain('已私聊发给您');
    expect(group).not.toContain(BASE);
    const token = tokenIn(out, '陈部长');
    // The store keeps only the token's hash.
    const rows = await w.db.selectFrom('dashboard_link').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(await w.db.selectFrom('audit_log').selectAll().execute())).not.toContain(token);
  });

  it('answers in a private chat with the link itself', async () => {
    const out = await w.app.handle({ channel: 'console', msgId: 'p1', chatId: '陈部长', chatType: 'private', senderId: '陈部长', senderName: '陈部长', text: '/看板' });
    expect(tokenIn(out, '陈部长')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gives no link to someone who holds no role that opens the dashboard', async () => {
    const text = await w.group('成员甲单位1', '甲单位群', '/看板');
    expect(text).toContain('只对上级、联络员和主要负责人开放');
    expect(text).not.toContain('/login');
  });

  it('says the dashboard is off when it is not configured', async () => {
    const base = w.app.dashboard.base;
    w.app.dashboard.base = undefined;
    try {
      expect(await w.group('陈部长', '组织部群', '/看板')).toContain('看板尚未开启');
    } finally {
      w.app.dashboard.base = base;
    }
  });
});

describe('sign-in links', () => {
  it('opening a link changes nothing; its button signs in with an HttpOnly SameSite cookie', async () => {
    const token = tokenIn(await w.say('陈部长', '组织部群', '/看板'), '陈部长');
    const b = browser(dash);
    expect((await b.get(`/login?t=${token}`)).status).toBe(200);
    const open = await b.get(`/login?t=${token}`); // a link preview, a second look: still unused
    expect(open.body).toContain('登录看板');
    const f = /name="f" value="([^"]+)"/.exec(open.body)![1]!;
    const r = await b.post('/login', { t: token, f });
    expect(r.status).toBe(303);
    const cookie = ([] as string[]).concat(r.headers['set-cookie'] as string[]).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await b.get('/')).body).toContain('区委组织部 · 单位总览');
  });

  it('refuses a link used once', async () => {
    const token = tokenIn(await w.say('陈部长', '组织部群', '/看板'), '陈部长');
    expect((await browser(dash).signIn(token)).status).toBe(303);
    const again = await browser(dash).signIn(token);
    expect(again.status).toBe(410);
    expect(again.body).toContain('链接已使用');
  });

  it('refuses a link after 10 minutes', async () => {
    const token = tokenIn(await w.say('陈部长', '组织部群', '/看板'), '陈部长');
    w.clock.advance(10 * 60_000 + 1000);
    try {
      const r = await browser(dash).signIn(token);
      expect(r.status).toBe(410);
      expect(r.body).toContain('链接已过期');
    } finally {
      w.day(SUMMARY_DAY);
    }
  });

  it('refuses a link that stopped being valid between opening it and pressing its button', async () => {
    const token = tokenIn(await w.say('陈部长', '组织部群', '/看板'), '陈部长');
    const b = browser(dash);
    const open = await b.get(`/login?t=${token}`);
    const f = /name="f" value="([^"]+)"/.exec(open.body)![1]!;
    w.clock.advance(11 * 60_000);
    try {
      expect((await b.post('/login', { t: token, f })).body).toContain('链接已过期');
    } finally {
      w.day(SUMMARY_DAY);
    }
  });

  it.each([
    ['a made-up token', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a cut-off token', 'abc'],
    ['markup', '<script>alert(1)</script>'],
    ['nothing', ''],
  ])('refuses %s with a clear page', async (_what, token) => {
    const r = await browser(dash).get(`/login?t=${encodeURIComponent(token)}`);
    expect(r.status).toBe(400);
    expect(r.body).toContain('链接无效');
    expect(r.body).not.toContain('<script>alert');
  });

  it("refuses another person's link in a browser signed in as someone else, and leaves it unused", async () => {
    const b = await signedIn('陈部长', '组织部群');
    const token = tokenIn(await w.say('周部长', '卫健委群', '/看板'), '周部长');
    const r = await b.signIn(token);
    expect(r.status).toBe(409);
    expect(r.body).toContain('这个链接是发给另一个人的');
    expect((await b.get('/')).body).toContain('陈部长');
    expect((await browser(dash).signIn(token)).status).toBe(303);
  });

  it('refuses a sign-in posted without the form it came from (login CSRF)', async () => {
    const token = tokenIn(await w.say('陈部长', '组织部群', '/看板'), '陈部长');
    const r = await browser(dash).post('/login', { t: token, f: 'guessed' });
    expect(r.status).toBe(403);
    expect((await browser(dash).signIn(token)).status).toBe(303);
  });

  it('refuses a sign-in posted from another site', async () => {
    const token = tokenIn(await w.say('陈部长', '组织部群', '/看板'), '陈部长');
    const b = browser(dash);
    const open = await b.get(`/login?t=${token}`);
    const f = /name="f" value="([^"]+)"/.exec(open.body)![1]!;
    expect((await b.post('/login', { t: token, f }, { origin: 'https://evil.example' })).status).toBe(403);
  });
});

describe('sessions', () => {
  it('ends on sign-out, which needs the form token; a GET signs nobody out', async () => {
    const b = await signedIn('陈部长', '组织部群');
    const home = await b.get('/');
    expect((await b.get('/logout')).status).toBe(404);
    expect((await b.post('/logout', { csrf: 'wrong' })).status).toBe(403);
    expect((await b.get('/')).status).toBe(200);
    const out = await b.post('/logout', { csrf: b.csrfOn(home.body) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/signed-out');
    const after = await b.get('/');
    expect(after.status).toBe(401);
    expect(after.body).toContain('请先登录');
  });

  it('a session cookie kept after sign-out opens nothing', async () => {
    const b = await signedIn('陈部长', '组织部群');
    const kept = b.cookies.get(SESSION_COOKIE)!;
    await b.post('/logout', { csrf: b.csrfOn((await b.get('/')).body) });
    const thief = browser(dash);
    thief.cookies.set(SESSION_COOKIE, kept);
    expect((await thief.get(`/units/${ids['甲单位']}`)).status).toBe(401);
  });

  it('ends after 30 minutes without activity, and not while in use', async () => {
    const b = await signedIn('陈部长', '组织部群');
    try {
      w.clock.advance(20 * 60_000);
      expect((await b.get('/')).status).toBe(200);
      w.clock.advance(20 * 60_000);
      expect((await b.get('/')).status).toBe(200);
      w.clock.advance(31 * 60_000);
      const r = await b.get('/');
      expect(r.status).toBe(401);
      expect(r.body).toContain('登录已超时');
      w.clock.advance(-60 * 60_000);
      expect((await b.get('/')).status).toBe(401);
    } finally {
      w.day(SUMMARY_DAY);
    }
  });

  it('a forged session cookie opens nothing', async () => {
    const b = browser(dash);
    b.cookies.set(SESSION_COOKIE, 'x'.repeat(43));
    for (const url of ['/', ...unitRoutes(ids['甲单位']!)]) expect((await b.get(url)).status, url).toBe(401);
  });

  it('a person who lost their roles after signing in sees nothing', async () => {
    const person = await w.db.selectFrom('person').select('id').where('name', '=', '成员甲单位1').executeTakeFirstOrThrow();
    const url = await issueLink(w.db, person.id, w.clock.now(), { base: BASE, linkMinutes: 10 });
    const b = browser(dash);
    expect((await b.signIn(url.split('t=')[1]!)).status).toBe(303);
    const r = await b.get('/');
    expect(r.status).toBe(403);
    expect(r.body).toContain('没有可查看的单位');
    expect((await b.get(`/units/${ids['甲单位']}`)).status).toBe(403);
  });
});

describe('scope, checked on the server for every route', () => {
  it('a supervisor of one district cannot open a unit of another by changing the id', async () => {
    const zhou = await signedIn('周部长', '卫健委群');
    const chen = await signedIn('陈部长', '组织部群');
    for (const name of ['甲单位', '丁单位', '庚支部', '教育工委', '区委组织部']) {
      for (const url of unitRoutes(ids[name]!)) {
        const r = await zhou.get(url);
        expect(r.status, `周部长 ${url}`).toBe(404);
        expect(r.body).not.toContain(name);
      }
    }
    for (const url of unitRoutes(ids['己单位']!)) expect((await chen.get(url)).status, `陈部长 ${url}`).toBe(404);
    for (const url of unitRoutes(ids['甲单位']!)) expect((await chen.get(url)).status, `陈部长 ${url}`).toBe(200);
    for (const url of unitRoutes(ids['己单位']!)) expect((await zhou.get(url)).status, `周部长 ${url}`).toBe(200);
  });

  it('ids that exist nowhere get the same page as ids out of scope', async () => {
    const chen = await signedIn('陈部长', '组织部群');
    const out = await chen.get(`/units/${ids['己单位']}`);
    const none = await chen.get('/units/999999');
    expect(none.status).toBe(404);
    expect(none.body).toBe(out.body);
    expect((await chen.get('/units/abc')).status).toBe(404);
    expect((await chen.get('/units/-1')).status).toBe(404);
    expect((await chen.get('/?under=abc')).status).toBe(400);
    expect((await chen.get('/export/items.csv')).status).toBe(400);
    expect((await chen.get('/export/secrets.csv?unit=1')).status).toBe(404);
  });

  it('a supervisor lower down sees their part of the tree only', async () => {
    const wu = await signedIn('吴部长', '教育工委群');
    expect(rowNames((await wu.get('/')).body)).toEqual(['庚支部']);
    for (const url of unitRoutes(ids['庚支部']!)) expect((await wu.get(url)).status, url).toBe(200);
    expect((await wu.get(`/units/${ids['教育工委']}`)).status).toBe(200);
    for (const name of ['甲单位', '区委组织部', '己单位']) for (const url of unitRoutes(ids[name]!)) expect((await wu.get(url)).status, `吴部长 ${url}`).toBe(404);
  });

  it("a unit's operator and principal see their own unit only", async () => {
    for (const who of ['联络员甲单位', '书记甲单位']) {
      const b = await signedIn(who, '甲单位群');
      expect(rowNames((await b.get('/')).body)).toEqual(['甲单位']);
      for (const url of unitRoutes(ids['甲单位']!)) expect((await b.get(url)).status, `${who} ${url}`).toBe(200);
      for (const name of ['乙单位', '区委组织部', '己单位']) for (const url of unitRoutes(ids[name]!)) expect((await b.get(url)).status, `${who} ${url}`).toBe(404);
      const summary = csvRows((await b.get('/export/summary.csv')).raw);
      expect(summary.slice(1).map((r) => r[0])).toEqual(['甲单位']);
    }
  });

  it('a signed-out browser gets the sign-in page on every route', async () => {
    for (const url of ['/', ...unitRoutes(ids['甲单位']!)]) {
      const r = await browser(dash).get(url);
      expect(r.status, url).toBe(401);
      expect(r.body).toContain('/看板');
    }
  });
});

describe('pages', () => {
  it('lists the units worst first, as /汇总 orders them', async () => {
    const chen = await signedIn('陈部长', '组织部群');
    const root = (await findUnitByName(w.db, '区委组织部'))!;
    const expected = worstFirst(await loadUnitSummaries(w.db, await supervisedUnits(w.db, root.id), w.today())).map((r) => r.unitName);
    const html = (await chen.get('/')).body;
    expect(rowNames(html)).toEqual(expected);
    expect(html).toContain('共 7 个单位');
  });

  it.each([
    ['overdue=1', (s: Parameters<typeof hasOverdue>[0]) => hasOverdue(s)],
    ['nomeeting=1', (s: Parameters<typeof hasOverdue>[0]) => s.flags.length > 0],
    ['kind=org_life', (s: Parameters<typeof hasOverdue>[0]) => s.meeting?.kind === 'org_life'],
  ])('filters by %s', async (query, keep) => {
    const chen = await signedIn('陈部长', '组织部群');
    const root = (await findUnitByName(w.db, '区委组织部'))!;
    const expected = worstFirst((await loadUnitSummaries(w.db, await supervisedUnits(w.db, root.id), w.today())).filter(keep)).map((r) => r.unitName);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(7);
    expect(rowNames((await chen.get(`/?${query}`)).body)).toEqual(expected);
  });

  it('filters by campaign: the units the /部署 went to', async () => {
    const chen = await signedIn('陈部长', '组织部群');
    const html = (await chen.get('/')).body;
    const key = /<option value="(democratic_life\|2027-01-31\|[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const names = rowNames((await chen.get(`/?campaign=${encodeURIComponent(key)}`)).body);
    // 教育工委 and 庚支部 joined after the campaign.
    expect(names.sort()).toEqual(['丁单位', '丙单位', '乙单位', '戊单位', '甲单位'].sort());
  });

  it('shows a unit: steps with deadlines and status, items with their history, what is still owed and by whom', async () => {
    const chen = await signedIn('陈部长', '组织部群');
    const html = (await chen.get(`/units/${ids['丁单位']}`)).body;
    expect(html).toContain('丁单位 · 单位详情');
    expect(html).toContain('各环节期限和状态');
    expect(html).toContain('修订理论学习制度');
    expect(html).toMatch(/已逾期 逾期\d+天/);
    expect(html).toContain('新增');
    expect(html).toContain('已开展专项整治');
    expect(html).toContain('尚未办理的事项');
    expect(html).toMatch(/书记丁单位|联络员丁单位/);
  });

  it('draws the four charts as inline SVG, with no script anywhere', async () => {
    const chen = await signedIn('陈部长', '组织部群');
    const html = (await chen.get('/')).body;
    expect(html.match(/<svg/g)?.length).toBe(4);
    for (const title of ['各单位状态', '逾期整改事项（近12周）', '方案、通知、报告按时情况', '上级部署进度']) expect(html).toContain(title);
    expect(html).not.toMatch(/<script/i);
  });

  it('sets security headers and keeps pages out of caches', async () => {
    const chen = await signedIn('陈部长', '组织部群');
    for (const url of ['/', `/units/${ids['甲单位']}`, '/export/summary.csv', '/login?t=bad']) {
      const r = await chen.get(url);
      expect(r.headers['content-security-policy'], url).toContain("script-src 'none'");
      expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('same-origin');
      expect(r.headers['x-frame-options']).toBeDefined();
      expect(r.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('downloads', () => {
  it('the same CSV as the CLI, with its BOM, as an attachment', async () => {
    const chen = await signedIn('陈部长', '组织部群');
    const unit = (await findUnitByName(w.db, '丁单位'))!;
    for (const kind of ['items', 'talks', 'leave'] as const) {
      const r = await chen.get(`/export/${kind}.csv?unit=${unit.id}`);
      expect(r.headers['content-disposition']).toMatch(/^attachment;/);
      const cli = await exportTable(w.db, kind, unit, w.today());
      expect(csvRows(r.raw)).toEqual([cli.header, ...cli.rows]);
    }
    const cli = await exportTable(w.db, 'summary', (await findUnitByName(w.db, '区委组织部'))!, w.today());
    expect(csvRows((await chen.get('/export/summary.csv')).raw)).toEqual([cli.header, ...cli.rows]);
  });

  it('the same rows as XLSX', async () => {
    const chen = await signedIn('陈部长', '组织部群');
    const unit = (await findUnitByName(w.db, '丁单位'))!;
    const r = await chen.get(`/export/items.xlsx?unit=${unit.id}`);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.raw as unknown as ArrayBuffer);
    const rows: string[][] = [];
    book.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const cli = await exportTable(w.db, 'items', unit, w.today());
    expect(rows[0]).toEqual(cli.header);
    expect(rows.slice(1).map((r) => r.slice(0, 4))).toEqual(cli.rows.map((r) => r.slice(0, 4)));
  });

  it('records who downloaded what, without the file', async () => {
    const chen = await signedIn('陈部长', '组织部群');
    await chen.get(`/export/leave.csv?unit=${ids['甲单位']}`);
    const row = await w.db.selectFrom('audit_log').selectAll().where('action', '=', 'export.leave').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row.chat).toBe('dashboard');
    expect(row.entity_id).toBe(ids['甲单位']);
    expect(row.detail).toContain('"withReasons":false');
  });
});

describe('confidentiality', () => {
  it('no leave reason, rejection reason or talk note on any page or in any download, for anyone', async () => {
    const people: Array<[string, string]> = [['陈部长', '组织部群'], ['联络员甲单位', '甲单位群'], ['书记甲单位', '甲单位群']];
    for (const [who, chat] of people) {
      const b = await signedIn(who, chat);
      const shown = await everythingShown(b, ['/', ...Object.values(ids).flatMap((id) => unitRoutes(id))]);
      expect(shown.length).toBeGreaterThan(10);
      for (const { url, text } of shown) for (const secret of Object.values(SECRETS)) expect(text, `${who} ${url}`).not.toContain(secret);
    }
    // The secrets are there to be leaked: the store holds them.
    const talk = await w.db.selectFrom('talk').select('note').where('note', 'is not', null).execute();
    expect(talk.map((t) => t.note)).toContain(SECRETS.talkNote);
  });
});

describe('freshness', () => {
  it('a command in the chat shows on the next page', async () => {
    const chen = await signedIn('陈部长', '组织部群');
    const before = (await chen.get(`/units/${ids['丙单位']}`)).body;
    expect(before).toMatch(/方案：未登记/);
    await w.run('联络员丙单位', '丙单位群', '/完成 方案');
    const after = (await chen.get(`/units/${ids['丙单位']}`)).body;
    expect(after).toMatch(/方案：晚\d+天/);
    const row = (await chen.get('/')).body.split(`/units/${ids['丙单位']}"`)[1]!.split('</tr>')[0]!;
    expect(row).toMatch(/晚\d+天/);
  });

  it('a command that changes nothing a page shows keeps the sorted overview; one that does, moves it', async () => {
    const chen = await signedIn('陈部长', '组织部群');
    const noticeOf = (html: string) => /data-label="通知">([^<]*)<\/td>/.exec(html.split(`/units/${ids['乙单位']}"`)[1]!)![1]!;
    await w.run('书记甲单位', '甲单位群', '/谈心 @成员甲单位1 面谈'); // a pair already talked; 甲单位's last activity is now today
    expect(noticeOf((await chen.get('/')).body)).toMatch(/未登记/);
    const before = dash.cache.generation;
    await w.run('书记甲单位', '甲单位群', '/谈心 @成员甲单位1 电话'); // audited for 甲单位 again; its summary stays the same
    await chen.get('/');
    expect(dash.cache.generation).toBe(before);
    await w.run('联络员乙单位', '乙单位群', '/完成 通知');
    expect(noticeOf((await chen.get('/')).body)).toMatch(/^晚\d+天$/);
    expect(dash.cache.generation).toBeGreaterThan(before);
  });
});
