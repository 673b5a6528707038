import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type LocalDate } from '../../src/domain/dates.js';
import { aBranch, GROUP, LI, OP, SEC, SUP_GROUP, UNIT, ZHANG, ZHAO } from './fixtures.js';
import {
  daysFrom, describeSent, isWorkday, nextWorkday, startWorld, workdayOnOrBefore, workdaysAfter, workdaysBefore, type World,
} from './harness.js';

/**
 * One unit's year, 2025-12-01 → 2026-11-30: a 民主生活会 on Mon 2025-12-29, steps done late,
 * rectification items after the meeting across 元旦, 春节, 中秋 and 国庆, one snoozed, one extended
 * while overdue. The scheduler ticks at 09:00 and 15:00 every day; commands happen in between.
 * The expected reminders are derived below from the rules (domain.md § Time) and the calendar
 * fixture, not from the scheduler's output.
 */
const START: LocalDate = '2025-12-01';
const END: LocalDate = '2026-11-30';
const D: LocalDate = '2025-12-29';
const TICKS = ['09:00', '15:00'];
const DAYS_BEFORE = 3;
const ESCALATE_PRINCIPAL = 3;
const ESCALATE_SUPERVISOR = 10;

/** 'YYYY-MM-DD HH:MM', Asia/Shanghai. */
type Stamp = string;

interface Action {
  at: Stamp;
  who: string;
  chat?: string;
  text: string;
  reply: string;
}

interface Subject {
  what: string;
  due: LocalDate;
  who: string[];
  /** Open from (inclusive) … until (exclusive), as stamps. */
  open: Stamp;
  close?: Stamp;
  item?: boolean;
  snoozes?: Array<{ at: Stamp; who: string }>;
}

const item = (no: number, content: string) => `整改第${no}号「${content}」`;

// ── The script ──────────────────────────────────────────────────────────────────────────────
const SETUP: Stamp = `${START} 09:30`;
const HELD: Stamp = `${D} 16:00`;
const ITEMS_ADDED: Stamp = '2025-12-30 10:00';

const actions: Action[] = [
  { at: SETUP, who: OP, text: `/会议 新建 民主生活会 ${D}`, reply: '已安排' },
  { at: '2025-12-05 10:00', who: ZHAO, text: '/提纲 提交', reply: '已登记' },
  { at: '2025-12-05 11:00', who: SEC, text: `/提纲 审核 @${ZHAO}`, reply: '审核通过' },
  { at: '2025-12-16 10:00', who: OP, text: '/完成 方案', reply: '已登记' },
  { at: '2025-12-19 11:00', who: OP, text: '/完成 通知', reply: '已登记' },
  { at: '2025-12-24 10:00', who: ZHANG, text: '/提纲 提交', reply: '已登记' },
  { at: '2025-12-26 10:00', who: SEC, text: `/提纲 审核 @${ZHANG}`, reply: '审核通过' },
  { at: HELD, who: OP, text: '/会议 召开', reply: '已记录' },
  { at: ITEMS_ADDED, who: OP, text: `/整改 新增 @${ZHANG} 立行立改 修订学习制度`, reply: '已新增第1号' },
  { at: ITEMS_ADDED, who: OP, text: `/整改 新增 @${ZHANG} @${ZHAO} 限期整改 规范三会一课记录 截止 2026-02-15`, reply: '已新增第2号' },
  { at: ITEMS_ADDED, who: OP, text: `/整改 新增 @${ZHAO} 限期整改 完善谈心谈话记录 截止 2026-06-30`, reply: '已新增第3号' },
  { at: ITEMS_ADDED, who: OP, text: `/整改 新增 @${ZHANG} 需协调 建设党员活动室 牵头 机关事务中心 截止 2026-09-30`, reply: '已新增第4号' },
  { at: '2026-01-08 10:00', who: ZHANG, text: '/整改 完成 1 已印发新制度', reply: '已完成' },
  { at: '2026-01-12 10:00', who: OP, text: '/完成 通报', reply: '已登记' },
  { at: '2026-01-15 10:00', who: OP, text: '/完成 报告', reply: '已登记' },
  { at: '2026-01-15 10:00', who: OP, text: '/完成 整改清单', reply: '已登记' },
  { at: '2026-03-09 10:00', who: ZHAO, text: '/整改 完成 2 已建立记录规范', reply: '已完成' },
  { at: '2026-03-20 10:00', who: ZHAO, text: '/整改 完成 3 已补齐记录', reply: '已完成' },
  { at: '2026-04-01 10:00', who: OP, text: `/整改 新增 @${ZHAO} 限期整改 整理会议档案 截止 2026-10-05`, reply: '已新增第5号' },
  { at: '2026-09-01 10:00', who: OP, text: `/整改 新增 @${ZHAO} 限期整改 更新党员信息 截止 2026-09-20`, reply: '已新增第6号' },
  { at: '2026-09-16 09:30', who: ZHAO, text: '/稍后', reply: '改到2026年9月17日' },
  { at: '2026-09-20 10:00', who: ZHAO, text: '/整改 完成 6 已更新', reply: '已完成' },
  { at: '2026-10-08 08:00', who: ZHAO, text: '/整改 完成 5 已整理归档', reply: '已完成' },
  { at: '2026-10-12 10:00', who: ZHANG, text: '/整改 延期 4 2026-11-20 需上级协调资金', reply: '延至' },
];

