import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTable } from '../../src/cli/export.js';
import { findUnitByName } from '../../src/store/unit.repository.js';
import { demoScript } from '../../src/text/demo.js';
import { startDashboard } from '../../src/web/start.js';
import { privateText, script, startChat, type Chat } from '../helpers/chat.js';
import { csvRows } from './harness.js';

/**
 * The dashboard in a real browser: Debian's Chromium (`apt-get install chromium`) driven by
 * playwright-core, headless. The sign-in link is the one the bot sends in the terminal chat; the
 * test opens the tree, drills into a unit, downloads a CSV and checks its rows, and saves
 * screenshots of each page at desktop and phone widths under test-results/dashboard/ (gitignored).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve('test-results/dashboard');
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

let chat: Chat;
let base: string;
let context: BrowserContext;
let userDir: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it with "apt-get update && apt-get install -y chromium" (.ci/run does), or set CHROMIUM_PATH.`);
  chat = await startChat({ today: '2026-11-20', user: '刘联络员', chat: '教育局党组群' });
  await script(chat, demoScript('2026-11-20'));
  // A second unit with an overdue item, so the tree has a red light to sort first.
  await script(chat, [
    ':chat 财政局党组群', ':user 孙联络员', '/单位 设置 区财政局党组 上级 区委组织部', '/成员 添加 @钱书记 主要负责人', '/成员 添加 @周科长 班子成员',
    '/会议 新建 民主生活会 2026-11-25', ':time 2026-11-25 15:00', ':user 钱书记', '/会议 召开',
    ':user 孙联络员', '/整改 新增 @周科长 规范公务接待 截止 2026-11-28', ':time 2026-12-03 10:00',
  ]);
  const printed: string[] = [];
  const dashboard = await startDashboard(chat.app, 0, (l) => printed.push(l));
  expect(dashboard, printed.join('\n')).toBeDefined();
  base = chat.app.dashboard.base!;
  fs.mkdirSync(SHOTS, { recursive: true });
  userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shh-chromium-'));
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: DESKTOP,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await chat?.stop();
  if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
});

const shot = async (p: Page, name: string) => p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

describe('the dashboard in Chromium', () => {
  it('signs in through the link sent in the chat, opens the tree, drills into a unit and downloads its CSV', async () => {
    const lines = await chat.as('陈部长').in('组织部督导群').say('/看板');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/login\?t=[A-Za-z0-9_-]+)/.exec(privateText(lines, '陈部长'))?.[1];
    expect(link, lines.join('\n')).toBeDefined();
    expect(link!.startsWith(base)).toBe(true);

    const page = await context.newPage();
    await page.goto(link!);
    await shot(page, 'login-desktop');
    await page.getByRole('button', { name: '登录看板' }).click();
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.locator('h1').textContent()).toContain('区委组织部 · 单位总览');
    const names = await page.locator('table.units tbody td.unit > a').allTextContents();
    expect(names).toEqual(['区财政局党组', '区教育局党组']);
    expect(await page.locator('figure.chart svg').count()).toBe(3);
    await shot(page, 'tree-desktop');

    await page.getByRole('link', { name: '区教育局党组', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('区教育局党组 · 单位详情');
    expect(await page.locator('table.steps tbody tr').count()).toBeGreaterThan(5);
    await shot(page, 'unit-desktop');

    await page.getByRole('link', { name: '区财政局党组', exact: true }).count();
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: '区财政局党组', exact: true }).click();
    await expect.poll(() => page.locator('table.items').textContent()).toContain('规范公务接待');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '整改清单（CSV）' }).click()]);
    const file = await download.path();
    const rows = csvRows(fs.readFileSync(file));
    const unit = (await findUnitByName(chat.db, '区财政局党组'))!;
    const cli = await exportTable(chat.db, 'items', unit, chat.today());
    expect(rows).toEqual([cli.header, ...cli.rows]);
    expect(rows[1]).toEqual(expect.arrayContaining(['区财政局党组', '规范公务接待', '周科长', '2026-11-28', '已逾期']));
    expect(download.suggestedFilename()).toBe('区财政局党组-整改清单-2026-12-03.csv');
    await shot(page, 'unit-overdue-desktop');

    await page.setViewportSize(PHONE);
    await page.goto(`${base}/`);
    await shot(page, 'tree-phone');
    // On a phone each unit is a card: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.getByRole('link', { name: '区教育局党组', exact: true }).click();
    await shot(page, 'unit-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    await page.getByRole('button', { name: '退出' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('已退出');
    await page.goto(`${base}/`);
    await expect.poll(() => page.locator('h1').textContent()).toContain('请先登录');
    // The link was single use.
    await page.goto(link!);
    await expect.poll(() => page.locator('h1').textContent()).toContain('链接已使用');
    await page.setViewportSize(DESKTOP);
    await page.close();
  }, 120_000);
});
