import { addDays, daysBetween, looksLikeDate, parseDate, type LocalDate } from '../domain/dates.js';
import type { StepId, TalkMode } from '../domain/types.js';
import type { TextKey, TextParams } from '../text/index.js';
import {
  COMMAND_WORDS, DEADLINE_WORDS, OUTLINE_ALIASES, ITEM_KIND_WORDS, KIND_WORDS, LEAD_UNIT_WORDS, PARENT_WORDS, ROLE_WORDS, STEP_WORDS, SUBCOMMANDS, TALK_MODE_WORDS,
} from './grammar.js';
import type { Command, ParseError, ParseResult, PersonRef } from './types.js';
import { gluedConfidentialHead, parseAppraisal } from './appraisal.parser.js';
import { parseArchive, parseCampaign, parseDraft, parseSettings, parseSummary } from './supervision.parse.js';

const MAX_TEXT = 2000;

/**
 * One normal form for what people type on phones: full-width ／ ： ＠ and digits, odd spaces
 * (U+3000, U+2005 after a WeCom @, NBSP), control characters, and a leading @bot mention.
 */
export function normalize(text: string): string {
  let t = text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200d\ufeff]/g, '')
    .replace(/[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\t\r\n]/g, ' ')
    .replace(/／/g, '/').replace(/：/g, ':').replace(/＠/g, '@').replace(/－/g, '-')
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/ +/g, ' ')
    .trim();
  // A leading @mention of the bot (WeCom keeps it in the text) before the command.
  while (/^@\S+ /.test(t) && t.includes('/')) t = t.replace(/^@\S+ /, '').trim();
  if (/^@\S+$/.test(t)) t = '';
  // `/请假：外出培训`: a colon right after the command word separates it like a space.
  t = t.replace(/^(\/?[^\s:/@]+):\s*/, '$1 ');
  // `/批准@张三`, `/提纲 审核@张三`: an @mention glued to the command or to its sub-command word.
  t = t.replace(/^(\/[^\s@]+)@/, '$1 @').replace(/^(\/[^\s@]+ [^\s@]+)@/, '$1 @');
  return t;
}

const invalid = <K extends TextKey>(key: K, params: TextParams<K>): ParseError<K> => ({ kind: 'invalid', key, params });
const usage = (command: string): ParseError => invalid('command.usage', { command });

/** A usage error names the sub-command typed (its first word), so the reply shows that form. */
function withSub(r: ParseResult, args: readonly string[]): ParseResult {
  if (r.kind !== 'invalid' || r.key !== 'command.usage' || !args[0]) return r;
  return { ...r, params: { ...(r.params as TextParams<'command.usage'>), sub: args[0] } } as ParseResult;
}

function splitMentions(tokens: string[]): { refs: PersonRef[]; rest: string[] } {
  const refs: PersonRef[] = [];
  const rest: string[] = [];
  for (const token of tokens) {
    if (token.startsWith('@')) {
      for (const part of token.split('@').slice(1)) {
        const name = part.replace(/[，,。.、；;:!！?？]+$/u, '');
        if (name) refs.push({ name });
      }
    } else rest.push(token);
  }
  return { refs, rest };
}

type DateOutcome = { date: LocalDate } | { error: ParseError };

/**
 * A mistake is answered with an example a month ahead; with `past` (a talk, which has already taken
 * place) with today and yesterday instead, which the next reply would not refuse as not yet come.
 */
function readDate(token: string, today: LocalDate, command: string, past = false): DateOutcome {
  const r = parseDate(token, today);
  if (r.ok) return { date: r.date };
  const example = past ? today : addDays(today, 30);
  return { error: invalid(r.reason === 'impossible' ? 'date.impossible' : 'date.format', { typed: token, example, command, past }) };
}

/**
 * A date of something that has taken place (a talk, a meeting recorded late): `11月24日` without a
 * year is the last such day when that is nearer than the next; a mistake is answered with today.
 */
