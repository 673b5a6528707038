import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport, type ExportKind } from '../../src/cli/export.js';
import { loadConfig } from '../../src/config.js';
import { daysBetween } from '../../src/domain/dates.js';
import { weeklyDigests } from '../../src/scheduler/digest.js';
import { EXPORT_HEADERS } from '../../src/text/supervision.js';
import type { World } from './driver.js';
import { buildTree, SECRETS, SUMMARY_DAY } from './tree.js';

let w: World;
let dir: string;
beforeAll(async () => {
  w = await buildTree();
  dir = await mkdtemp(join(tmpdir(), 'export-'));
});
afterAll(async () => {
  await w.close();
  await rm(dir, { recursive: true, force: true });
});

const config = loadConfig({ DATABASE_URL: ':memory:' });

/** Runs `shenghuohui export …` against the test store; returns exit code, stdout bytes and messages. */
async function exportCli(args: string[], opts: { tty?: boolean } = {}): Promise<{ code: number; stdout: Buffer; messages: string[] }> {
  const chunks: Buffer[] = [];
  const messages: string[] = [];
  const out = { isTTY: opts.tty === true, write: (c: string | Uint8Array) => chunks.push(Buffer.from(c)) };
  const code = await runExport(args, { config, db: w.db, clock: w.clock, out, err: (l) => messages.push(l) });
  return { code, stdout: Buffer.concat(chunks), messages };
}

const csvOf = (buf: Buffer): string[][] => parse(buf.toString('utf8'), { bom: true }) as string[][];

async function xlsxRows(file: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1);
    rows.push(values.map((v) => (v === null || v === undefined ? '' : String(v))));
  });
  return rows;
}

const SECRET_VALUES = Object.values(SECRETS);
const expectNoSecret = (label: string, text: string) => {
  for (const s of SECRET_VALUES) expect(text, `${label} leaks ${s}`).not.toContain(s);
};

describe('confidentiality: no leave reason, rejection reason or talk note in any supervisor view, draft or default export', () => {
  it('the planted contents really are in the store (so the checks below can fail)', async () => {
    const leaves = await w.db.selectFrom('leave_request').select(['reason', 'decision_note']).execute();
    expect(leaves.map((l) => l.reason)).toEqual(expect.arrayContaining([SECRETS.leaveReason, SECRETS.otherReason]));
    expect(leaves.map((l) => l.decision_note)).toContain(SECRETS.rejectReason);
    expect((await w.db.selectFrom('talk').select('note').execute()).map((t) => t.note)).toContain(SECRETS.talkNote);
  });

  it('/汇总, /汇总 逾期, /汇总 甲单位 and the weekly digest', async () => {
    for (const cmd of ['/汇总', '/汇总 逾期', '/汇总 甲单位']) {
      const deliveries = await w.say('陈部长', '组织部群', cmd);
      expect(deliveries.length).toBeGreaterThan(0);
      for (const d of deliveries) expectNoSecret(cmd, d.message.text);
    }
    for (const d of await weeklyDigests(w.db, SUMMARY_DAY)) expectNoSecret('digest', d.text);
  });

  it('/报告 草稿 and /通报 草稿 name the absentee but never the reason', async () => {
    const report = await w.group('联络员甲单位', '甲单位群', '/报告 草稿');
    expect(report).toContain('缺席：成员甲单位1，书面发言未提交');
    expectNoSecret('/报告 草稿', report);
    const inform = await w.group('书记甲单位', '甲单位群', '/通报 草稿');
    expect(inform).toContain('另有1人请假缺席');
    expectNoSecret('/通报 草稿', inform);
  });

  it('exports leave out notes and reasons unless asked for explicitly', async () => {
    for (const kind of ['items', 'summary', 'talks', 'leave'] as ExportKind[]) {
      const unit = kind === 'summary' ? '区委组织部' : '甲单位';
      const csv = await exportCli([kind, '--unit', unit, '--date', SUMMARY_DAY]);
      expect(csv.code).toBe(0);
      expectNoSecret(`export ${kind}`, csv.stdout.toString('utf8'));
      const file = join(dir, `${kind}.xlsx`);
      expect((await exportCli([kind, '--unit', unit, '--format', 'xlsx', '--out', file])).code).toBe(0);
      expectNoSecret(`export ${kind} xlsx`, (await xlsxRows(file)).flat().join('\n'));
    }
    const notes = await exportCli(['talks', '--unit', '甲单位', '--with-notes']);
    expect(notes.stdout.toString('utf8')).toContain(SECRETS.talkNote);
    expect(notes.messages.join('\n')).toContain('谈心谈话备注');
    const reasons = await exportCli(['leave', '--unit', '甲单位', '--with-reasons']);
    const text = reasons.stdout.toString('utf8');
    expect(text).toContain(SECRETS.leaveReason);
    expect(text).toContain(SECRETS.otherReason);
    // The principal's rejection note is not part of any export.
    expect(text).not.toContain(SECRETS.rejectReason);
    // A flag meant for another export does not open anything.
    expectNoSecret('leave --with-notes', (await exportCli(['leave', '--unit', '甲单位', '--with-notes'])).stdout.toString('utf8'));
  });
});

