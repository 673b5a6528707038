import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/dates.js';
import { createWorkCalendar } from '../../src/scheduler/calendar.js';
import { dueReminders, type WorkRow } from '../../src/scheduler/due.js';
import { aBranch, aHeldMeeting, GROUP, LI, OP, SEC, SUP_GROUP, timeline, UNIT, who, ZHANG, ZHAO } from './fixtures.js';
import {
  daysFrom, HOLIDAYS, isWorkday, MAKEUP_WORKDAYS, nextWorkday, sentLines, startWorld, tickDays, workdayOnOrBefore,
  workdaysAfter, workdaysBefore, type World,
} from './harness.js';

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const SAT = 6, SUN = 0;

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function start(day: string, hour = 9, env?: Record<string, string>): Promise<World> {
  world = await startWorld({ at: [day, hour], ...(env ? { env } : {}) });
  return world;
}

/** Days on which anything at all was sent. */
const sendDays = (w: World) => [...new Set(w.channel.sent.map((s) => s.day))];

describe('calendar facts the expectations rely on', () => {
  it('the test fixture agrees with chinese-days for every day of 2025 and 2026', () => {
    const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
    const inYears = (o: Record<string, string>) => Object.keys(o).filter((d) => d.startsWith('2025') || d.startsWith('2026')).sort();
    expect(inYears(data.holidays)).toEqual([...HOLIDAYS].filter((d) => !d.startsWith('2027')).sort());
    expect(inYears(data.workdays)).toEqual([...MAKEUP_WORKDAYS].sort());
    const cal = createWorkCalendar();
    const disagree = daysFrom('2025-01-01', '2027-01-10').filter((d) => cal.isWorkday(d) !== isWorkday(d));
    expect(disagree).toEqual([]);
  });
});

describe('advance and due-day reminders around weekends', () => {
  // D-15 = 2026-12-12 (Sat) for D = 12-27; 2026-12-13 (Sun) for D = 12-28 (the console example).
  it.each([
    ['2026-12-27', '2026-12-12', SAT],
    ['2026-12-28', '2026-12-13', SUN],
  ])('meeting %s: plan due %s (weekend) → due-day reminder on Friday, advance 3 working days before that', async (meeting, planDue, wd) => {
    const w = await start('2026-11-30');
    await aBranch(w);
    await w.must(OP, GROUP, `/会议 新建 民主生活会 ${meeting}`, '已安排');
    expect(weekday(planDue)).toBe(wd);
    const onDue = workdayOnOrBefore(planDue);
    const before = workdaysBefore(onDue, 3);
    expect([onDue, before]).toEqual(['2026-12-11', '2026-12-08']); // Friday; Tuesday
    await tickDays(w, '2026-11-30', '2026-12-15');
    expect((await timeline(w, '方案'))).toEqual([
      `2026-12-08 before ${who(OP, SEC)}`,
      `2026-12-11 due ${who(OP, SEC)}`,
      `2026-12-14 overdue ${who(OP, SEC)}`,
      `2026-12-15 overdue ${who(OP, SEC)}`,
    ]);
    expect(sendDays(w).every(isWorkday)).toBe(true);
  });

  it('/提醒 提前 1 with a Saturday deadline still gives an advance reminder (Thursday) besides the Friday one', async () => {
    const w = await start('2026-11-30');
    await aBranch(w);
    await w.must(OP, GROUP, '/提醒 提前 1', '已保存');
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-27', '已安排');
    await tickDays(w, '2026-11-30', '2026-12-11');
    expect((await timeline(w, '方案'))).toEqual([`2026-12-10 before ${who(OP, SEC)}`, `2026-12-11 due ${who(OP, SEC)}`]);
  });

  it('a deadline on a weekday: advance 3 working days before it, due-day on it', async () => {
    const w = await start('2026-11-30');
    await aBranch(w);
    // D-10 = 2026-12-18 (Fri): advance Tue 12-15, due Fri 12-18.
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    await tickDays(w, '2026-11-30', '2026-12-21');
    expect((await timeline(w, '通知'))).toEqual([
      `2026-12-15 before ${who(OP, SEC)}`,
      `2026-12-18 due ${who(OP, SEC)}`,
      `2026-12-21 overdue ${who(OP, SEC)}`,
    ]);
  });
});

