import { MAX_PUBLICITY_DAYS, type Grade } from '../domain/appraisal.js';
import { addDays, looksLikeDate, parseDate, type LocalDate } from '../domain/dates.js';
import type { BallotHint } from '../text/appraisal.js';
import type { TextKey, TextParams } from '../text/index.js';
import { APPRAISAL_SUBCOMMANDS, COMMENT_WORDS, COMMITTEE_WORDS, DEADLINE_WORDS, GRADE_LABEL, GRADE_WORDS, wordOf } from './grammar.js';
import type { ParseError, PersonRef } from './types.js';

/**
 * Parsing of the 民主评议党员 commands (/评议 /测评 /自评 /评定 /党小组 /承诺 /公示). Pure, never
 * throws. A ballot's own problems are carried inside the command (`ballot.ok === false`) rather
 * than returned as a parse error: the handler first refuses a ballot typed in a group — without
 * echoing any of it — and only in the single chat says what was wrong with it.
 */

/** `班子` or a member, and the grade given. */
export interface BallotEntry {
  target: 'committee' | PersonRef;
  grade: Grade;
  comment?: string;
  /** The comment was introduced with `意见`, so its first words are meant as a comment even if they look like a name. */
  commentMarked?: boolean;
}

export type BallotParse = { ok: true; entries: BallotEntry[] } | { ok: false; error: ParseError };

/**
 * What the handler knows when it reads a ballot: the names on the branch's roster (so an unknown
 * word is not taken for a name), and the names and branch its error examples may use.
 */
export interface BallotContext {
  names: readonly string[];
  hint: BallotHint;
}

export type AppraisalCommand =
  | { kind: 'appraisal.open'; closesOn?: LocalDate; closesTime?: { hour: number; minute: number } }
  | { kind: 'appraisal.progress' }
  | { kind: 'appraisal.close' }
  /** The ballot's words as typed: the handler reads them with the roster ({@link parseBallot}), after a branch name if one comes first. */
  | { kind: 'appraisal.vote'; words: string[] }
  | { kind: 'appraisal.mine'; unitWord?: string }
  | { kind: 'appraisal.self'; content: string }
  | { kind: 'appraisal.selfMine' }
  /** `unitWord`: the first word, when a grade follows the second — a branch's name, or a name left without its grade. */
  | { kind: 'appraisal.grade'; entries: Array<{ who: PersonRef; grade: Grade }>; unitWord?: string }
  | { kind: 'partyGroup.set'; name: string; who: PersonRef[] }
  | { kind: 'partyGroup.list' }
  | { kind: 'partyGroup.clear' }
  | { kind: 'commitment.submit'; content: string }
  | { kind: 'commitment.status' }
  | { kind: 'publicity.post'; days?: number };

/** The command words this parser answers (the heads after the slash). */
export const APPRAISAL_HEADS = ['评议', '测评', '自评', '评定', '党小组', '承诺', '公示'] as const;

/** Longest ballot comment kept. */
export const MAX_COMMENT = 300;
const MAX_GROUP_NAME = 20;

const invalid = <K extends TextKey>(key: K, params: TextParams<K>): ParseError<K> => ({ kind: 'invalid', key, params });
const usage = (command: string): ParseError => invalid('command.usage', { command });

/** Separators typed on phones between a name and its grade or between pairs: `班子：优秀，张三、合格`. */
const SEPARATORS = '，,、；;:。';
/** A word without the punctuation a phone keyboard leaves around it. */
export const strip = (t: string): string => t.replace(/^[，,；;、。.]+/u, '').replace(/[，,；;、。.：:！!]+$/u, '');
const gradeOf = (t: string | undefined): Grade | undefined => (t === undefined ? undefined : wordOf(GRADE_WORDS, strip(t)));
const isCommittee = (t: string): boolean => COMMITTEE_WORDS.includes(strip(t));
const commentPrefix = (t: string): string | undefined => {
  for (const w of COMMENT_WORDS) {
    if (strip(t) === w) return '';
    if (t.startsWith(`${w}:`)) return t.slice(w.length + 1);
  }
  return undefined;
};
/** `班子优秀`, `张三不合格，`: a name with a grade glued to its end (the longest grade word wins). */
const GLUED_GRADE = new RegExp(`^(.+?)(${Object.keys(GRADE_WORDS).sort((a, b) => b.length - a.length).join('|')})([${SEPARATORS}！!]*)$`, 'u');

