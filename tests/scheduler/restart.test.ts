import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { atLocalTime, type LocalDate } from '../../src/domain/dates.js';
import { CATCH_UP_DAYS } from '../../src/scheduler/run-once.js';
import { aBranch, GROUP, OP, SEC, timeline, who } from './fixtures.js';
import { describeSent, RecordingChannel, startWorld, tempStore, tickDays, type World } from './harness.js';

/**
 * The bot stops and starts again on the same store (SQLite file, or PostgreSQL database): before a run, in the middle of one (after
 * the outbox is written, before the platform answered), and after one. Each process has its own
 * channel; what reached the platform is the sum of what every process's channel delivered.
 */
const clock = new ManualClock(atLocalTime('2026-11-30', 9));
const open: World[] = [];
let tmp: Awaited<ReturnType<typeof tempStore>>;

beforeEach(async () => {
  tmp = await tempStore();
});
afterEach(async () => {
  for (const w of open.splice(0)) await w.stop();
  await tmp.cleanup();
});

async function boot(day: LocalDate, hour: number, minute = 0, channel?: RecordingChannel): Promise<World> {
  const w = await startWorld({ at: [day, hour, minute], url: tmp.url, clock, ...(channel ? { channel } : {}) });
  open.push(w);
  return w;
}

async function shutdown(w: World): Promise<void> {
  open.splice(open.indexOf(w), 1);
  await w.stop();
}

/** 测试支部 with a 民主生活会 on Mon 2026-12-28: plan due Sun 12-13 (advance Tue 12-08, due-day Fri 12-11), notice Fri 12-18 (advance Tue 12-15). */
async function firstProcess(): Promise<World> {
  const w = await boot('2026-11-30', 9, 30);
  await aBranch(w);
  await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
  return w;
}

/** Every reminder line delivered by any of the processes, as `day chat what kind who`. */
const delivered = async (last: World, ...worlds: World[]) => (await Promise.all(worlds.map((w) => describeSent(last, w.channel.sent)))).flat();

