import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRosterFile, RosterFileError } from '../../src/cli/roster-import.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function xlsx(name: string, rows: Array<Array<string | number>>): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('成员列表');
  for (const row of rows) sheet.addRow(row);
  const path = join(dir, name);
  await workbook.xlsx.writeFile(path);
  return path;
}

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe(parseRosterFile.name, () => {
  it('reads a WeCom admin export (.xlsx) with a title row above the header and 帐号 spelling', async () => {
    const path = await xlsx('通讯录.xlsx', [
      ['成员列表（导出时间 2026-11-30）'],
      ['姓名', '帐号', '别名', '职务', '部门', '性别', '手机', '座机', '个人邮箱'],
      ['张三', 'zhangsan', '', '党委书记', '党委办公室', '男', 13800000001, '', ''],
      ['李四', 'lisi', '', '', '综合处;党委办公室', '女', '+86 139-0000-0002', '', ''],
      ['', '', '', '', '', '', '', '', ''],
      ['王五', '', '', '组织委员', '', '男', '', '', ''],
    ]);
    expect(await parseRosterFile(path)).toEqual([
      { name: '张三', userId: 'zhangsan', mobile: '13800000001', department: '党委办公室', role: '党委书记' },
      { name: '李四', userId: 'lisi', mobile: '13900000002', department: '综合处;党委办公室' },
      { name: '王五', role: '组织委员' },
    ]);
  });

  it('reads a UTF-8 CSV with BOM, prefers 角色 over 职务, and matches decorated headers', async () => {
    const csv = '\ufeff姓名*,账号,手机（必填）,所在部门,职务,角色\n张三,zhangsan,13800000001,机关党支部,处长,支部书记\n"赵六, 小",zhaoliu,,机关党支部,科员,\n';
    expect(await parseRosterFile(await file('members.csv', csv))).toEqual([
      { name: '张三', userId: 'zhangsan', mobile: '13800000001', department: '机关党支部', role: '支部书记' },
      { name: '赵六, 小', userId: 'zhaoliu', department: '机关党支部' },
    ]);
  });

  it('reads a CSV without BOM using English headers', async () => {
    const csv = 'Name,UserID,Mobile,Department,Role\nZhang San,zhangsan,13800000001,Office,secretary\n';
    expect(await parseRosterFile(await file('members.csv', csv))).toEqual([
      { name: 'Zhang San', userId: 'zhangsan', mobile: '13800000001', department: 'Office', role: 'secretary' },
    ]);
  });

  it.each([
    ['a GBK CSV', 'gbk.csv', Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xd5, 0xcb, 0xba, 0xc5, 0x0a]), 'not-utf8', 'UTF-8'],
    ['no 姓名 column', 'x.csv', '账号,手机\nzhangsan,13800000001\n', 'no-name-column', '姓名'],
    ['a header but no members', 'y.csv', '姓名,账号\n,\n', 'no-rows', '至少要有一行'],
    ['an unsupported type', 'z.xls', 'binary', 'unsupported-type', '.xlsx'],
  ])('refuses %s with a message that says what to do', async (_what, name, content, problem, hint) => {
    const path = await file(name, content);
    const error = await parseRosterFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RosterFileError);
    expect(error).toMatchObject({ problem });
    expect((error as Error).message).toContain(hint);
    expect((error as Error).message).toContain(name);
  });
});