describe('deadlines in and around public holidays', () => {
  it('plan due 2026-10-05 (国庆): due-day reminder on 09-30, nothing during the holiday, overdue from 10-08 incl. the 调休 Saturday 10-10', async () => {
    const w = await start('2026-09-01');
    await aBranch(w);
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-10-20', '已安排');
    expect(isWorkday('2026-10-05')).toBe(false);
    expect(workdayOnOrBefore('2026-10-05')).toBe('2026-09-30');
    // 09-25 (中秋), 09-26/27 (weekend) are not working days: 3 working days before 09-30 is 09-24.
    expect(workdaysBefore('2026-09-30', 3)).toBe('2026-09-24');
    await tickDays(w, '2026-09-01', '2026-10-13');
    expect((await timeline(w, '方案'))).toEqual([
      `2026-09-24 before ${who(OP, SEC)}`,
      `2026-09-30 due ${who(OP, SEC)}`,
      `2026-10-08 overdue ${who(OP, SEC)}`,
      `2026-10-09 overdue ${who(OP, SEC)}`,
      `2026-10-10 overdue ${who(OP, SEC)}`,
      `2026-10-12 overdue ${who(OP, SEC)}`,
      `2026-10-13 overdue ${who(OP, SEC)}`,
    ]);
    // Notice D-10 = 10-10, a 调休 Saturday that is a working day: reminded on that Saturday.
    expect((await timeline(w, '通知'))).toEqual([
      `2026-09-30 before ${who(OP, SEC)}`,
      `2026-10-10 due ${who(OP, SEC)}`,
      `2026-10-12 overdue ${who(OP, SEC)}`,
      `2026-10-13 overdue ${who(OP, SEC)}`,
    ]);
    const days = sendDays(w);
    expect(days.filter((d) => !isWorkday(d))).toEqual([]);
    expect(days).toEqual(['2026-09-24', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12', '2026-10-13']);
  });

  it('notice due on Sunday 2026-09-20 (调休 working day): reminded on that Sunday; done the next day stops it', async () => {
    const w = await start('2026-09-01');
    await aBranch(w);
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-09-30', '已安排');
    expect([weekday('2026-09-20'), isWorkday('2026-09-20')]).toEqual([SUN, true]);
    await tickDays(w, '2026-09-01', '2026-09-15');
    w.at('2026-09-16', 10);
    await w.must(OP, GROUP, '/完成 方案', '已登记');
    await tickDays(w, '2026-09-16', '2026-09-20');
    await tickDays(w, '2026-09-21', '2026-09-21', [9]);
    w.at('2026-09-21', 10);
    await w.must(OP, GROUP, '/完成 通知', '已登记');
    await tickDays(w, '2026-09-21', '2026-09-25');
    expect((await timeline(w, '通知'))).toEqual([
      `2026-09-16 before ${who(OP, SEC)}`,
      `2026-09-20 due ${who(OP, SEC)}`,
      `2026-09-21 overdue ${who(OP, SEC)}`,
    ]);
    expect((await timeline(w, '方案'))).toEqual([
      `2026-09-10 before ${who(OP, SEC)}`,
      `2026-09-15 due ${who(OP, SEC)}`,
    ]);
  });
});

describe("the unit's reminder hour", () => {
  it('nothing before 09:00 (default), sent at 09:00; /提醒 时间 10 moves one unit to 10:00 and leaves another at 09:00', async () => {
    const w = await start('2026-11-30');
    await aBranch(w);
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    await w.must('二支联络员', '二支部群', '/单位 设置 第二支部', '本群已绑定');
    await w.must('二支联络员', '二支部群', '/成员 添加 @孙书记 主要负责人', '已把');
    await w.must('二支联络员', '二支部群', '/会议 新建 民主生活会 2026-12-28', '已安排');

    w.at('2026-12-08', 8, 59);
    await w.tick();
    expect(w.channel.sent).toEqual([]);
    w.at('2026-12-08', 9, 0);
    await w.tick();
    expect(w.channel.sent.map((s) => s.target.kind === 'chat' && s.target.chatId).sort()).toEqual(['二支部群', GROUP].sort());

    await w.must(OP, GROUP, '/提醒 时间 10', '已保存');
    const before = w.channel.sent.length;
    for (const [h, m] of [[8, 0], [9, 0], [9, 59]] as const) {
      w.at('2026-12-11', h, m);
      await w.tick();
    }
    const at9 = w.channel.sent.slice(before);
    expect(at9.map((s) => s.target.kind === 'chat' && s.target.chatId)).toEqual(['二支部群']);
    expect(at9[0]!.at.toISOString()).toBe('2026-12-11T01:00:00.000Z'); // 09:00 Asia/Shanghai
    w.at('2026-12-11', 10, 0);
    await w.tick();
    const at10 = w.channel.sent.slice(before + 1);
    expect(at10.map((s) => s.target.kind === 'chat' && s.target.chatId)).toEqual([GROUP]);
    expect((await timeline(w, '方案'))).toEqual([`2026-12-08 before ${who(OP, SEC)}`, `2026-12-11 due ${who(OP, SEC)}`]);
  });
});

describe('changes to the meeting re-plan its reminders at once', () => {
  it('reschedule with a reminder still pending: the pending one is dropped, the new dates are reminded, the old never', async () => {
    const w = await start('2026-11-30');
    await aBranch(w);
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    await tickDays(w, '2026-11-30', '2026-12-07');
    // 12-08 09:00: the advance reminder of the plan is written but the platform is busy.
    w.channel.next({ ok: false, error: 'busy', retryAfterMs: 3_600_000 });
    w.at('2026-12-08', 9);
    await w.tick();
    expect((await w.rows('SELECT status FROM outbox'))).toEqual([{ status: 'pending' }]);
    w.at('2026-12-08', 9, 30);
    // D = 2027-01-11: plan due 2026-12-27 (Sun) → Fri 12-25, advance Tue 12-22; notice due 2027-01-01 (元旦) → Thu 12-31, advance Mon 12-28.
    await w.must(OP, GROUP, '/会议 改期 2027-01-11 上级安排调整', '改到');
    expect((await w.rows('SELECT status FROM outbox'))).toEqual([{ status: 'dropped' }]);
    await tickDays(w, '2026-12-08', '2027-01-05');
    expect((await timeline(w, '方案'))).toEqual([
      `2026-12-22 before ${who(OP, SEC)}`,
      `2026-12-25 due ${who(OP, SEC)}`,
      `2026-12-28 overdue ${who(OP, SEC)}`,
      `2026-12-29 overdue ${who(OP, SEC)}`,
      `2026-12-30 overdue ${who(OP, SEC)}`,
      `2026-12-31 overdue ${who(OP, SEC)}`,
      `2027-01-04 overdue ${who(OP, SEC)}`,
      `2027-01-05 overdue ${who(OP, SEC)}`,
    ]);
    expect((await timeline(w, '通知'))).toEqual([
      `2026-12-28 before ${who(OP, SEC)}`,
      `2026-12-31 due ${who(OP, SEC)}`,
      `2027-01-04 overdue ${who(OP, SEC)}`,
      `2027-01-05 overdue ${who(OP, SEC)}`,
    ]);
    expect(w.channel.attempts.filter((a) => a.message.text.includes('截止12月13日'))).toHaveLength(1); // the failed one only
  });

  it('reschedule drops the pending reminder in every chat of the unit, not only the first', async () => {
    const w = await start('2026-11-30');
    await aBranch(w);
    await w.must(OP, '支部委员群', `/单位 设置 ${UNIT}`, '本群已绑定');
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    w.channel.otherwise = { ok: false, error: 'busy', retryAfterMs: 3_600_000 };
    w.at('2026-12-08', 9);
    await w.tick();
    expect((await w.rows('SELECT target_id, status FROM outbox ORDER BY id'))).toEqual([
      { target_id: GROUP, status: 'pending' },
      { target_id: '支部委员群', status: 'pending' },
    ]);
    w.at('2026-12-08', 9, 30);
    await w.must(OP, GROUP, '/会议 改期 2027-01-11', '改到');
    expect((await w.rows('SELECT target_id, status FROM outbox ORDER BY id'))).toEqual([
      { target_id: GROUP, status: 'dropped' },
      { target_id: '支部委员群', status: 'dropped' },
    ]);
    w.channel.otherwise = { ok: true };
    await tickDays(w, '2026-12-08', '2026-12-21');
    expect(w.channel.sent).toEqual([]);
  });

  it('reschedule after one chat got the reminder and another did not: the unsent copy is dropped, the sent one not repeated', async () => {
    const w = await start('2026-11-30');
    await aBranch(w);
    await w.must(OP, '支部委员群', `/单位 设置 ${UNIT}`, '本群已绑定');
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    w.channel.behaviourFor = (t) => (t.kind === 'chat' && t.chatId === '支部委员群' ? { ok: false, error: 'busy' } : undefined);
    w.at('2026-12-08', 9);
    await w.tick();
    w.at('2026-12-08', 9, 30);
    await w.must(OP, GROUP, '/会议 改期 2027-01-11', '改到');
    expect((await w.rows('SELECT target_id, status FROM outbox ORDER BY id'))).toEqual([
      { target_id: GROUP, status: 'sent' },
      { target_id: '支部委员群', status: 'dropped' },
    ]);
    w.channel.behaviourFor = undefined;
    await tickDays(w, '2026-12-08', '2026-12-21');
    expect((await timeline(w, '方案'))).toEqual([`2026-12-08 before ${who(OP, SEC)}`]);
    expect((await timeline(w, '方案', '支部委员群'))).toEqual([]);
  });

  it('reschedule re-plans at once: a new date whose reminders fall today goes out at the next run the same day', async () => {
    const w = await start('2026-11-30');
    await aBranch(w);
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    await tickDays(w, '2026-11-30', '2026-12-08', [9]);
    expect((await timeline(w, '方案'))).toEqual([`2026-12-08 before ${who(OP, SEC)}`]);
    // D = 12-23: plan due today (Tue 12-08); notice due Sun 12-13 → due-day Fri 12-11, advance today.
    w.at('2026-12-08', 10);
    await w.must(OP, GROUP, '/会议 改期 2026-12-23', '改到');
    w.at('2026-12-08', 15);
    await w.tick();
    expect((await timeline(w, '方案'))).toEqual([`2026-12-08 before ${who(OP, SEC)}`, `2026-12-08 due ${who(OP, SEC)}`]);
    expect((await timeline(w, '通知'))).toEqual([`2026-12-08 before ${who(OP, SEC)}`]);
  });

  it('cancel: unsent reminders are dropped and nothing more is sent', async () => {
    const w = await start('2026-11-30');
    await aBranch(w);
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    await tickDays(w, '2026-11-30', '2026-12-10');
    expect((await timeline(w, '方案'))).toEqual([`2026-12-08 before ${who(OP, SEC)}`]);
    w.channel.next({ ok: false, error: 'timeout' });
    w.at('2026-12-11', 9);
    await w.tick();
    w.at('2026-12-11', 9, 10);
    await w.must(OP, GROUP, '/会议 取消 上级通知暂缓', '已取消');
    expect((await w.rows<{ status: string }>('SELECT status FROM outbox ORDER BY id')).map((r) => r.status)).toEqual(['sent', 'dropped']);
    expect((await w.rows('SELECT * FROM obligation'))).toEqual([]);
    await tickDays(w, '2026-12-11', '2027-01-20');
    expect(w.channel.sent).toHaveLength(1);
    expect((await w.rows<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE status = 'pending'"))[0]!.n).toBe(0);
  });
});

describe('rectification items', () => {
  it('extended while overdue: the overdue reminders stop the same day, the new deadline is reminded, overdue counts restart', async () => {
    const w = await start('2026-10-12');
    await aBranch(w);
    await aHeldMeeting(w, '2026-10-12');
    await w.must(OP, GROUP, `/整改 新增 @${ZHANG} 限期整改 修订学习制度 截止 2026-10-20`, '已新增第1号');
    await tickDays(w, '2026-10-12', '2026-10-22', [9]);
    // Overdue reminders of 10-21 and 10-22 went out; on 10-22 the 09:00 one is pending when extended.
    w.channel.next({ ok: false, error: 'busy' });
    w.at('2026-10-23', 9);
    await w.tick();
    w.at('2026-10-23', 9, 30);
    await w.must(ZHANG, GROUP, '/整改 延期 1 2026-11-06 需要上级批复', '延至');
    await tickDays(w, '2026-10-23', '2026-11-12');
    const item = '整改第1号「修订学习制度」';
    expect((await timeline(w, item))).toEqual([
      `2026-10-15 before ${ZHANG}`,
      `2026-10-20 due ${ZHANG}`,
      `2026-10-21 overdue ${ZHANG}`,
      `2026-10-22 overdue ${ZHANG}`,
      // 10-23: the failed send was dropped by the extension.
      `2026-11-03 before ${ZHANG}`,
      `2026-11-06 due ${ZHANG}`,
      `2026-11-09 overdue ${ZHANG}`,
      `2026-11-10 overdue ${ZHANG}`,
      `2026-11-11 overdue ${who(SEC, ZHANG)}`,
      `2026-11-12 overdue ${who(SEC, ZHANG)}`,
    ]);
    const overdue = sentLines(w.channel.sent).filter((l) => l.what === item && l.text.includes('逾期'));
    expect(overdue.map((l) => /逾期(\d+)个工作日/.exec(l.text)?.[1])).toEqual(['1', '2', '1', '2', '3', '4']);
  });

  it('escalates to the principal on the 3rd working day overdue and once to the supervisor chat on the 10th', async () => {
    const w = await start('2026-10-26');
    await aBranch(w, { members: [ZHANG, ZHAO] });
    await aHeldMeeting(w, '2026-10-26');
    await w.must(OP, GROUP, `/整改 新增 @${ZHANG} @${ZHAO} 限期整改 规范三会一课记录 截止 2026-11-02`, '已新增第1号');
    await tickDays(w, '2026-10-26', '2026-11-20');
    const item = '整改第1号「规范三会一课记录」';
    const days = daysFrom('2026-11-03', '2026-11-20').filter(isWorkday);
    const expected = [
      `2026-10-28 before ${who(ZHANG, ZHAO)}`,
      `2026-11-02 due ${who(ZHANG, ZHAO)}`,
      ...days.map((d) => `${d} overdue ${workdaysAfter('2026-11-02', d) >= 3 ? `${who(SEC, ZHANG, ZHAO)}` : `${who(ZHANG, ZHAO)}`}`),
    ];
    expect(expected[4]).toBe(`2026-11-05 overdue ${who(SEC, ZHANG, ZHAO)}`);
    expect((await timeline(w, item))).toEqual(expected);
    expect((await timeline(w, item, SUP_GROUP))).toEqual([`2026-11-16 supervisor ${LI}`]);
    const toSupervisor = w.channel.sent.filter((s) => s.target.kind === 'chat' && s.target.chatId === SUP_GROUP);
    expect(toSupervisor).toHaveLength(1);
    const tenth = days.find((d) => workdaysAfter('2026-11-02', d) === 10);
    expect(tenth).toBe('2026-11-16');
    expect(toSupervisor[0]!.day).toBe(tenth);
    expect(toSupervisor[0]!.message.text).toContain(UNIT);
    expect(toSupervisor[0]!.message.mentions.map((m) => m.name)).toEqual([LI]); // owners named in the text, not @mentioned
    expect(toSupervisor[0]!.message.text).toContain(`责任人：${ZHANG}、${ZHAO}`);
    // The unit's own group never gets the supervisor's message.
    expect(w.channel.sent.filter((s) => s.message.text.includes('督办')).every((s) => s.target.kind === 'chat' && s.target.chatId === SUP_GROUP)).toBe(true);
  });

  it('/提醒 升级 2 4 moves both escalations', async () => {
    const w = await start('2026-10-26');
    await aBranch(w);
    await w.must(OP, GROUP, '/提醒 升级 2 4', '已保存');
    await aHeldMeeting(w, '2026-10-26');
    await w.must(OP, GROUP, `/整改 新增 @${ZHANG} 限期整改 规范三会一课记录 截止 2026-11-02`, '已新增第1号');
    await tickDays(w, '2026-10-26', '2026-11-09');
    const item = '整改第1号「规范三会一课记录」';
    expect((await timeline(w, item)).slice(2)).toEqual([
      `2026-11-03 overdue ${ZHANG}`,
      `2026-11-04 overdue ${who(SEC, ZHANG)}`,
      `2026-11-05 overdue ${who(SEC, ZHANG)}`,
      `2026-11-06 overdue ${who(SEC, ZHANG)}`,
      `2026-11-09 overdue ${who(SEC, ZHANG)}`,
    ]);
    expect((await timeline(w, item, SUP_GROUP))).toEqual([`2026-11-06 supervisor ${LI}`]);
  });

  it('counts overdue working days across 国庆: due 09-30, 10-08 is the 1st, 10-10 (调休 Saturday) the 3rd', async () => {
    const w = await start('2026-09-21');
    await aBranch(w);
    await aHeldMeeting(w, '2026-09-21');
    await w.must(OP, GROUP, `/整改 新增 @${ZHANG} 限期整改 完善台账 截止 2026-09-30`, '已新增第1号');
    await tickDays(w, '2026-09-21', '2026-10-12');
    expect((await timeline(w, '整改第1号「完善台账」'))).toEqual([
      `2026-09-24 before ${ZHANG}`,
      `2026-09-30 due ${ZHANG}`,
      `2026-10-08 overdue ${ZHANG}`,
      `2026-10-09 overdue ${ZHANG}`,
      `2026-10-10 overdue ${who(SEC, ZHANG)}`,
      `2026-10-12 overdue ${who(SEC, ZHANG)}`,
    ]);
  });
});

describe('/稍后', () => {
  async function outlinesDue(): Promise<World> {
    // D = 2026-12-28 (Mon): outlines due on D; advance reminder on Wed 12-23.
    const w = await start('2026-11-30');
    await aBranch(w, { members: [ZHANG, ZHAO] });
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    for (const step of ['方案', '通知']) await w.must(OP, GROUP, `/完成 ${step}`, '已登记');
    return w;
  }
  const noOf = (w: World, what: string, person: string, day: string) => {
    const line = sentLines(w.channel.sent).find((l) => l.what === what && l.day === day && l.who.includes(person));
    if (!line) throw new Error(`no reminder about ${what} for ${person} on ${day}`);
    return line.no;
  };

  it('moves the reminder to the next working day, for the sender only', async () => {
    const w = await outlinesDue();
    await tickDays(w, '2026-12-01', '2026-12-23', [9]);
    const no = noOf(w, '提交发言提纲', ZHANG, '2026-12-23');
    // The digest says how to record what it asks for: outlines with /提纲 提交, not /完成.
    const digest = w.channel.sent.find((s) => s.day === '2026-12-23')!.message.text;
    expect(digest.split('\n').at(-1)).toBe('完成后请登记：/提纲 提交；/会议 召开；查看全部：/进度');
    w.at('2026-12-23', 9, 5);
    expect(await w.say(ZHAO, GROUP, `/稍后 ${no}`)).toContain('不是发给您的');
    expect(await w.say(ZHANG, GROUP, `/稍后 ${no}`)).toContain(`第${no}条提醒改到2026年12月24日`);
    await tickDays(w, '2026-12-23', '2026-12-28');
    expect((await timeline(w, '提交发言提纲')).filter((l) => l.endsWith(ZHANG))).toEqual([
      `2026-12-23 before ${ZHANG}`,
      `2026-12-24 snoozed ${ZHANG}`,
      `2026-12-28 due ${ZHANG}`,
    ]);
    expect((await timeline(w, '提交发言提纲')).filter((l) => l.endsWith(ZHAO))).toEqual([`2026-12-23 before ${ZHAO}`, `2026-12-28 due ${ZHAO}`]);
  });

  it('the principal’s own outline, handed in, is the supervisor’s to review: they are reminded in the unit’s group', async () => {
    const w = await outlinesDue();
    await w.must(SEC, GROUP, '/提纲 提交', '等待上级审核');
    await tickDays(w, '2026-12-01', '2026-12-23', [9]);
    expect((await timeline(w, '审核主要负责人的发言提纲'))).toEqual([`2026-12-23 before ${LI}`]);
    w.at('2026-12-23', 10);
    await w.must(LI, GROUP, `/提纲 审核 @${SEC}`, '审核通过');
    await tickDays(w, '2026-12-24', '2026-12-28', [9]);
    expect((await timeline(w, '审核主要负责人的发言提纲'))).toEqual([`2026-12-23 before ${LI}`]);
  });

  it('on a Friday the next working day is Monday; without a number it takes the latest reminder to the sender', async () => {
    const w = await start('2026-11-30');
    await aBranch(w);
    // Plan due Sun 12-13: advance Tue 12-08, due-day Fri 12-11. Notice due Fri 12-18: advance Tue 12-15.
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    await w.must(OP, GROUP, '/完成 方案', '已登记');
    await tickDays(w, '2026-12-01', '2026-12-15', [9]);
    w.at('2026-12-15', 9, 5);
    const no = noOf(w, '通知', OP, '2026-12-15') ;
    expect(await w.say(SEC, GROUP, '/稍后')).toContain(`第${no}条提醒改到2026年12月16日`);
    await tickDays(w, '2026-12-15', '2026-12-18');
    expect((await timeline(w, '通知'))).toEqual([
      `2026-12-15 before ${who(OP, SEC)}`,
      `2026-12-16 snoozed ${SEC}`,
      `2026-12-18 due ${who(OP, SEC)}`,
    ]);
  });

  it('without a number answers the latest message: what can wait is moved, and what cannot is named from that message', async () => {
    const w = await start('2026-11-30');
    await aBranch(w);
    // D = Thu 12-31: the plan is due Wed 12-16, and the notice (due Mon 12-21) has its advance reminder that same day.
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-31', '已安排');
    await tickDays(w, '2026-12-01', '2026-12-16', [9]);
    const planNo = noOf(w, '方案', SEC, '2026-12-16');
    const noticeNo = noOf(w, '通知', SEC, '2026-12-16');
    // The digest offers /稍后 only where it would be accepted, with the day it moves to (Friday → Monday).
    const textOf = (no: number) => sentLines(w.channel.sent).find((l) => l.no === no)!.text;
    const fridayNo = noOf(w, '方案', SEC, '2026-12-11');
    expect(textOf(fridayNo)).toContain(`（回复 /稍后 ${fridayNo} 改到12月14日再提醒）`);
    expect(textOf(noticeNo)).toContain(`（回复 /稍后 ${noticeNo} 改到12月17日再提醒）`);
    expect(textOf(planNo)).toContain('今天截止');
    expect(textOf(planNo)).not.toContain('/稍后');
    w.at('2026-12-16', 9, 5);
    // The plan is due today and cannot wait; the notice can.
    expect(await w.say(SEC, GROUP, '/稍后')).toContain(`好的，第${noticeNo}条提醒改到2026年12月17日再提醒您。`);
    expect((await w.rows<{ subject: string }>('SELECT subject FROM snooze')).map((r) => r.subject)).toEqual([expect.stringMatching(/:notice$/)]);
    expect(planNo).not.toBe(noticeNo);
    // Mon 12-22: both are overdue. The refusal names today's reminder, not one of an earlier day.
    await tickDays(w, '2026-12-16', '2026-12-22');
    w.at('2026-12-22', 9, 5);
    const today = sentLines(w.channel.sent).filter((l) => l.day === '2026-12-22' && l.who.includes(SEC)).map((l) => l.no);
    expect(today.length).toBeGreaterThan(0);
    expect(await w.say(SEC, GROUP, '/稍后')).toBe(`第${Math.max(...today)}条已经逾期，不能推迟提醒。请尽快办理。`);
  });

  it('is refused for an overdue reminder and when the next working day is past the deadline', async () => {
    const w = await start('2026-11-30');
    await aBranch(w);
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    await tickDays(w, '2026-12-01', '2026-12-14', [9]);
    // Fri 12-11: due-day reminder for Sunday 12-13; the next working day (Mon 12-14) is past it.
    const dueNo = noOf(w, '方案', OP, '2026-12-11');
    expect(nextWorkday('2026-12-11')).toBe('2026-12-14');
    w.at('2026-12-11', 9, 5);
    // Not offered in the digest either (the deadline is Sunday: Monday would be past it).
    expect(sentLines(w.channel.sent).find((l) => l.no === dueNo)!.text).not.toContain('/稍后');
    expect(await w.say(OP, GROUP, `/稍后 ${dueNo}`)).toContain('不能推迟到截止日之后');
    // Mon 12-14: overdue.
    const overdueNo = sentLines(w.channel.sent).find((l) => l.what === '方案' && l.day === '2026-12-14')!.no;
    w.at('2026-12-14', 9, 5);
    expect(await w.say(SEC, GROUP, `/稍后 ${overdueNo}`)).toContain('已经逾期');
    expect((await w.rows('SELECT * FROM snooze'))).toEqual([]);
  });
});

describe(dueReminders.name, () => {
  const cal = createWorkCalendar();
  const row = (due: string): WorkRow => ({ refId: 7, unitId: 1, step: null, personId: 3, due, itemNo: 1, content: 'x', kind: null });
  const rules = () => ({ remindHour: 9, daysBefore: 3, escalatePrincipal: 3, escalateSupervisor: 10 });

  it('after a restart catches up with the latest reminder of each subject only', () => {
    const days = daysFrom('2026-11-02', '2026-11-06');
    const out = dueReminders({ days, today: '2026-11-06', nowMinutes: 10 * 60, rows: [row('2026-11-03')], rules, calendar: cal });
    expect(out.map((r) => r.key)).toEqual(['item:7:overdue:2026-11-06']);
  });

  it("today's reminder waits for the hour; a missed day's does not", () => {
    const base = { today: '2026-11-06', rows: [row('2026-11-05')], rules, calendar: cal };
    expect(dueReminders({ ...base, days: ['2026-11-06'], nowMinutes: 8 * 60 + 59 })).toEqual([]);
    expect(dueReminders({ ...base, days: ['2026-11-05', '2026-11-06'], nowMinutes: 8 * 60 }).map((r) => r.key)).toEqual(['item:7:due:2026-11-05']);
  });

  it('escalation to the supervisor is keyed by the deadline, so it is once per deadline', () => {
    const day = addDays('2026-11-02', 14); // 2026-11-16: 10th working day after 11-02
    const out = dueReminders({ days: [day], today: day, nowMinutes: 9 * 60, rows: [row('2026-11-02')], rules, calendar: cal });
    expect(out.map((r) => [r.key, r.roles])).toEqual([
      ['item:7:overdue:2026-11-16', ['principal']],
      ['item:7:supervisor:2026-11-02', ['supervisor']],
    ]);
  });

  it('leaves out what the log has already sent: a later day still chases the owner, the supervisor is not told again', () => {
    const day = '2026-11-17';
    const input = { days: [day], today: day, nowMinutes: 9 * 60, rows: [row('2026-11-02')], rules, calendar: cal };
    expect(dueReminders(input).map((r) => r.key)).toEqual(['item:7:overdue:2026-11-17', 'item:7:supervisor:2026-11-02']);
    expect(dueReminders({ ...input, sent: new Set(['item:7:supervisor:2026-11-02']) }).map((r) => r.key)).toEqual(['item:7:overdue:2026-11-17']);
    expect(dueReminders({ ...input, sent: new Set(['item:7:overdue:2026-11-17', 'item:7:supervisor:2026-11-02']) })).toEqual([]);
  });
});
