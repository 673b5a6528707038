import { daysBetween, type LocalDate } from '../domain/dates.js';
import type { MeetingKind } from '../domain/types.js';
import { d, step } from './format.js';
import type { StepId } from '../domain/types.js';
import type { Card, CardButton } from '../messages.js';
import { STEP_WORDS } from '../commands/grammar.js';
import { cardText } from './cards.js';

type Empty = Record<string, never>;

const OBLIGATION_LABEL: Record<string, string> = {
  outline_review: '审核发言提纲',
  principal_outline_review: '审核主要负责人的发言提纲',
  statement: '提交书面发言',
  relay: '向缺席人转告会议情况',
  meeting: '召开会议',
  commitment: '提交整改承诺（/承诺 <内容>）',
};

export interface ReminderLine {
  no: number;
  kind: 'before' | 'due' | 'overdue' | 'snoozed' | 'supervisor';
  step: string;
  meetingKind?: MeetingKind | undefined;
  itemNo?: number | undefined;
  content?: string | undefined;
  due: LocalDate;
  today: LocalDate;
  /** `@姓名` of everyone addressed. */
  who: string[];
  overdueWorkdays?: number | undefined;
  /** The day `/稍后` would move it to, when it can be moved (not overdue, not past its deadline). */
  snoozeTo?: LocalDate | undefined;
  /** Named, not @mentioned: the owners of an item escalated to the supervisors' chat. */
  owners?: string[] | undefined;
}

function what(l: ReminderLine): string {
  if (l.step === 'item') return `整改第${l.itemNo}号「${l.content ?? ''}」`;
  return obligationName(l.step, l.meetingKind);
}

/** What an open obligation asks for, as reminders name it (a step, or the person-level tasks of one). */
export function obligationName(stepId: string, kind?: MeetingKind): string {
  if (stepId === 'outlines') return kind === 'org_life' ? '提交个人问题清单' : '提交发言提纲';
  return OBLIGATION_LABEL[stepId] ?? step(stepId as StepId, kind);
}

function when(l: ReminderLine): string {
  const days = daysBetween(l.today, l.due);
  if (days < 0) return `已逾期${-days}天（截止${d(l.due, l.today)}）${l.overdueWorkdays !== undefined ? `，逾期${l.overdueWorkdays}个工作日` : ''}`;
  if (days === 0) return `今天截止（${d(l.due, l.today)}）`;
  return `截止${d(l.due, l.today)}，还有${days}天`;
}

/** The command that records each kind of reminded work (steps without one here are recorded with /完成). */
const HOW_TO_RECORD: Record<string, string> = {
  item: '/整改 完成 <编号> <说明>',
  outlines: '/提纲 提交',
  outline_review: '/提纲 审核 @某人',
  principal_outline_review: '/提纲 审核 @主要负责人',
  statement: '/书面发言 提交',
  relay: '/转告 @缺席人',
  commitment: '/承诺 <内容>',
  grading: '/评定 @某人 <等次>',
  meeting: '/会议 召开',
};

export const reminderText = {
  header: (p: { unit: string; today: LocalDate }) => `⏰ ${p.unit} 待办提醒（${d(p.today)}）`,
  line: (l: ReminderLine) =>
    `${l.no}. ${what(l)}：${when(l)}${l.owners?.length ? `，责任人：${l.owners.join('、')}` : ''} ${l.who.join(' ')}${l.snoozeTo ? `（回复 /稍后 ${l.no} 改到${d(l.snoozeTo, l.today)}再提醒）` : ''}`,
  supervisorHeader: (p: { unit: string; days: number }) => `⚠️ 督办：${p.unit} 有整改事项逾期已满${p.days}个工作日`,
  supervisorHeaderMany: (p: { units: number; days: number }) => `⚠️ 督办：${p.units}个下级单位有整改事项逾期已满${p.days}个工作日`,
  unitTitle: (p: { unit: string }) => `【${p.unit}】`,
  /** How to record what the digest's lines ask for, each way once, in the order the lines need them. */
  footer: (p: { steps: readonly string[] }) => {
    const how = [...new Set(p.steps.map((s) => HOW_TO_RECORD[s] ?? '/完成 <环节>'))];
    return `完成后请登记：${how.join('；')}；查看全部：/进度`;
  },
};