/**
 * A ballot's words split the way people type them on phones: after each separator (kept on the
 * left, so a comment reads as typed) — `班子:优秀，张三:合格` is four words.
 */
export function ballotWords(words: readonly string[]): string[] {
  return words.flatMap((w) => w.split(new RegExp(`(?<=[${SEPARATORS}])`, 'u'))).filter((w) => strip(w) !== '');
}

/** Joins comment words as typed: no space after a separator. */
const joinWords = (words: readonly string[]): string =>
  words.reduce((acc, w) => (acc === '' ? w : new RegExp(`[${SEPARATORS}]$`, 'u').test(acc) ? acc + w : `${acc} ${w}`), '');

/** `张三合格` → [`张三`, `合格`]; undefined when the word is not a name with a glued grade. */
function unglue(word: string): [string, string] | undefined {
  if (gradeOf(word) !== undefined) return undefined;
  const m = GLUED_GRADE.exec(word);
  if (!m || !strip(m[1]!)) return undefined;
  return [m[1]!, m[2]! + m[3]!];
}

function readTarget(token: string): 'committee' | PersonRef | undefined {
  if (isCommittee(token)) return 'committee';
  const name = strip(token).replace(/^@+/, '');
  if (!name || name.includes('@') || name.length > 30) return undefined;
  return { name };
}

/**
 * `/测评 班子 优秀 张三 合格 工作认真 @李四 基本合格 意见 要多参加组织生活`: pairs of target and grade;
 * words after a grade, up to the next pair (an @name, 班子, or a word followed by a grade), are a
 * comment on that target. `意见` starts a comment explicitly: its first word is never read as a target.
 * Full-width separators split words (`班子：优秀，张三：合格`), and a grade glued to a name (`班子优秀`)
 * is read as two words where a pair may start: first, or after a name on the roster, 班子 or an @.
 * With `known`, a first word that is neither 班子 nor a name on the roster and has no grade after it
 * is not echoed back as a name; examples in the errors use `known.hint`.
 * @example parseBallot(['班子', '优秀', '@张三', '合格']) // { ok: true, entries: [{ target: 'committee', grade: 'excellent' }, …] }
 */
export function parseBallot(typed: readonly string[], known?: BallotContext): BallotParse {
  const hint: BallotHint = known?.hint ?? { sample: [] };
  const fail = <K extends TextKey>(key: K, params: TextParams<K>): BallotParse => ({ ok: false, error: invalid(key, params) });
  const isName = (t: string): boolean => known?.names.includes(strip(t).replace(/^@+/, '')) ?? false;
  const tokens: string[] = [];
  for (const w of ballotWords(typed)) {
    const parts = unglue(w);
    if (parts && !isName(w) && (tokens.length === 0 || w.startsWith('@') || isCommittee(parts[0]) || isName(parts[0]))) tokens.push(...parts);
    else tokens.push(w);
  }
  const entries: BallotEntry[] = [];
  const pairStarts = (j: number): boolean => {
    const t = tokens[j]!;
    return t.startsWith('@') || isCommittee(t) || (gradeOf(t) === undefined && gradeOf(tokens[j + 1]) !== undefined);
  };
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    const prefix = commentPrefix(token);
    if (prefix !== undefined) {
      const last = entries[entries.length - 1];
      if (!last) return fail('ballot.commentFirst', { hint });
      // The first word after 意见 belongs to the comment even when it looks like the start of a pair.
      let j = prefix ? i + 1 : i + 2;
      while (j < tokens.length && !pairStarts(j) && commentPrefix(tokens[j]!) === undefined) j++;
      const words = [prefix, ...tokens.slice(i + 1, j)].filter(Boolean);
      if (words.length === 0) return fail('ballot.commentEmpty', { hint });
      last.comment = joinWords([last.comment ?? '', ...words].filter(Boolean));
      last.commentMarked = true;
      i = j;
      continue;
    }
    if (gradeOf(token)) return fail('ballot.targetMissing', { grade: strip(token), hint });
    const target = readTarget(token);
    if (!target) return fail('ballot.badTarget', { typed: token, hint });
    const label = target === 'committee' ? strip(token) : target.name;
    const next = tokens[i + 1];
    const grade = gradeOf(next);
    if (!grade) {
      // `/测评 撤回`: a word that is not a name is not answered as if it were one.
      if (known && target !== 'committee' && !isName(token)) return fail('ballot.unknownWord', { typed: strip(token), hint });
      return next === undefined ? fail('ballot.gradeMissing', { target: label, hint }) : fail('ballot.gradeUnknown', { typed: strip(next), target: label, hint });
    }
    const entry: BallotEntry = { target, grade };
    i += 2;
    let j = i;
    while (j < tokens.length && !pairStarts(j) && commentPrefix(tokens[j]!) === undefined) j++;
    if (j > i) entry.comment = joinWords(tokens.slice(i, j));
    entries.push(entry);
    i = j;
  }
  if (entries.length === 0) return fail('ballot.empty', { hint });
  const long = entries.find((e) => (e.comment?.length ?? 0) > MAX_COMMENT);
  if (long) return fail('ballot.commentTooLong', { max: MAX_COMMENT });
  return { ok: true, entries };
}