function readPastDate(token: string, today: LocalDate, command: string): DateOutcome {
  const d = readDate(token, today, command, true);
  if ('date' in d && d.date > today && /^\d{1,2}[-/.月]/.test(token)) {
    const last = readDate(token, addDays(today, -365), command);
    if ('date' in last && last.date <= today && daysBetween(last.date, today) < daysBetween(today, d.date)) return last;
  }
  return d;
}

const STEP_BY_WORD: Map<string, StepId> = new Map(
  (Object.entries(STEP_WORDS) as Array<[StepId, string[]]>).flatMap(([id, words]) => words.map((w) => [w, id] as [string, StepId])),
);

/** The command a typo was probably meant to be, e.g. `/整改完成` → `/整改 完成`. */
export function nearestCommand(head: string): string | undefined {
  const word = head.replace(/^\//, '');
  for (const cmd of COMMAND_WORDS) {
    if (word.startsWith(cmd) && word.length > cmd.length) {
      const sub = word.slice(cmd.length);
      const match = SUBCOMMANDS[cmd]?.find((s) => sub.startsWith(s));
      if (match) return `/${cmd} ${match}`;
      return `/${cmd}`;
    }
    if (cmd.startsWith(word) && word.length >= 1) return `/${cmd}`;
  }
  for (const [cmd, subs] of Object.entries(SUBCOMMANDS)) {
    if (subs.includes(word)) return `/${cmd} ${word}`;
  }
  if (STEP_BY_WORD.has(word)) return `/完成 ${word}`;
  return undefined;
}

/**
 * Text → typed command, or a keyed error saying what to type instead, or `none` for chatter.
 * Never throws.
 * @example parseCommand('/整改 完成 3 已更换门禁', '2026-12-01') // { kind: 'rectify.complete', no: 3, note: '已更换门禁' }
 */
export function parseCommand(text: string, today: LocalDate, opts: { addressed?: boolean } = {}): ParseResult {
  try {
    return parseUnsafe(text, today, opts);
  } catch {
    return invalid('command.unknown', { typed: '', nearest: undefined });
  }
}

function parseUnsafe(raw: string, today: LocalDate, opts: { addressed?: boolean }): ParseResult {
  if (typeof raw !== 'string') return { kind: 'none' };
  const text = normalize(raw.length > MAX_TEXT * 2 ? raw.slice(0, MAX_TEXT * 2) : raw);
  if (text.length > MAX_TEXT) return invalid('command.tooLong', { max: MAX_TEXT });
  if (!text) return opts.addressed ? { kind: 'help' } : { kind: 'none' };
  let body: string;
  if (text.startsWith('/')) body = text.slice(1).trim();
  else {
    const words = text.split(' ');
    // `@生活会助手 进度`: when the message is for the bot, leading @mentions and a missing slash are fine.
    while (opts.addressed && words.length > 1 && words[0]!.startsWith('@')) words.shift();
    const first = words[0] ?? '';
    if (opts.addressed && ((COMMAND_WORDS as readonly string[]).includes(first) || OUTLINE_ALIASES.includes(first))) body = words.join(' ');
    else if (opts.addressed) return invalid('command.notCommand', {});
    else return { kind: 'none' };
  }
  const tokens = body.split(' ').filter(Boolean);
  const head = tokens.shift() ?? '';
  const args = tokens;
  return withSub(parseBody(head, args, today), args);
}

function parseBody(head: string, args: string[], today: LocalDate): ParseResult {
  // A ballot glued to its command word (/测评张三合格) must not be echoed back as an unknown command.
  const glued = gluedConfidentialHead(head);
  if (glued) return parseAppraisal(glued.head, [glued.rest, ...args], today);
  switch (head) {
    case '':
      return { kind: 'help' };
    case '帮助':
    case '?':
    case '？':
    case 'help':
      return args.length ? { kind: 'help', topic: args.join(' ').replace(/^\//, '') } : { kind: 'help' };
    case '单位':
      return parseUnit(args);
    case '成员':
      return parseMember(args);
    case '我是':
      return args.length === 1 && !args[0]!.startsWith('@') ? { kind: 'iam', name: args[0]! } : usage('我是');
    case '会议':
      return parseMeeting(args, today);
    case '进度':
      return { kind: 'progress' };
    case '完成':
      return parseStepDone(args);
    case '谈心':
      return parseTalk(args, today);
    case '提纲':
    case '发言提纲':
    case '问题清单':
    case '个人问题清单':
      return parseOutline(args);
    case '请假':
      if (args[0] === '列表' && args.length === 1) return { kind: 'leave.list' };
      return args.length ? { kind: 'leave.request', reason: args.join(' ') } : invalid('leave.reasonRequired', {});
    case '批准':
    case '驳回': {
      const { refs, rest } = splitMentions(args);
      if (refs.length !== 1) return usage(head);
      if (head === '批准') return { kind: 'leave.approve', who: refs[0]! };
      const reason = rest.join(' ').trim();
      return reason ? { kind: 'leave.reject', who: refs[0]!, reason } : { kind: 'leave.reject', who: refs[0]! };
    }
    case '书面发言': {
      if (args[0] !== '提交') return usage('书面发言');
      const { refs, rest } = splitMentions(args.slice(1));
      if (refs.length > 1 || rest.length > 0) return usage('书面发言');
      return refs[0] ? { kind: 'statement.submit', who: refs[0] } : { kind: 'statement.submit' };
    }
    case '转告': {
      const { refs } = splitMentions(args);
      return refs.length === 1 ? { kind: 'relay', who: refs[0]! } : usage('转告');
    }
    case '整改':
      return parseRectify(args, today);
    case '评议':
    case '测评':
    case '自评':
    case '评定':
    case '党小组':
    case '承诺':
    case '公示':
      return parseAppraisal(head, args, today);
    case '汇总':
      return parseSummary(args);
    case '部署':
      return parseCampaign(args, today);
    case '设置':
      return parseSettings(args);
    case '报告':
    case '通报':
      return parseDraft(head, args);
    case '归档':
      return parseArchive(args);
    case '稍后':
      return parseSnooze(args);
    case '提醒':
      return parseRemind(args);
    default:
      return invalid('command.unknown', { typed: `/${head}`, nearest: nearestCommand(head) });
  }
}

function parseUnit(args: string[]): Command | ParseError {
  if (args[0] === '改绑' && args.length >= 2) return { kind: 'unit.set', name: args.slice(1).join(' '), rebind: true };
  if (args[0] !== '设置' || args.length < 2) return usage('单位');
  const rest = args.slice(1);
  const p = rest.findIndex((t) => PARENT_WORDS.includes(t));
  if (p === -1) return { kind: 'unit.set', name: rest.join(' ') };
  const name = rest.slice(0, p).join(' ');
  const parent = rest.slice(p + 1).join(' ');
  if (!name || !parent) return usage('单位');
  return { kind: 'unit.set', name, parent };
}

function parseMember(args: string[]): Command | ParseError {
  const [sub, ...rest] = args;
  const { refs, rest: words } = splitMentions(rest);
  switch (sub) {
    case '添加': {
      if (refs.length === 0) {
        // `/成员 添加 小王 党员`: the name without its @ (the role may be written as two words).
        const k = [2, 1].find((n) => words.length > n && Object.hasOwn(ROLE_WORDS, words.slice(-n).join('')));
        if (k === undefined) return usage('成员');
        return invalid('member.mentionNeeded', { example: `/成员 添加 ${words.slice(0, -k).map((w) => `@${w}`).join(' ')} ${words.slice(-k).join('')}` });
      }
      const roleWord = words.join('');
      const role = Object.hasOwn(ROLE_WORDS, roleWord) ? ROLE_WORDS[roleWord] : undefined;
      if (!role) return invalid('member.unknownRole', { typed: roleWord });
      return { kind: 'member.add', who: refs, role };
    }
    case '移除':
    case '删除':
      if (refs.length === 0 && words.length > 0) {
        // A role named after the names (`/成员 移除 张三 班子成员`) stays a word.
        const k = [2, 1].find((n) => words.length > n && Object.hasOwn(ROLE_WORDS, words.slice(-n).join(''))) ?? 0;
        const names = words.slice(0, words.length - k).map((w) => `@${w}`);
        return invalid('member.mentionNeeded', { example: [`/成员 ${sub}`, ...names, ...(k ? [words.slice(-k).join('')] : [])].join(' ') });
      }
      if (refs.length && words.length === 0) return { kind: 'member.remove', who: refs };
      // `/成员 移除 @吴预备 预备党员`: that role only (the person stays with the others).
      if (refs.length && Object.hasOwn(ROLE_WORDS, words.join(''))) return { kind: 'member.remove', who: refs, role: ROLE_WORDS[words.join('')]! };
      return usage('成员');
    case '列表':
    case undefined:
      return { kind: 'member.list' };
    case '确认': {
      if (refs.length === 1 && words.length === 0) return { kind: 'member.confirm', who: refs[0]! };
      if (refs.length === 0 && words.length === 1) return { kind: 'member.confirm', who: { name: words[0]! } };
      return usage('成员');
    }
    default:
      return usage('成员');
  }
}

function parseMeeting(args: string[], today: LocalDate): Command | ParseError {
  const [sub, ...rest] = args;
  switch (sub) {
    case '新建':
    case '创建': {
      const [kindWord, dateWord, ...topic] = rest;
      const meetingKind = kindWord && Object.hasOwn(KIND_WORDS, kindWord) ? KIND_WORDS[kindWord] : undefined;
      if (!meetingKind || !dateWord) return usage('会议');
      const d = readDate(dateWord, today, '会议');
      if ('error' in d) return d.error;
      const t = topic.join(' ').trim();
      return t ? { kind: 'meeting.create', meetingKind, date: d.date, topic: t } : { kind: 'meeting.create', meetingKind, date: d.date };
    }
    case '改期': {
      const [dateWord, ...reason] = rest;
      if (!dateWord) return usage('会议');
      const d = readDate(dateWord, today, '会议');
      if ('error' in d) return d.error;
      const r = reason.join(' ').trim();
      return r ? { kind: 'meeting.reschedule', date: d.date, reason: r } : { kind: 'meeting.reschedule', date: d.date };
    }
    case '取消': {
      const r = rest.join(' ').trim();
      return r ? { kind: 'meeting.cancel', reason: r } : { kind: 'meeting.cancel' };
    }
    case '召开':
    case '已召开': {
      if (rest.length === 0) return { kind: 'meeting.hold' };
      // Recorded late: the day it was held.
      if (rest.length > 1 || !looksLikeDate(rest[0]!)) return usage('会议');
      const d = readPastDate(rest[0]!, today, '会议');
      return 'error' in d ? d.error : { kind: 'meeting.hold', date: d.date };
    }
    case '主题': {
      const t = rest.join(' ').trim();
      return t ? { kind: 'meeting.topic', topic: t } : usage('会议');
    }
    default:
      return usage('会议');
  }
}

function parseStepDone(args: string[]): Command | ParseError {
  const [typed, ...note] = args;
  if (!typed) return usage('完成');
  // `/完成 撤销 方案`: a step recorded by mistake is open again.
  if (typed === '撤销' || typed === '取消') {
    const word = note.join('');
    const undo = STEP_BY_WORD.get(word);
    if (!word) return usage('完成');
    return undo ? { kind: 'step.undo', step: undo } : invalid('step.unknown', { typed: word });
  }
  // `/完成 方案。`, `/完成 方案，已报送`: punctuation typed after the step word ends it.
  const [word = '', glued = ''] = typed.split(/[，,。；;、！!]+(.*)/su);
  if (glued) note.unshift(glued);
  const step = STEP_BY_WORD.get(word);
  if (!step) return invalid('step.unknown', { typed: word || typed });
  const n = note.join(' ').trim();
  return n ? { kind: 'step.done', step, note: n } : { kind: 'step.done', step };
}

function parseTalk(args: string[], today: LocalDate): Command | ParseError {
  if (args[0] === '情况' || args[0] === '统计') return args.length === 1 ? { kind: 'talk.status' } : usage('谈心');
  const { refs, rest } = splitMentions(args);
  if (refs.length === 0) return usage('谈心');
  let date: LocalDate | undefined;
  let mode: TalkMode = 'in_person';
  const words = [...rest];
  // The date and the way, in either order (`/谈心 @张三 电话 11月30日`), before the note.
  let modeRead = false;
  while (words[0]) {
    if (!date && looksLikeDate(words[0])) {
      const d = readPastDate(words[0], today, '谈心');
      if ('error' in d) return d.error;
      if (d.date > today) return invalid('talk.dateInFuture', { date: d.date, name: refs[0]!.name });
      date = d.date;
    } else if (!modeRead && Object.hasOwn(TALK_MODE_WORDS, words[0])) {
      mode = TALK_MODE_WORDS[words[0]]!;
      modeRead = true;
    } else break;
    words.shift();
  }
  const note = words.join(' ').trim();
  const cmd: Command = { kind: 'talk.log', with: refs, mode };
  if (date) cmd.date = date;
  if (note) cmd.note = note;
  return cmd;
}

function parseOutline(args: string[]): Command | ParseError {
  const [sub, ...rest] = args;
  const { refs, rest: words } = splitMentions(rest);
  switch (sub) {
    case '提交':
      if (words.length || refs.length > 1) return usage('提纲');
      return refs[0] ? { kind: 'outline.submit', who: refs[0] } : { kind: 'outline.submit' };
    case '审核':
      return refs.length === 1 && words.length === 0 ? { kind: 'outline.review', who: refs[0]! } : usage('提纲');
    case '情况':
    case undefined:
      return { kind: 'outline.status' };
    default:
      return usage('提纲');
  }
}

function readItemNo(token: string | undefined): number | ParseError {
  if (!token) return usage('整改');
  const t = token.replace(/^[#＃第号]+/, '').replace(/[号项条]$/, '');
  if (!/^\d{1,6}$/.test(t)) return invalid('rectify.itemNoNotNumber', { typed: token });
  return Number(t);
}

/** Words typed before a date meant as a deadline without “截止” (`… 到 2027-01-31`). */
const LOOSE_DEADLINE_WORDS = ['到', '于', '在'];

function parseRectify(args: string[], today: LocalDate): Command | ParseError {
  const [sub, ...rest] = args;
  switch (sub) {
    case '新增':
    case '添加': {
      const { refs: named, rest: words } = splitMentions(rest);
      // An owner named twice is one owner.
      const refs = named.filter((r, i) => named.findIndex((q) => q.name === r.name) === i);
      if (refs.length === 0) return usage('整改');
      let deadline: LocalDate | undefined;
      let itemKind: keyof typeof ITEM_KIND_WORDS | undefined;
      let leadUnit: string | undefined;
      const content: string[] = [];
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!;
        const glued = DEADLINE_WORDS.find((d) => w.startsWith(d) && w.length > d.length && looksLikeDate(w.slice(d.length)));
        if (DEADLINE_WORDS.includes(w) || glued) {
          const dateWord = glued ? w.slice(glued.length) : words[++i];
          if (!dateWord) return invalid('rectify.deadlineMissing', { example: addDays(today, 30) });
          const d = readDate(dateWord, today, '整改');
          if ('error' in d) return d.error;
          deadline = d.date;
        } else if (Object.hasOwn(ITEM_KIND_WORDS, w)) itemKind = w;
        else if (LEAD_UNIT_WORDS.includes(w)) leadUnit = words[++i];
        else content.push(w);
      }
      // `/整改 新增 @李四 完善制度 2027-01-31` (or `… 到 2027-01-31`): a date without “截止” is asked about, not filed as content.
      const loose = deadline ? -1 : content.findIndex((w) => looksLikeDate(w) && parseDate(w, today).ok);
      if (loose >= 0) {
        const rest = content.filter((_, i) => i !== loose && !(i === loose - 1 && LOOSE_DEADLINE_WORDS.includes(content[i]!)));
        const example = ['/整改 新增', ...refs.map((r) => `@${r.name}`), ...rest, '截止', content[loose]!].join(' ');
        return invalid('rectify.dateWithoutDeadline', { typed: content[loose]!, example });
      }
      const text = content.join(' ').trim();
      if (!text) return invalid('rectify.contentRequired', {});
      const kind = itemKind ? ITEM_KIND_WORDS[itemKind]! : deadline ? 'fixed' : 'immediate';
      // 需协调 items name the unit that leads the work (domain.md: lead unit and responsible person).
      if (kind === 'coordinate' && !leadUnit) {
        return invalid('rectify.leadUnitRequired', { example: ['/整改 新增', ...refs.map((r) => `@${r.name}`), text, '需协调 牵头 <牵头单位>', '截止', deadline ?? addDays(today, 30)].join(' ') });
      }
      const cmd: Command = { kind: 'rectify.add', owners: refs, content: text, itemKind: kind };
      if (deadline) cmd.deadline = deadline;
      if (leadUnit) cmd.leadUnit = leadUnit;
      return cmd;
    }
    case '完成': {
      const no = readItemNo(rest[0]);
      if (typeof no !== 'number') return no;
      const note = rest.slice(1).join(' ').trim();
      if (!note) return invalid('rectify.noteRequired', { no });
      return { kind: 'rectify.complete', no, note };
    }
    case '延期': {
      const no = readItemNo(rest[0]);
      if (typeof no !== 'number') return no;
      if (!rest[1]) return usage('整改');
      const d = readDate(rest[1], today, '整改');
      if ('error' in d) return d.error;
      const reason = rest.slice(2).join(' ').trim();
      if (!reason) return invalid('rectify.reasonRequired', { no });
      return { kind: 'rectify.extend', no, date: d.date, reason };
    }
    case '核实':
    case '查看': {
      const no = readItemNo(rest[0]);
      if (typeof no !== 'number') return no;
      if (rest.length > 1) return usage('整改');
      return sub === '核实' ? { kind: 'rectify.verify', no } : { kind: 'rectify.show', no };
    }
    case '列表':
    case undefined:
      return { kind: 'rectify.list' };
    case '我的':
      return { kind: 'rectify.list', mine: true };
    case '逾期':
      return { kind: 'rectify.overdue' };
    default:
      return usage('整改');
  }
}

function parseSnooze(args: string[]): Command | ParseError {
  if (args.length === 0) return { kind: 'snooze' };
  const nos: number[] = [];
  for (const a of args) {
    const no = readItemNo(a);
    if (typeof no !== 'number') return usage('稍后');
    if (!nos.includes(no)) nos.push(no);
  }
  // Several numbers (a reminder card's 明天再提醒): the ones addressed to the sender are moved.
  return nos.length === 1 ? { kind: 'snooze', no: nos[0]! } : { kind: 'snooze', no: nos[0]!, nos };
}

function readCount(token: string | undefined, max: number): number | undefined {
  if (!token || !/^\d{1,3}$/.test(token.replace(/[点时天:：]00?$|[点时天]$/, ''))) return undefined;
  const n = Number(token.replace(/[点时天:：]00?$|[点时天]$/, ''));
  return n <= max ? n : undefined;
}

function parseRemind(args: string[]): Command | ParseError {
  const [sub, a, b] = args;
  switch (sub) {
    case undefined:
    case '设置':
      return { kind: 'remind.show' };
    case '时间': {
      const hour = readCount(a, 23);
      return hour === undefined || args.length !== 2 ? invalid('remind.badHour', { typed: args.slice(1).join(' ') }) : { kind: 'remind.set', hour };
    }
    case '提前': {
      const days = readCount(a, 30);
      return days === undefined || args.length !== 2 ? invalid('remind.badBefore', { typed: args.slice(1).join(' ') }) : { kind: 'remind.set', daysBefore: days };
    }
    case '升级': {
      const n = readCount(a, 60);
      const m = readCount(b, 120);
      if (n === undefined || m === undefined || args.length !== 3 || n < 1) return invalid('remind.badEscalate', { typed: args.slice(1).join(' ') });
      if (m <= n) return invalid('remind.escalateOrder', {});
      return { kind: 'remind.set', escalate: [n, m] };
    }
    default:
      return usage('提醒');
  }
}