describe('exports read back', () => {
  it('CSV is UTF-8 with a BOM and CRLF, and parses back to the talk log', async () => {
    const { code, stdout } = await exportCli(['talks', '--unit', '甲单位']);
    expect(code).toBe(0);
    expect([...stdout.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(stdout.toString('utf8')).toContain('\r\n');
    expect(csvOf(stdout)).toEqual([[...EXPORT_HEADERS.talks], ['甲单位', '民主生活会 2026-12-10', '2026-11-20', '书记甲单位', '成员甲单位1', '面谈']]);
  });

  it('the items export carries owners, deadlines, state, days overdue and the history', async () => {
    const rows = csvOf((await exportCli(['items', '--unit', '丁单位', '--date', SUMMARY_DAY])).stdout);
    expect(rows[0]).toEqual([...EXPORT_HEADERS.items]);
    const byNo = new Map(rows.slice(1).map((r) => [r[2], Object.fromEntries(EXPORT_HEADERS.items.map((h, i) => [h, r[i]]))]));
    expect(byNo.get('1')).toMatchObject({ 整改内容: '修订理论学习制度', 责任人: '成员丁单位1', 截止日期: '2026-11-25', 状态: '已逾期', 逾期天数: String(daysBetween('2026-11-25', SUMMARY_DAY)) });
    expect(byNo.get('2')).toMatchObject({ 状态: '已完成', 完成日期: '2026-11-26', 完成情况: '已开展专项整治', 逾期天数: '' });
    expect(byNo.get('2')?.['历史']).toMatch(/^2026-11-20 \d\d:\d\d 联络员丁单位 新增；2026-11-26 \d\d:\d\d 成员丁单位2 完成：已开展专项整治$/);
    expect(byNo.get('3')).toMatchObject({ 责任人: '书记丁单位', 状态: '进行中' });
  });

  it('the leave export lists people, states and dates', async () => {
    const rows = csvOf((await exportCli(['leave', '--unit', '甲单位'])).stdout);
    expect(rows[0]).toEqual([...EXPORT_HEADERS.leave]);
    expect(rows.slice(1).map((r) => [r[2], r[3], r[4]?.slice(0, 10)])).toEqual([
      ['成员甲单位1', '已批准', '2026-11-20'],
      ['成员甲单位2', '未批准', '2026-11-20'],
    ]);
  });

  it('XLSX holds the same table as the CSV', async () => {
    const file = join(dir, 'summary.xlsx');
    const { code, messages } = await exportCli(['summary', '--unit', '区委组织部', '--format', 'xlsx', '--out', file, '--date', SUMMARY_DAY]);
    expect(code).toBe(0);
    expect(messages[0]).toContain(file);
    const fromXlsx = await xlsxRows(file);
    const fromCsv = csvOf((await exportCli(['summary', '--unit', '区委组织部', '--date', SUMMARY_DAY])).stdout);
    expect(fromXlsx).toEqual(fromCsv);
    expect(fromCsv.slice(1).map((r) => r[0])).toEqual(['丁单位', '丙单位', '乙单位', ...['戊单位', '教育工委'].sort((a, b) => a.localeCompare(b, 'zh-CN')), ...['甲单位', '庚支部'].sort((a, b) => a.localeCompare(b, 'zh-CN'))]);
    const row = (u: string) => Object.fromEntries(EXPORT_HEADERS.summary.map((h, i) => [h, fromCsv.find((r) => r[0] === u)![i]]));
    expect(row('乙单位')).toMatchObject({ 状态: '红', 方案: '晚3天（2026-11-26）' });
    expect(row('丙单位')).toMatchObject({ 发送失败: '2', 方案: '未登记（逾期4天）' });
    expect(row('戊单位')['提示']).toContain('未安排会议');
  });

  it('the CSV file written with --out is the same bytes as stdout', async () => {
    const file = join(dir, 'talks.csv');
    expect((await exportCli(['talks', '--unit', '甲单位', '--out', file])).code).toBe(0);
    expect(await readFile(file)).toEqual((await exportCli(['talks', '--unit', '甲单位'])).stdout);
  });

  it('refuses XLSX to a terminal, unknown units, kinds and formats with a way forward', async () => {
    const tty = await exportCli(['items', '--unit', '丁单位', '--format', 'xlsx'], { tty: true });
    expect(tty.code).toBe(2);
    expect(tty.stdout.length).toBe(0);
    expect(tty.messages.join()).toContain('--out');
    const piped = await exportCli(['items', '--unit', '丁单位', '--format', 'xlsx']);
    expect(piped.code).toBe(0);
    expect(piped.stdout.subarray(0, 2).toString('latin1')).toBe('PK');
    expect((await exportCli(['items', '--unit', '不存在单位'])).code).toBe(1);
    expect((await exportCli(['votes', '--unit', '甲单位'])).code).toBe(2);
    expect((await exportCli(['items', '--unit', '甲单位', '--format', 'pdf'])).code).toBe(2);
    expect((await exportCli(['items'])).code).toBe(2);
  });

  it('records who exported what in the audit log, without the contents', async () => {
    await exportCli(['talks', '--unit', '甲单位', '--with-notes']);
    const rows = await w.db.selectFrom('audit_log').select(['action', 'detail', 'chat']).where('action', '=', 'export.talks').execute();
    expect(rows.some((r) => r.chat === 'cli' && JSON.parse(r.detail ?? '{}').withNotes === true)).toBe(true);
    expectNoSecret('audit', rows.map((r) => r.detail).join());
  });
});