function readClosing(words: string[], today: LocalDate): { closesOn?: LocalDate; closesTime?: { hour: number; minute: number } } | ParseError {
  const rest = [...words];
  const first = rest[0];
  if (first === undefined) return {};
  const glued = DEADLINE_WORDS.find((w) => first.startsWith(w) && first.length > w.length);
  if (glued) rest.splice(0, 1, first.slice(glued.length));
  else if (DEADLINE_WORDS.includes(first)) rest.shift();
  else if (!looksLikeDate(first)) return usage('评议');
  const [dateWord, timeWord, ...extra] = rest;
  if (!dateWord) return invalid('appraisal.closingMissing', { example: addDays(today, 3) });
  if (extra.length) return usage('评议');
  const d = parseDate(dateWord, today);
  if (!d.ok) return invalid(d.reason === 'impossible' ? 'date.impossible' : 'date.format', { typed: dateWord, example: addDays(today, 3), command: '评议' });
  if (timeWord === undefined) return { closesOn: d.date };
  const m = /^(\d{1,2})(?::(\d{2})|[点时](?:(\d{1,2})分?)?)$/.exec(timeWord);
  const hour = m ? Number(m[1]) : NaN;
  const minute = m ? Number(m[2] ?? m[3] ?? 0) : NaN;
  if (!m || hour > 23 || minute > 59) return invalid('appraisal.badTime', { typed: timeWord });
  return { closesOn: d.date, closesTime: { hour, minute } };
}

/**
 * `/评定 @张三 优秀 李四：合格`: pairs of a member and a grade. A mistake is answered as the ballot's
 * are: an unknown grade is named, and a grade glued to a name gets the command written out.
 */
function readPairs(typed: readonly string[]): Array<{ who: PersonRef; grade: Grade }> | ParseError {
  const tokens = ballotWords(typed);
  if (tokens.length === 0) return usage('评定');
  const out: Array<{ who: PersonRef; grade: Grade }> = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const token = tokens[i]!;
    const glued = unglue(token);
    if (glued && !isCommittee(glued[0])) {
      const name = strip(glued[0]).replace(/^@+/, '');
      const rest = [`@${name} ${strip(glued[1])}`, ...tokens.slice(i + 1).map(strip)];
      return invalid('grade.glued', { command: `/评定 ${[...out.map((e) => `@${e.who.name} ${GRADE_LABEL[e.grade]}`), ...rest].join(' ')}` });
    }
    const target = readTarget(token);
    if (!target || target === 'committee' || gradeOf(token)) return usage('评定');
    const next = tokens[i + 1];
    const grade = gradeOf(next);
    if (!grade) return next === undefined ? invalid('grade.gradeMissing', { name: target.name }) : invalid('grade.gradeUnknown', { typed: strip(next), name: target.name });
    out.push({ who: target, grade });
  }
  return out;
}