// ── What is owed, when, by whom (from the rules: plan D-15, notice D-10, outlines and meeting D,
//    report/inform/rectification list D+15; 立行立改 = 7 days after the day it is added once the meeting has passed) ──
const subjects: Subject[] = [
  { what: '方案', due: addDays(D, -15), who: [OP, SEC], open: SETUP, close: '2025-12-16 10:00' },
  { what: '通知', due: addDays(D, -10), who: [OP, SEC], open: SETUP, close: '2025-12-19 11:00' },
  { what: '提交发言提纲', due: D, who: [SEC], open: SETUP, close: HELD },
  { what: '提交发言提纲', due: D, who: [ZHANG], open: SETUP, close: '2025-12-24 10:00' },
  { what: '提交发言提纲', due: D, who: [ZHAO], open: SETUP, close: '2025-12-05 10:00' },
  { what: '审核发言提纲', due: D, who: [SEC], open: '2025-12-05 10:00', close: '2025-12-05 11:00' },
  { what: '审核发言提纲', due: D, who: [SEC], open: '2025-12-24 10:00', close: '2025-12-26 10:00' },
  { what: '召开会议', due: D, who: [OP, SEC], open: SETUP, close: HELD },
  { what: '报告', due: addDays(D, 15), who: [OP, SEC], open: SETUP, close: '2026-01-15 10:00' },
  { what: '通报', due: addDays(D, 15), who: [OP, SEC], open: SETUP, close: '2026-01-12 10:00' },
  { what: '整改清单', due: addDays(D, 15), who: [OP, SEC], open: SETUP, close: '2026-01-15 10:00' },
  { what: item(1, '修订学习制度'), due: addDays('2025-12-30', 7), who: [ZHANG], open: ITEMS_ADDED, close: '2026-01-08 10:00', item: true },
  { what: item(2, '规范三会一课记录'), due: '2026-02-15', who: [ZHANG, ZHAO], open: ITEMS_ADDED, close: '2026-03-09 10:00', item: true },
  { what: item(3, '完善谈心谈话记录'), due: '2026-06-30', who: [ZHAO], open: ITEMS_ADDED, close: '2026-03-20 10:00', item: true },
  { what: item(4, '建设党员活动室'), due: '2026-09-30', who: [ZHANG], open: ITEMS_ADDED, close: '2026-10-12 10:00', item: true },
  { what: item(4, '建设党员活动室'), due: '2026-11-20', who: [ZHANG], open: '2026-10-12 10:00', item: true },
  { what: item(5, '整理会议档案'), due: '2026-10-05', who: [ZHAO], open: '2026-04-01 10:00', close: '2026-10-08 08:00', item: true },
  {
    what: item(6, '更新党员信息'), due: '2026-09-20', who: [ZHAO], open: '2026-09-01 10:00', close: '2026-09-20 10:00', item: true,
    snoozes: [{ at: '2026-09-16 09:30', who: ZHAO }],
  },
];

const line = (day: LocalDate, chat: string, what: string, kind: string, who: string[]) => `${day} ${chat} ${what} ${kind} ${[...who].sort().join(' ')}`;

/** Every reminder line the rules call for, by the model: one pass over each subject's open days. */
function expectedLines(): string[] {
  const out: string[] = [];
  for (const s of subjects) {
    const onDue = workdayOnOrBefore(s.due);
    const before = workdaysBefore(onDue, DAYS_BEFORE);
    let toSupervisor = false;
    for (const day of daysFrom(s.open.slice(0, 10), END)) {
      if (!isWorkday(day)) continue;
      const tick = TICKS.map((t) => `${day} ${t}`).find((t) => t >= s.open && (s.close === undefined || t < s.close));
      if (!tick) continue;
      const kind = day > s.due ? 'overdue' : day === onDue ? 'due' : day === before ? 'before' : undefined;
      if (!kind) {
        const snoozed = (s.snoozes ?? []).filter((z) => nextWorkday(z.at.slice(0, 10)) === day && day <= s.due).map((z) => z.who);
        if (snoozed.length) out.push(line(day, GROUP, s.what, 'snoozed', snoozed));
        continue;
      }
      const late = kind === 'overdue' ? workdaysAfter(s.due, day) : 0;
      out.push(line(day, GROUP, s.what, kind, s.item && late >= ESCALATE_PRINCIPAL ? [...s.who, SEC] : s.who));
      if (s.item && late >= ESCALATE_SUPERVISOR && !toSupervisor) {
        toSupervisor = true;
        out.push(line(day, SUP_GROUP, s.what, 'supervisor', [LI])); // the owners are named, not @mentioned, in the supervisors' chat
      }
    }
  }
  return out;
}

