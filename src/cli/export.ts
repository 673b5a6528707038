import { stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import { localTimeOf, parseDate, toLocalDate, type LocalDate } from '../domain/dates.js';
import type { Logger } from '../log.js';
import { daysOverdue, itemState } from '../domain/rectification.js';
import { worstFirst, type UnitSummary } from '../domain/summary.js';
import type { LeaveStatus, MeetingKind, TalkMode } from '../domain/types.js';
import { audit } from '../store/audit.repository.js';
import { openDatabase, type Db } from '../store/db.js';
import type { Q } from '../store/helpers.js';
import { itemHistory, itemsOfUnit } from '../store/item.repository.js';
import { loadUnitSummaries, supervisedUnits } from '../store/supervision.repository.js';
import { findUnitByName, type Unit } from '../store/unit.repository.js';
import { textOf } from '../text/index.js';
import { EXPORT_HEADERS, exportCell } from '../text/supervision.js';

export type ExportKind = 'items' | 'summary' | 'talks' | 'leave';
const KINDS: readonly ExportKind[] = ['items', 'summary', 'talks', 'leave'];

export interface ExportOptions {
  /** Include the private talk notes (talks only). */
  withNotes?: boolean;
  /** Include the private leave reasons (leave only). */
  withReasons?: boolean;
}

export interface ExportTable {
  sheet: string;
  header: string[];
  rows: string[][];
}

/** Where the file goes when there is no --out, and where messages go (stderr: stdout may carry the data). */
export interface ExportDeps {
  config: Readonly<Config>;
  db?: Db;
  clock?: Clock;
  out?: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  err?: (line: string) => void;
  log?: Logger;
}

/** Why a file could not be written, as the operator can fix it (Node's fs error codes). */
export type WriteProblem = 'noFolder' | 'folderIsFile' | 'isFolder' | 'denied' | 'other';

/** What is at `path`: a folder, a file, or nothing (also when a file stands on the way). */
async function pathKind(path: string): Promise<'folder' | 'file' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw e;
  }
}

/** The problem behind a failed write of `file`, or undefined when the error is not a file-system one (a bug: rethrown). */
async function writeProblem(err: unknown, file: string): Promise<{ problem: WriteProblem; code: string } | undefined> {
  const code = err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' ? (err as NodeJS.ErrnoException).code! : undefined;
  if (!code) return undefined;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    // A folder that exists but takes no new file (/proc) is not a missing folder.
    const folder = await pathKind(dirname(file));
    return { problem: folder === 'folder' ? 'denied' : folder === 'file' ? 'folderIsFile' : 'noFolder', code };
  }
  if (code === 'EISDIR') return { problem: 'isFolder', code };
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'EBUSY') return { problem: 'denied', code };
  return code.startsWith('E') ? { problem: 'other', code } : undefined;
}

const SHEET = EXPORT_HEADERS.sheets;