describe('restarts', () => {
  it('down before the runs of several days: on restart the latest reminder of each subject goes out once, missed older ones never', async () => {
    const a = await firstProcess();
    await tickDays(a, '2026-11-30', '2026-12-04');
    expect(a.channel.sent).toEqual([]);
    await shutdown(a);

    // Back on Wed 12-16 at 10:00. Missed: plan before 12-08, due 12-11, overdue 12-14/15; notice before 12-15.
    const b = await boot('2026-12-16', 10);
    await b.tick();
    await b.tick();
    expect(b.channel.sent).toHaveLength(1);
    expect((await timeline(b, '方案'))).toEqual([`2026-12-16 overdue ${who(OP, SEC)}`]);
    expect((await timeline(b, '通知'))).toEqual([`2026-12-16 before ${who(OP, SEC)}`]);
    expect((await b.rows("SELECT reminder_key FROM reminder_log WHERE subject LIKE '%notice%'"))).toEqual([{ reminder_key: 'step:1:notice:before:2026-12-15' }]);
    await tickDays(b, '2026-12-16', '2026-12-18');
    expect((await timeline(b, '方案'))).toEqual([16, 17, 18].map((d) => `2026-12-${d} overdue ${who(OP, SEC)}`));
    expect((await timeline(b, '通知'))).toEqual([`2026-12-16 before ${who(OP, SEC)}`, `2026-12-18 due ${who(OP, SEC)}`]);
  });

  it(`down longer than ${CATCH_UP_DAYS} days: only the last ${CATCH_UP_DAYS} are caught up`, async () => {
    const a = await firstProcess();
    await tickDays(a, '2026-11-30', '2026-12-01');
    await shutdown(a);
    // Back on 12-21 at 08:00 (before the hour): the window is 12-11 … 12-21; today waits for 09:00.
    const b = await boot('2026-12-21', 8);
    await b.tick();
    expect((await timeline(b, '方案'))).toEqual([`2026-12-21 overdue ${who(OP, SEC)}`]); // latest in the window: Fri 12-18
    expect((await b.rows('SELECT remind_on FROM reminder_log ORDER BY id'))).toEqual([{ remind_on: '2026-12-18' }, { remind_on: '2026-12-18' }]);
    expect((await timeline(b, '通知'))).toEqual([`2026-12-21 due ${who(OP, SEC)}`]);
    // Caught up on 12-21, the notice (due 12-18) is overdue: no offer of /稍后, which would be refused.
    const caughtUp = b.channel.sent[0]!.message.text.split('\n').find((l) => l.includes('通知'))!;
    expect(caughtUp).toContain('已逾期3天');
    expect(caughtUp).not.toContain('/稍后');
    b.at('2026-12-21', 9);
    await b.tick();
    expect((await timeline(b, '方案'))).toEqual([`2026-12-21 overdue ${who(OP, SEC)}`, `2026-12-21 overdue ${who(OP, SEC)}`]);
    expect((await b.rows('SELECT remind_on, kind FROM reminder_log ORDER BY id')).slice(2)).toEqual([
      { remind_on: '2026-12-21', kind: 'overdue' },
      { remind_on: '2026-12-21', kind: 'overdue' },
    ]);
  });

  it('killed between writing the outbox and the platform answering: the row is delivered once after restart', async () => {
    const a = await firstProcess();
    await tickDays(a, '2026-11-30', '2026-12-07');
    // 12-08 09:00: the run writes the reminder, then the platform never answers; the process dies.
    a.channel.next({ wait: new Promise(() => undefined) });
    a.at('2026-12-08', 9);
    const inFlight = a.channel.sending();
    void a.tick();
    await inFlight;
    expect((await a.rows('SELECT status, attempts FROM outbox'))).toEqual([{ status: 'pending', attempts: 0 }]);
    expect(a.channel.sent).toEqual([]);
    await shutdown(a);

    const b = await boot('2026-12-08', 9, 5);
    await b.tick();
    await b.tick();
    expect(b.channel.sent).toHaveLength(1);
    expect((await delivered(b, a, b))).toEqual([`2026-12-08 ${GROUP} 方案 before ${who(OP, SEC)}`]);
    expect((await b.rows('SELECT status, attempts FROM outbox'))).toEqual([{ status: 'sent', attempts: 1 }]);
    expect((await b.rows('SELECT count(*) AS n FROM reminder_log'))).toEqual([{ n: 1 }]);
  });

  it('restarted after the platform failed the first send: retried after the backoff, delivered once', async () => {
    const a = await firstProcess();
    a.channel.next({ throws: 'ECONNRESET' });
    a.at('2026-12-08', 9);
    await a.tick();
    expect((await a.rows('SELECT status, attempts, last_error FROM outbox'))).toEqual([{ status: 'pending', attempts: 1, last_error: 'ECONNRESET' }]);
    await shutdown(a);

    const b = await boot('2026-12-08', 9, 0);
    clock.advance(29_000);
    await b.tick();
    expect(b.channel.attempts).toEqual([]);
    clock.advance(1_000);
    await b.tick();
    expect(b.channel.sent).toHaveLength(1);
    expect((await delivered(b, a, b))).toEqual([`2026-12-08 ${GROUP} 方案 before ${who(OP, SEC)}`]);
  });

  it('stopped right after a run and started again the same day and the next: nothing twice', async () => {
    const a = await firstProcess();
    await tickDays(a, '2026-11-30', '2026-12-08', [9]);
    expect(a.channel.sent).toHaveLength(1);
    await shutdown(a);

    const b = await boot('2026-12-08', 14); // start-up run (as attachScheduler does), then the minute ticks
    await b.tick();
    await b.tick();
    expect(b.channel.sent).toEqual([]);
    await shutdown(b);

    const c = await boot('2026-12-11', 9, 1); // 12-09, 12-10: nothing due; 12-11: due-day of the plan
    await c.tick();
    expect((await delivered(c, a, b, c))).toEqual([
      `2026-12-08 ${GROUP} 方案 before ${who(OP, SEC)}`,
      `2026-12-11 ${GROUP} 方案 due ${who(OP, SEC)}`,
    ]);
  });
});
