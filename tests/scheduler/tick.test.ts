import { afterEach, describe, expect, it, vi } from 'vitest';
import { addDays, type LocalDate } from '../../src/domain/dates.js';
import { createWorkCalendar } from '../../src/scheduler/calendar.js';
import { deadlinesRemindedOn, dueReminders, type UnitRules } from '../../src/scheduler/due.js';
import { SEND_TIMEOUT_MS } from '../../src/scheduler/outbox.js';
import { aBranch, aHeldMeeting, GROUP, OP, ZHANG } from './fixtures.js';
import { daysFrom, sentLines, startWorld, type World } from './harness.js';

/**
 * What a tick reads and when it plans: only work that can be reminded of on the days considered;
 * no planning while nothing can have changed; a platform that never answers does not hold it up.
 */
let world: World | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await world?.stop();
  world = undefined;
});

describe('the deadlines a run reads besides the overdue ones', () => {
  // Around 国庆 and 春节 2026 (long holidays and make-up working days), for several advance windows.
  it.each([0, 1, 3, 5])('are exactly those with a due-day or advance reminder on the day (%i working days before)', (daysBefore) => {
    const cal = createWorkCalendar();
    const rules: UnitRules = { remindHour: 9, daysBefore, escalatePrincipal: 3, escalateSupervisor: 10 };
    for (const day of [...daysFrom('2026-02-05', '2026-03-05'), ...daysFrom('2026-09-15', '2026-10-15')]) {
      const read = new Set(deadlinesRemindedOn([day], [daysBefore], cal));
      const reminded = daysFrom(day, addDays(day, 30)).filter((due) => dueReminders({
        days: [day], today: day, nowMinutes: 9 * 60, calendar: cal, rules: () => rules,
        rows: [{ refId: 1, unitId: 1, step: null, personId: 1, due, itemNo: 1, content: null, kind: null }],
      }).length > 0);
      expect([...read].sort(), day).toEqual(reminded);
    }
  });
});

describe('ticks between plans', () => {
  /** 测试支部 with a held meeting and one open item due 11-20; the first tick of 11-02 has planned. */
  async function branchWithItem(): Promise<World> {
    const w = await startWorld({ at: ['2026-11-02', 9] });
    world = w;
    await aBranch(w, { supervisor: false });
    await aHeldMeeting(w, '2026-11-02');
    await w.must(OP, GROUP, `/整改 新增 @${ZHANG} 限期整改 修订学习制度 截止 2026-11-20`, '已新增第1号');
    w.at('2026-11-02', 10);
    await w.tick();
    expect(w.channel.sent).toEqual([]);
    return w;
  }
  const overdueLines = (w: World, day: LocalDate) => sentLines(w.channel.sent).filter((l) => l.day === day && l.text.includes('逾期'));

  it('do not plan while nothing has changed; a command, the next reminder hour or the next day plans again', async () => {
    const w = await branchWithItem();
    // Changed behind the bot's back (as another process could): not seen while nothing else changes.
    await w.exec("UPDATE item SET deadline = '2026-10-30'");
    w.at('2026-11-02', 10, 1);
    expect((await w.tick())?.planned).toBe(0);
    expect(w.channel.sent).toEqual([]);
    // Any command that may write has the next tick plan: the item is found overdue and reminded once.
    await w.must(OP, GROUP, `/整改 新增 @${ZHANG} 限期整改 更新党员信息 截止 2026-12-20`, '已新增第2号');
    w.at('2026-11-02', 10, 2);
    await w.tick();
    expect(overdueLines(w, '2026-11-02')).toHaveLength(1);
    w.at('2026-11-02', 10, 3);
    await w.tick();
    expect(w.channel.sent).toHaveLength(1);
    // Next day: planned at 08:00 (before the hour, nothing yet), and again when 09:00 is reached.
    w.at('2026-11-03', 8);
    await w.tick();
    expect(overdueLines(w, '2026-11-03')).toEqual([]);
    w.at('2026-11-03', 9);
    await w.tick();
    expect(overdueLines(w, '2026-11-03')).toHaveLength(1);
  });

  it('still deliver what is pending, and give up on a send that never answers', async () => {
    const w = await branchWithItem();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    w.channel.next({ wait: new Promise(() => undefined) });
    w.at('2026-11-17', 9); // the advance reminder of the item due 11-20
    const answering = w.channel.sending();
    const tick = w.tick();
    await answering;
    await vi.advanceTimersByTimeAsync(SEND_TIMEOUT_MS);
    expect((await tick)?.delivery).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect((await w.rows('SELECT status, attempts, last_error FROM outbox'))).toEqual([{ status: 'pending', attempts: 1, last_error: 'no answer within 30 s' }]);
    // 30 s later a tick with nothing to plan retries it.
    w.at('2026-11-17', 9, 1);
    expect(await w.tick()).toEqual({ planned: 0, messages: 0, delivery: { sent: 1, retrying: 0, failed: 0 } });
    expect(sentLines(w.channel.sent).map((l) => l.what)).toEqual(['整改第1号「修订学习制度」']);
  });
});