/** `2026-12-01T02:30:00.000Z` → `2026-12-01 10:30` (Asia/Shanghai). */
export function localDateTime(iso: string | null): string {
  if (!iso) return '';
  const at = new Date(iso);
  const { hour, minute } = localTimeOf(at);
  return `${toLocalDate(at)} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

async function meetingLabels(db: Q, unitId: number): Promise<Map<number, string>> {
  const rows = await db.selectFrom('meeting').select(['id', 'kind', 'date']).where('unit_id', '=', unitId).execute();
  return new Map(rows.map((r) => [r.id, exportCell.meeting(r.kind as MeetingKind, r.date)]));
}

/** The rectification list: owners, deadlines, state, and every change as text. */
async function itemsTable(db: Q, unit: Unit, today: LocalDate): Promise<ExportTable> {
  const meetings = await meetingLabels(db, unit.id);
  const rows: string[][] = [];
  for (const i of await itemsOfUnit(db, unit.id)) {
    const history = (await itemHistory(db, i.id)).map((e) =>
      textOf('export.event', { at: localDateTime(e.at), actor: e.actor ?? '', action: e.action, from: e.fromDeadline, to: e.toDeadline, note: e.note }),
    );
    const state = itemState(i, today);
    rows.push([
      unit.name, meetings.get(i.meetingId) ?? '', String(i.no), i.content, exportCell.itemKind(i.kind), i.leadUnit ?? '',
      i.owners.map((o) => o.name).join('、'), i.deadline, exportCell.itemState(state), state === 'overdue' ? String(daysOverdue(i, today)) : '',
      i.doneOn ?? '', i.doneNote ?? '', i.verifiedOn ?? '', history.join(exportCell.historySeparator),
    ]);
  }
  return { sheet: SHEET.items, header: [...EXPORT_HEADERS.items], rows };
}

/** The /汇总 table of the unit's subtree, worst first. */
async function summaryTable(db: Q, unit: Unit, today: LocalDate): Promise<ExportTable> {
  return summaryTableOf(await loadUnitSummaries(db, await supervisedUnits(db, unit.id), today), today);
}

/** The /汇总 table of these summaries, worst first (the dashboard's download passes the rows it may show). */
export function summaryTableOf(summaries: readonly UnitSummary[], today: LocalDate): ExportTable {
  const rows = worstFirst(summaries).map((r) => [
    r.unitName, exportCell.light(r.light), r.meeting ? exportCell.kind(r.meeting.kind) : '', r.meeting?.date ?? '', r.phase ? exportCell.phase(r.phase) : '',
    exportCell.deadline(r.papers?.plan), exportCell.deadline(r.papers?.notice), exportCell.deadline(r.papers?.report),
    r.coverage === undefined ? '' : `${r.coverage}%`, String(r.leave.approved + r.leave.pending),
    String(r.items.open), String(r.items.overdue), String(r.items.done), r.lastActivity ?? exportCell.none,
    exportCell.flags(r.flags, today), String(r.failed),
  ]);
  return { sheet: SHEET.summary, header: [...EXPORT_HEADERS.summary], rows };
}

/** Talks: date, the two people, mode; the private note only with `withNotes`. */
async function talksTable(db: Q, unit: Unit, opts: ExportOptions): Promise<ExportTable> {
  const meetings = await meetingLabels(db, unit.id);
  const ids = [...meetings.keys()];
  const talks = ids.length
    ? await db.selectFrom('talk').innerJoin('person as a', 'a.id', 'talk.a_id').innerJoin('person as b', 'b.id', 'talk.b_id')
      .select(['talk.meeting_id', 'talk.date', 'talk.mode', 'talk.note', 'talk.created_by', 'talk.b_id', 'a.name as a_name', 'b.name as b_name'])
      .where('talk.meeting_id', 'in', ids).orderBy('talk.date').orderBy('talk.id').execute()
    : [];
  const rows = talks.map((t) => {
    // The one who logged it comes first when they are one of the two.
    const [first, second] = t.created_by === t.b_id ? [t.b_name, t.a_name] : [t.a_name, t.b_name];
    const row = [unit.name, meetings.get(t.meeting_id) ?? '', t.date, first, second, exportCell.mode(t.mode as TalkMode)];
    if (opts.withNotes) row.push(t.note ?? '');
    return row;
  });
  const header: string[] = [...EXPORT_HEADERS.talks];
  if (opts.withNotes) header.push(EXPORT_HEADERS.talksNote);
  return { sheet: SHEET.talks, header, rows };
}

/** Leave requests: person, status and dates; the private reason only with `withReasons`. */
async function leaveTable(db: Q, unit: Unit, opts: ExportOptions): Promise<ExportTable> {
  const meetings = await meetingLabels(db, unit.id);
  const ids = [...meetings.keys()];
  const leaves = ids.length
    ? await db.selectFrom('leave_request').innerJoin('person', 'person.id', 'leave_request.person_id')
      .select(['leave_request.meeting_id', 'person.name', 'leave_request.status', 'leave_request.created_at', 'leave_request.decided_at',
        'leave_request.statement_on', 'leave_request.relayed_on', 'leave_request.reason'])
      .where('leave_request.meeting_id', 'in', ids).orderBy('leave_request.id').execute()
    : [];
  const rows = leaves.map((l) => {
    const row = [unit.name, meetings.get(l.meeting_id) ?? '', l.name, exportCell.leaveState(l.status as LeaveStatus),
      localDateTime(l.created_at), localDateTime(l.decided_at), l.statement_on ?? '', l.relayed_on ?? ''];
    if (opts.withReasons) row.push(l.reason);
    return row;
  });
  const header: string[] = [...EXPORT_HEADERS.leave];
  if (opts.withReasons) header.push(EXPORT_HEADERS.leaveReason);
  return { sheet: SHEET.leave, header, rows };
}

/**
 * One export as a table of text cells.
 * @example await exportTable(db, 'talks', unit, '2026-12-31') // { header: ['单位', …, '方式'], rows: [...] } — no notes
 */
export async function exportTable(db: Q, kind: ExportKind, unit: Unit, today: LocalDate, opts: ExportOptions = {}): Promise<ExportTable> {
  switch (kind) {
    case 'items':
      return itemsTable(db, unit, today);
    case 'summary':
      return summaryTable(db, unit, today);
    case 'talks':
      return talksTable(db, unit, opts);
    case 'leave':
      return leaveTable(db, unit, opts);
  }
}

/** CSV that Excel and WPS open as UTF-8: a BOM and CRLF line ends. */
export function toCsv(table: ExportTable): string {
  return stringify([table.header, ...table.rows], { bom: true, record_delimiter: 'windows' });
}

export async function toXlsx(table: ExportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(table.sheet);
  sheet.addRow(table.header).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  sheet.columns.forEach((col) => {
    col.width = 14;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * `shenghuohui export <items|summary|talks|leave> --unit <名称> [--format csv|xlsx] [--out 文件]
 * [--date YYYY-MM-DD] [--with-notes] [--with-reasons]`. Without --out, CSV goes to stdout; XLSX goes
 * to stdout only when it is not a terminal.
 */
export async function runExport(args: string[], deps: ExportDeps): Promise<number> {
  const err = deps.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const out = deps.out ?? process.stdout;
  const { values, positionals } = parseArgs({
    args,
    options: {
      unit: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, date: { type: 'string' },
      'with-notes': { type: 'boolean' }, 'with-reasons': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: false,
  });
  const [kindWord] = positionals;
  if (!kindWord) {
    err(textOf('export.usage', {}));
    return 2;
  }
  if (!(KINDS as readonly string[]).includes(kindWord)) {
    err(textOf('export.badKind', { typed: kindWord }));
    return 2;
  }
  const kind = kindWord as ExportKind;
  if (typeof values.unit !== 'string' || !values.unit.trim()) {
    err(textOf('export.unitRequired', {}));
    return 2;
  }
  const format = typeof values.format === 'string' ? values.format.toLowerCase() : 'csv';
  if (format !== 'csv' && format !== 'xlsx') {
    err(textOf('export.badFormat', { typed: String(values.format) }));
    return 2;
  }
  const file = typeof values.out === 'string' && values.out ? values.out : undefined;
  if (format === 'xlsx' && !file && out.isTTY) {
    err(textOf('export.xlsxToTty', {}));
    return 2;
  }
  const clock = deps.clock ?? systemClock;
  let today = toLocalDate(clock.now());
  if (typeof values.date === 'string') {
    const parsed = parseDate(values.date, today);
    if (!parsed.ok) {
      err(textOf('export.badDate', { typed: values.date }));
      return 2;
    }
    today = parsed.date;
  }
  const opts: ExportOptions = { withNotes: values['with-notes'] === true && kind === 'talks', withReasons: values['with-reasons'] === true && kind === 'leave' };
  const db = deps.db ?? (await openDatabase(deps.config.DATABASE_URL));
  try {
    const unit = await findUnitByName(db, values.unit.trim());
    if (!unit) {
      err(textOf('export.unknownUnit', { name: values.unit.trim() }));
      return 1;
    }
    const table = await exportTable(db, kind, unit, today, opts);
    const data = format === 'csv' ? toCsv(table) : await toXlsx(table);
    if (file) {
      try {
        await writeFile(file, data);
      } catch (e) {
        // The operator's path, not the store or the configuration: say which path and why, exit 2 (a usage error).
        const why = await writeProblem(e, file);
        if (!why) throw e;
        deps.log?.warn({ file, code: why.code }, 'export: the output file could not be written');
        err(textOf('export.cannotWrite', { file, folder: dirname(file), problem: why.problem, code: why.code }));
        return 2;
      }
    }
    // Who exported what stays traceable, notes and reasons above all (never their contents); a failed write exported nothing.
    await audit(db, clock.now().toISOString(), {
      actorId: null, unitId: null, chat: 'cli', action: `export.${kind}`, entity: 'unit', entityId: unit.id,
      detail: { format, withNotes: opts.withNotes === true, withReasons: opts.withReasons === true, rows: table.rows.length },
    });
    if (file) err(textOf('export.written', { file, rows: table.rows.length }));
    else out.write(data);
    if (opts.withNotes) err(textOf('export.notesIncluded', {}));
    if (opts.withReasons) err(textOf('export.reasonsIncluded', {}));
    return 0;
  } finally {
    if (!deps.db) await db.destroy();
  }
}