/** Replies of /稍后 and /提醒 (merged into the catalogue). */
export const reminderCommands = {
  'remind.snoozed': (p: { nos: number[]; until: LocalDate }) => `好的，第${p.nos.join('、')}条提醒改到${d(p.until)}再提醒您。`,
  'remind.snoozeOverdue': (p: { no: number }) => `第${p.no}条已经逾期，不能推迟提醒。请尽快办理。`,
  'remind.snoozePastDeadline': (p: { no: number; due: LocalDate }) => `第${p.no}条今天（${d(p.due)}）截止，不能推迟到截止日之后。`,
  'remind.snoozeNotYours': (p: { no: number }) => `第${p.no}条提醒不是发给您的。`,
  'remind.snoozeUnknown': (p: { no: number }) => `没有第${p.no}条提醒。请看提醒消息里的编号，例如：/稍后 12`,
  'remind.snoozeNothing': (_: Empty) => '最近没有发给您的提醒。',
  'remind.settings': (p: { hour: number; daysBefore: number; principal: number; supervisor: number; unknownYears: number[] }) =>
    [
      '本单位提醒设置',
      `• 提醒时间：每个工作日 ${p.hour}:00`,
      `• 提前提醒：截止前${p.daysBefore}个工作日`,
      `• 整改逾期${p.principal}个工作日后同时提醒主要负责人，${p.supervisor}个工作日后报上级`,
      '修改：/提醒 时间 <0-23>，/提醒 提前 <天>，/提醒 升级 <天> <天>',
      ...(p.unknownYears.length
        ? [`注意：${p.unknownYears.map((y) => `${y}年`).join('、')}的节假日和调休安排还没有收录，暂按周一至周五（除元旦、劳动节、国庆）提醒。请管理员更新程序，或在 HOLIDAYS_FILE 中补充。`]
        : []),
    ].join('\n'),
  'remind.settingsSaved': (_: Empty) => '提醒设置已保存。',
  'remind.badHour': (p: { typed: string }) => `${p.typed ? `“${p.typed}”不是有效的小时。` : ''}请写一个 0 到 23 之间的整数，例如：/提醒 时间 9`,
  'remind.badBefore': (p: { typed: string }) => `${p.typed ? `“${p.typed}”不是有效的天数。` : ''}请写一个 0 到 30 之间的整数（0 = 不提前提醒），例如：/提醒 提前 3`,
  'remind.badEscalate': (p: { typed: string }) =>
    `${p.typed ? `“${p.typed}”不对。` : ''}请写两个整数：逾期几个工作日告知主要负责人（1–60）、几个工作日告知上级（比前一个大，最多 120），例如：/提醒 升级 3 10`,
  'remind.escalateOrder': (_: Empty) => '报上级的天数要大于提醒主要负责人的天数，例如：/提醒 升级 3 10',
};

/** The CLI preview (`shenghuohui remind --preview`). */
export const previewText = {
  none: (p: { date: LocalDate }) => `${p.date} 没有要发送的提醒。`,
  chat: (p: { channel: string; chat: string; at: string }) => `── ${p.at} · ${p.channel} · ${p.chat}`,
};

/** One line of a reminder message, as its card's buttons need it. */
export interface CardLine {
  no: number;
  step: string;
  itemNo?: number | undefined;
  /** `item:<id>` for an item, `meeting:<id>` for a meeting's step: a press on a settled one is answered, not run. */
  subject: string;
  /** The line can be moved to the next working day (what /稍后 allows). */
  snoozable: boolean;
}

/** Commands that record a step without naming anyone (others need @某人 or content and are typed). */
const RECORD_BY_BUTTON: Partial<Record<string, string>> = {
  outlines: '/提纲 提交',
  statement: '/书面发言 提交',
  meeting: '/会议 召开',
};
const NO_BUTTON = new Set(['outline_review', 'principal_outline_review', 'relay', 'commitment', 'grading']);

/** Buttons a card may carry (WeCom's button_interaction card shows at most 6). */
export const MAX_CARD_BUTTONS = 6;

/**
 * A reminder message's card: its lines, and the buttons that apply to everyone it addresses —
 * 明天再提醒 (/稍后 with the message's numbers: each presser moves their own), 已完成 per line
 * (the item's asks for its 说明), 查看 per item and the progress. Each press is checked against
 * the presser by the command it runs, as if they had typed it.
 */
export function reminderCard(p: { title: string; lines: string[]; items: CardLine[]; subject: string }): Card | undefined {
  const single = p.items.length === 1;
  const later: CardButton[] = [];
  const snoozable = p.items.filter((l) => l.snoozable).map((l) => l.no);
  if (snoozable.length) later.push({ label: cardText.later(), command: `/稍后 ${snoozable.join(' ')}` });
  // Items first: an item's owner is who a reminder most often addresses, and the card has room for 6.
  const done: CardButton[] = [];
  const stepDone: CardButton[] = [];
  const view: CardButton[] = [];
  let steps = false;
  for (const l of p.items) {
    if (l.step === 'item' && l.itemNo !== undefined) {
      done.push({ label: single ? cardText.done() : cardText.doneNo({ no: l.no }), command: `/整改 完成 ${l.itemNo}`, ask: cardText.askNote({ no: l.itemNo }), subject: l.subject, style: 'primary' });
      view.push({ label: single ? cardText.view() : cardText.viewNo({ no: l.no }), command: `/整改 查看 ${l.itemNo}`, subject: l.subject });
      continue;
    }
    steps = true;
    if (NO_BUTTON.has(l.step)) continue;
    const command = RECORD_BY_BUTTON[l.step] ?? (STEP_WORDS[l.step as StepId] ? `/完成 ${STEP_WORDS[l.step as StepId][0]}` : undefined);
    if (command) stepDone.push({ label: single ? cardText.done() : cardText.doneNo({ no: l.no }), command, subject: l.subject, style: 'primary' });
  }
  if (steps) view.push({ label: single ? cardText.view() : cardText.progress(), command: '/进度' });
  const buttons = [...later, ...done, ...stepDone, ...view].slice(0, MAX_CARD_BUTTONS);
  return buttons.length ? { subject: p.subject, title: p.title, lines: p.lines, buttons } : undefined;
}