function mentionsAndWords(tokens: readonly string[]): { refs: PersonRef[]; words: string[] } {
  const refs: PersonRef[] = [];
  const words: string[] = [];
  for (const t of tokens) {
    if (t.startsWith('@')) for (const part of t.split('@').slice(1)) {
      const name = strip(part);
      if (name) refs.push({ name });
    }
    else words.push(t);
  }
  return { refs, words };
}

/** `测评张三合格` → head `测评`, rest `张三合格`: ballots and self-appraisals typed without a space. */
export function gluedConfidentialHead(head: string): { head: '测评' | '自评'; rest: string } | undefined {
  for (const h of ['测评', '自评'] as const) if (head.startsWith(h) && head.length > h.length) return { head: h, rest: head.slice(h.length) };
  return undefined;
}

/** Parses one of {@link APPRAISAL_HEADS} with its arguments. */
export function parseAppraisal(head: string, args: string[], today: LocalDate): AppraisalCommand | ParseError {
  const [sub, ...rest] = args;
  switch (head) {
    case '评议': {
      const action = sub === undefined ? 'progress' : wordOf(APPRAISAL_SUBCOMMANDS, sub);
      if (action === 'open') {
        const closing = readClosing(rest, today);
        if ('kind' in closing) return closing;
        return { kind: 'appraisal.open', ...closing };
      }
      if (rest.length) return usage('评议');
      if (action === 'progress') return { kind: 'appraisal.progress' };
      if (action === 'close') return { kind: 'appraisal.close' };
      return usage('评议');
    }
    case '测评': {
      const mine = (w: string | undefined): boolean => w === '我的' || w === '查看';
      if (args.length === 0 || (args.length === 1 && mine(sub))) return { kind: 'appraisal.mine' };
      // `/测评 第二党支部 我的`: a member of two branches names the one meant.
      if (args.length === 2 && mine(args[1])) return { kind: 'appraisal.mine', unitWord: sub! };
      return { kind: 'appraisal.vote', words: [...args] };
    }
    case '自评': {
      // `/自评 我的`: the member reads back what they handed in (never taken as a self-appraisal saying 我的).
      if (args.length === 1 && (args[0] === '我的' || args[0] === '查看')) return { kind: 'appraisal.selfMine' };
      const content = args.join(' ').trim();
      return content ? { kind: 'appraisal.self', content } : invalid('appraisal.selfEmpty', {});
    }
    case '评定': {
      // `/评定 第二党支部 @张三 合格`: a member of two branches names the one meant.
      const words = ballotWords(args);
      if (words.length % 2 === 1 && words.length >= 3 && !gradeOf(words[0]) && !gradeOf(words[1]) && gradeOf(words[2])) {
        const pairs = readPairs(words.slice(1));
        return 'kind' in pairs ? pairs : { kind: 'appraisal.grade', entries: pairs, unitWord: strip(words[0]!) };
      }
      const pairs = readPairs(words);
      return 'kind' in pairs ? pairs : { kind: 'appraisal.grade', entries: pairs };
    }
    case '党小组': {
      if (sub === undefined || sub === '列表' || sub === '查看') return rest.length ? usage('党小组') : { kind: 'partyGroup.list' };
      if (sub === '清除' || sub === '取消') return rest.length ? usage('党小组') : { kind: 'partyGroup.clear' };
      if (sub !== '设置') return usage('党小组');
      const { refs, words } = mentionsAndWords(rest);
      const name = words.join('');
      if (!name || name.length > MAX_GROUP_NAME || refs.length === 0) return usage('党小组');
      return { kind: 'partyGroup.set', name, who: refs };
    }
    case '承诺': {
      if (args.length === 1 && (sub === '情况' || sub === '统计')) return { kind: 'commitment.status' };
      const content = args.join(' ').trim();
      return content ? { kind: 'commitment.submit', content } : usage('承诺');
    }
    case '公示': {
      if (args.length === 0) return { kind: 'publicity.post' };
      const m = args.length === 1 ? /^(\d{1,3})(天|日)?$/.exec(sub!) : null;
      const days = m ? Number(m[1]) : NaN;
      if (!m || days < 1 || days > MAX_PUBLICITY_DAYS) return invalid('publicity.badDays', { typed: args.join(' ') });
      return { kind: 'publicity.post', days };
    }
    default:
      return usage(head);
  }
}
