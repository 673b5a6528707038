import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { rosterHeaders, wecom } from '../text/wecom.js';

/** One member from a contact export. Empty cells are left out. */
export interface RosterRow {
  name: string;
  /** WeCom 账号 (userid), used for @mentions and private messages. */
  userId?: string;
  mobile?: string;
  department?: string;
  /** 角色 or 职务 as written in the file; the core maps it to a meeting role. */
  role?: string;
}

export type RosterFileProblem = 'unsupported-type' | 'not-utf8' | 'no-name-column' | 'no-rows';

/** The file cannot be read as a roster; `message` says what to do, in Chinese. */
export class RosterFileError extends Error {
  constructor(readonly problem: RosterFileProblem, readonly file: string) {
    super(messageOf(problem, basename(file)));
    this.name = 'RosterFileError';
  }
}

/**
 * Reads a member list exported from the WeCom admin console (通讯录 → 批量导入/导出 → 导出成员),
 * as .xlsx, or as .csv in UTF-8 (with or without BOM; GBK files are refused with a hint, not guessed).
 * The header row may sit below title or notes rows; headers are matched loosely
 * (姓名; 账号/帐号/UserID; 手机/手机号; 部门; 角色, else 职务/岗位).
 *
 * @example
 * const rows = await parseRosterFile('通讯录.xlsx');
 * // → [{ name: '张三', userId: 'zhangsan', mobile: '13800000001', department: '党办', role: '书记' }]
 */
export async function parseRosterFile(path: string): Promise<RosterRow[]> {
  const type = extname(path).toLowerCase();
  let table: string[][];
  if (type === '.xlsx') table = await readXlsx(path);
  else if (type === '.csv' || type === '.txt') table = readCsv(await readFile(path), path);
  else throw new RosterFileError('unsupported-type', path);
  return rowsOf(table, path);
}

// ---- tables ----

async function readXlsx(path: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cell.text ?? '';
    });
    table.push(Array.from(cells, (c) => c ?? ''));
  });
  return table;
}

function readCsv(bytes: Buffer, path: string): string[][] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RosterFileError('not-utf8', path);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
}

// ---- header matching ----

type Field = keyof RosterRow;

function normalizeHeader(header: string): string {
  return header
    .replace(/[（(][^）)]*[）)]/g, '') // a bracketed note such as （必填）
    .replace(/[\s*＊:：]/g, '')
    .toLowerCase();
}

function columnsOf(header: string[]): Partial<Record<Field, number>> | undefined {
  const normalized = header.map(normalizeHeader);
  const find = (aliases: readonly string[]) => {
    const index = normalized.findIndex((h) => aliases.includes(h));
    return index >= 0 ? index : undefined;
  };
  const name = find(rosterHeaders.name);
  if (name === undefined) return undefined;
  const columns: Partial<Record<Field, number>> = { name };
  for (const field of ['userId', 'mobile', 'department', 'role'] as const) {
    const index = find(rosterHeaders[field]) ?? (field === 'role' ? find(rosterHeaders.roleFallback) : undefined);
    if (index !== undefined) columns[field] = index;
  }
  return columns;
}

function rowsOf(table: string[][], path: string): RosterRow[] {
  // The WeCom export starts with title/notes rows; the header is the first row naming 姓名.
  const headerIndex = table.slice(0, 20).findIndex((row) => columnsOf(row) !== undefined);
  if (headerIndex < 0) throw new RosterFileError('no-name-column', path);
  const columns = columnsOf(table[headerIndex] ?? []) as Partial<Record<Field, number>> & { name: number };
  const rows: RosterRow[] = [];
  for (const cells of table.slice(headerIndex + 1)) {
    const cell = (field: Field) => {
      const index = columns[field];
      const value = index === undefined ? '' : (cells[index] ?? '').trim();
      return value === '' ? undefined : value;
    };
    const name = cell('name');
    if (!name) continue;
    const mobile = cell('mobile');
    rows.push({
      name,
      ...optional('userId', cell('userId')),
      ...optional('mobile', mobile === undefined ? undefined : normalizeMobile(mobile)),
      ...optional('department', cell('department')),
      ...optional('role', cell('role')),
    });
  }
  if (!rows.length) throw new RosterFileError('no-rows', path);
  return rows;
}

/** '+86 138-0000-0001' → '13800000001'; other formats are kept as written, minus spaces and dashes. */
function normalizeMobile(mobile: string): string {
  const compact = mobile.replace(/[\s-]/g, '');
  const china = /^(?:\+?86)?(1\d{10})$/.exec(compact);
  return china?.[1] ?? compact;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function messageOf(problem: RosterFileProblem, file: string): string {
  switch (problem) {
    case 'unsupported-type':
      return wecom['roster.unsupportedType']({ file });
    case 'not-utf8':
      return wecom['roster.notUtf8']({ file });
    case 'no-name-column':
      return wecom['roster.noNameColumn']({ file });
    case 'no-rows':
      return wecom['roster.noRows']({ file });
  }
}