/** Lines grouped by day (days ascending, lines sorted within a day). */
const byDay = (lines: readonly string[]): Array<[string, string[]]> => {
  const m = new Map<string, string[]>();
  for (const l of lines) m.set(l.slice(0, 10), [...(m.get(l.slice(0, 10)) ?? []), l]);
  return [...m].sort(([a], [b]) => a.localeCompare(b)).map(([d, ls]) => [d, ls.sort()]);
};

const HEADER_DATE = /（(\d{4})年(\d{1,2})月(\d{1,2})日）/;

describe('a simulated year of one unit', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ at: [START, 9] });
    w.at(START, 9, 10);
    await aBranch(w, { members: [ZHANG, ZHAO] });
    const events: Array<{ at: Stamp; run: () => Promise<unknown> }> = [
      ...actions.map((a) => ({ at: a.at, run: () => w.must(a.who, a.chat ?? GROUP, a.text, a.reply) })),
      ...daysFrom(START, END).flatMap((day) => TICKS.map((t) => ({ at: `${day} ${t}`, run: () => w.tick() }))),
    ];
    // Stable sort: at the same minute, commands come before the tick.
    events.sort((a, b) => a.at.localeCompare(b.at));
    for (const e of events) {
      const [day, hm] = e.at.split(' ') as [string, string];
      const [h, m] = hm.split(':').map(Number) as [number, number];
      w.at(day, h, m);
      await e.run();
    }
  }, 60_000);
  afterAll(async () => {
    await w.stop();
  });

  it('sends every expected reminder exactly once, on its day, and nothing else', async () => {
    const expected = expectedLines();
    // Spot checks of the model itself against hand-computed dates.
    expect(expected).toContain(line('2025-12-09', GROUP, '方案', 'before', [OP, SEC])); // D-15 = Sun 12-14 → Fri 12-12, −3 → Tue 12-09
    expect(expected).toContain(line('2025-12-31', GROUP, item(1, '修订学习制度'), 'before', [ZHANG])); // 01-06 −3: 01-05, Sun 01-04 (调休), 12-31
    expect(expected).toContain(line('2026-02-14', GROUP, item(2, '规范三会一课记录'), 'due', [ZHANG, ZHAO])); // Sat 02-14 is a working day
    expect(expected).toContain(line('2026-03-06', SUP_GROUP, item(2, '规范三会一课记录'), 'supervisor', [LI]));
    expect(expected).toContain(line('2026-09-20', GROUP, item(6, '更新党员信息'), 'due', [ZHAO])); // 调休 Sunday
    expect(expected).toContain(line('2026-09-17', GROUP, item(6, '更新党员信息'), 'snoozed', [ZHAO]));
    expect(expected.filter((l) => l.includes(item(5, '整理会议档案')))).toEqual([
      line('2026-09-24', GROUP, item(5, '整理会议档案'), 'before', [ZHAO]),
      line('2026-09-30', GROUP, item(5, '整理会议档案'), 'due', [ZHAO]),
    ]);
    // Counted by hand: 方案 4, 通知 2, 提纲 2+1, 审核 1, 召开 2, 报告 4, 整改清单 4, 通报 1, items 4+14+0+6+8+2+3.
    expect(expected).toHaveLength(58);

    const sent = (await describeSent(w));
    expect(byDay(sent)).toEqual(byDay(expected));
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('sends in order, on working days only, one merged message per chat and run, dated the day it is sent', () => {
    const sent = w.channel.sent;
    expect(sent.length).toBeGreaterThan(40);
    const days = sent.map((s) => s.day);
    expect(days).toEqual([...days].sort());
    expect(days.filter((d) => !isWorkday(d))).toEqual([]);
    const perRun = new Map<string, number>();
    for (const s of sent) {
      const k = `${s.at.toISOString()} ${s.target.kind === 'chat' ? s.target.chatId : s.target.name}`;
      perRun.set(k, (perRun.get(k) ?? 0) + 1);
    }
    expect([...perRun.values()].every((n) => n === 1)).toBe(true);
    for (const s of sent) {
      const m = HEADER_DATE.exec(s.message.text);
      if (s.target.kind === 'chat' && s.target.chatId === SUP_GROUP) {
        expect(s.message.text).toContain(`督办：${UNIT}`);
        continue;
      }
      expect(m && `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`).toBe(s.day);
    }
  });

  it('leaves nothing pending or failed in the outbox', async () => {
    expect((await w.rows("SELECT status, count(*) AS n FROM outbox GROUP BY status ORDER BY status"))).toEqual([
      { status: 'sent', n: w.channel.sent.length },
    ]);
  });
});
