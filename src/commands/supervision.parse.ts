import { addDays, looksLikeDate, parseDate, type LocalDate } from '../domain/dates.js';
import { ARCHIVE_MATERIALS, type ArchiveMaterial } from '../domain/rules.js';
import type { TextKey, TextParams } from '../text/index.js';
import { ARCHIVE_WORDS, ARCHIVED_WORDS, DEADLINE_WORDS, DRAFT_WORDS, KIND_WORDS, OFFSET_WORDS, OVERDUE_WORDS, RESET_WORDS, wordOf } from './grammar.js';
import type { SupervisionCommand } from './supervision.types.js';
import type { ParseError } from './types.js';

/** Parsers of /汇总, /部署, /设置, /报告, /通报 and /归档 (pure; `parse.ts` routes the head word here). */

type Result = SupervisionCommand | ParseError;

const invalid = <K extends TextKey>(key: K, params: TextParams<K>): ParseError<K> => ({ kind: 'invalid', key, params });
const usage = (command: string): ParseError => invalid('command.usage', { command });

/** Days as typed: `15`, `15天`; 0–90. */
function readDays(token: string | undefined): number | undefined {
  const m = token ? /^(\d{1,3})天?$/.exec(token) : null;
  if (!m) return undefined;
  const n = Number(m[1]);
  return n <= 90 ? n : undefined;
}

/** `方案提前15` → ['方案提前', '15']; `截止2027-01-31` → ['截止', '2027-01-31']. */
function splitGlued(token: string, words: readonly string[]): [string, string] | undefined {
  const w = [...words].sort((a, b) => b.length - a.length).find((x) => token.startsWith(x) && token.length > x.length);
  return w ? [w, token.slice(w.length)] : undefined;
}

/** /汇总 · /汇总 逾期 · /汇总 <单位名> */
export function parseSummary(args: string[]): Result {
  if (args.length === 0) return { kind: 'summary' };
  if (args.length === 1 && OVERDUE_WORDS.includes(args[0]!)) return { kind: 'summary', overdueOnly: true };
  return { kind: 'summary', unit: args.join(' ') };
}

/**
 * /部署 <民主生活会|组织生活会> <主题> 截止 <日期> [方案提前 <天>] [通知提前 <天>] [报告期限 <天>]
 * @example parseCampaign(['民主生活会', '学习贯彻', '截止', '2027-01-31', '方案提前', '20'], '2026-11-25')
 * // { kind: 'campaign.deploy', meetingKind: 'democratic_life', theme: '学习贯彻', end: '2027-01-31', planBefore: 20 }
 */
export function parseCampaign(args: string[], today: LocalDate): Result {
  const [kindWord, ...rest] = args;
  const meetingKind = wordOf(KIND_WORDS, kindWord);
  if (!meetingKind) return usage('部署');
  const theme: string[] = [];
  const options: { planBefore?: number; noticeBefore?: number; reportWithin?: number } = {};
  let end: LocalDate | undefined;
  const keywords = [...DEADLINE_WORDS, ...Object.keys(OFFSET_WORDS)];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    let word: string | undefined;
    let value: string | undefined;
    if (keywords.includes(token)) [word, value] = [token, rest[++i]];
    else {
      const glued = splitGlued(token, keywords);
      if (glued) [word, value] = glued;
    }
    if (!word) {
      theme.push(token);
      continue;
    }
    if (DEADLINE_WORDS.includes(word)) {
      if (!value) return usage('部署');
      const r = parseDate(value, today);
      if (!r.ok) return invalid(r.reason === 'impossible' ? 'date.impossible' : 'date.format', { typed: value, example: addDays(today, 60), command: '部署' });
      end = r.date;
      continue;
    }
    const days = readDays(value);
    if (days === undefined) return invalid('campaign.badDays', { typed: value ?? '', word });
    const key = OFFSET_WORDS[word]!;
    if (key === 'plan') options.planBefore = days;
    else if (key === 'notice') options.noticeBefore = days;
    else options.reportWithin = days;
  }
  // A date without 截止 would silently become part of the theme (or leave the deadline out).
  const stray = theme.find(looksLikeDate);
  if (stray) {
    const r = parseDate(stray, today);
    const date = r.ok && r.date >= today ? stray : addDays(today, 60); // the example must be one /部署 accepts
    return invalid('campaign.dateWithoutDeadline', { kind: meetingKind, theme: theme.filter((x) => !looksLikeDate(x)).join(' '), date });
  }
  const t = theme.join(' ').trim();
  if (!t || !end) return usage('部署');
  return { kind: 'campaign.deploy', meetingKind, theme: t, end, ...options };
}

/** /设置 · /设置 方案提前 <天> · /设置 通知提前 <天> · /设置 报告期限 <天> · /设置 <项> 默认 */
export function parseSettings(args: string[]): Result {
  if (args.length === 0) return { kind: 'settings.show' };
  let [word, value] = args;
  if (args.length === 1) {
    const glued = splitGlued(args[0]!, Object.keys(OFFSET_WORDS));
    if (!glued) return usage('设置');
    [word, value] = glued;
  } else if (args.length > 2) return usage('设置');
  const key = wordOf(OFFSET_WORDS, word);
  if (!key) return usage('设置');
  if (value && RESET_WORDS.includes(value)) return { kind: 'settings.set', key, days: null };
  const days = readDays(value);
  return days === undefined ? invalid('settings.badDays', { typed: value ?? '' }) : { kind: 'settings.set', key, days };
}

/** /报告 草稿 and /通报 草稿 (the word 草稿 may be left out). */
export function parseDraft(head: '报告' | '通报', args: string[]): Result {
  if (args.length > 1 || (args[0] !== undefined && !DRAFT_WORDS.includes(args[0]))) return usage(head);
  return { kind: head === '报告' ? 'paper.report' : 'paper.inform' };
}

/** /归档 · /归档 <材料> [已归档] */
export function parseArchive(args: string[]): Result {
  if (args.length === 0) return { kind: 'archive.show' };
  if (args.length > 2 || (args[1] !== undefined && !ARCHIVED_WORDS.includes(args[1]))) return usage('归档');
  let word = args[0]!;
  if (args.length === 1) {
    const suffix = ARCHIVED_WORDS.find((w) => word.endsWith(w) && word.length > w.length);
    if (suffix) word = word.slice(0, -suffix.length);
  }
  const material = wordOf(ARCHIVE_WORDS, word);
  if (!material || !(ARCHIVE_MATERIALS as readonly string[]).includes(material)) return invalid('archive.unknownMaterial', { typed: word });
  return { kind: 'archive.mark', material: material as ArchiveMaterial };
}
