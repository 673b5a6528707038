import { afterEach, describe, expect, it } from 'vitest';
import { addDays, type LocalDate } from '../../src/domain/dates.js';
import type { SendResult } from '../../src/messages.js';
import { claimDue } from '../../src/scheduler/outbox.js';
import { planOnce } from '../../src/scheduler/run-once.js';
import { onPostgres } from '../helpers/pg.js';
import { seedUnits, startInstances, type Cluster, type Send } from './instances.js';

/**
 * Several bot instances on one database (README: Running several instances). In the `postgres`
 * project every instance has its own pool on one database of the real server and their runs race
 * (Promise.all); in the `sqlite` project they share the embedded store.
 */
let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const UNITS = 8;
const FIRST: LocalDate = '2026-12-01';
const LAST: LocalDate = '2026-12-14';

/**
 * Every instance ticks at 09:00 and 15:00 of every day, all at once: they race to plan. At 09:00 the
 * platform is busy, so the day's messages wait for their retry; at 09:01 every instance ticks again
 * at once and they race to claim them.
 */
async function raceDays(c: Cluster, from: LocalDate, to: LocalDate): Promise<void> {
  for (let day = from; day <= to; day = addDays(day, 1)) {
    for (const [hour, minute, down] of [[9, 0, true], [9, 1, false], [15, 0, false]] as const) {
      for (const i of c.instances) i.channel.down = down;
      c.at(day, hour, minute);
      await c.all((i) => i.scheduler.tick());
    }
  }
}

const sentOnce = (sends: readonly Send[]) => new Set(sends.map((s) => `${s.day} ${s.chat} ${s.text}`)).size;
const dayAndChat = (sends: readonly Send[]) => sends.map((s) => `${s.day} ${s.chat} ${s.text.split('\n').length} lines`).sort();

async function outboxStates(c: Cluster): Promise<Record<string, number>> {
  const rows = await c.db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

const errorsOf = (c: Cluster) => c.instances.flatMap((i) => i.logs.filter((l) => l.level >= 50).map((l) => `${i.id}: ${l.msg}`));

describe('several schedulers on one database', () => {
  // What one instance sends over the fortnight: the reference the racing instances must match.
  let reference: string[] | undefined;
  const referenceSends = async (): Promise<string[]> => {
    if (reference) return reference;
    const one = await startInstances(1, ['2026-11-30', 9, 30]);
    try {
      await seedUnits(one, UNITS);
      await raceDays(one, FIRST, LAST);
      reference = dayAndChat(one.sends);
      return reference;
    } finally {
      await one.stop();
    }
  };

  it.each([2, 3])('%i instances racing over the same days send every reminder exactly once', async (n) => {
    const expected = await referenceSends();
    expect(expected.length).toBeGreaterThanOrEqual(UNITS * 2); // each unit is reminded on several days
    const c = (cluster = await startInstances(n, ['2026-11-30', 9, 30]));
    await seedUnits(c, UNITS);
    await raceDays(c, FIRST, LAST);

    expect(dayAndChat(c.sends)).toEqual(expected);
    expect(sentOnce(c.sends)).toBe(c.sends.length);
    expect(await outboxStates(c)).toEqual({ sent: c.sends.length });
    const logged = await c.db.selectFrom('reminder_log').select(['reminder_key']).execute();
    expect(new Set(logged.map((r) => r.reminder_key)).size).toBe(logged.length);
    // Each sent row names the one instance that claimed and sent it.
    const senders = await c.db.selectFrom('outbox').select('claimed_by').execute();
    expect(senders.every((r) => c.instances.some((i) => i.id === r.claimed_by))).toBe(true);
    expect(errorsOf(c)).toEqual([]);
  });

  it('plans one day once when all instances plan the same minute', async () => {
    const c = (cluster = await startInstances(3, ['2026-11-30', 9, 30]));
    await seedUnits(c, UNITS);
    c.at('2026-12-08', 9);
    const runs = await c.all((i) => i.scheduler.tick());
    // Every unit's chat gets its one message of the day, from whichever instance claimed it.
    expect(c.sends.map((s) => s.chat).sort()).toEqual(Array.from({ length: UNITS }, (_, k) => `群${k + 1}`).sort());
    expect(runs.reduce((n, r) => n + (r?.messages ?? 0), 0)).toBe(UNITS);
    // The next minutes, every instance again: nothing new.
    for (const minute of [1, 2, 3]) {
      c.at('2026-12-08', 9, minute);
      await c.all((i) => i.scheduler.tick());
    }
    expect(c.sends).toHaveLength(UNITS);
    expect(errorsOf(c)).toEqual([]);
  });

  it('an instance that dies between claim and send leaves its messages to another once the lease has run out', async () => {
    const c = (cluster = await startInstances(2, ['2026-11-30', 9, 30], { OUTBOX_LEASE_SECONDS: '120' }));
    await seedUnits(c, UNITS);
    const [dying, survivor] = c.instances as [typeof c.instances[0], typeof c.instances[0]];
    c.at('2026-12-08', 9);
    await planOnce({ db: dying.app.db, config: dying.app.config, calendar: dying.app.calendar, log: dying.app.log }, dying.clock.now());
    const claimed = await claimDue({ db: dying.app.db, config: dying.app.config }, dying.clock.now(), 100);
    expect(claimed).toHaveLength(UNITS);
    // The process dies here: its connections close, nothing of it runs again.
    if (onPostgres()) await dying.app.db.destroy();

    for (const [minute, second] of [[0, 0], [1, 0], [1, 59]] as const) {
      survivor.clock.set(new Date(Date.UTC(2026, 11, 8, 1, minute, second)));
      await survivor.scheduler.tick();
    }
    expect(c.sends).toEqual([]); // still the dead instance's claims
    survivor.clock.set(new Date(Date.UTC(2026, 11, 8, 1, 2, 0))); // 09:02: the leases have run out
    await survivor.scheduler.tick();
    expect(c.sends.map((s) => s.chat).sort()).toEqual(claimed.map((r) => r.target_id).sort());
    expect(c.sends.every((s) => s.instance === survivor.id)).toBe(true);
    survivor.clock.set(new Date(Date.UTC(2026, 11, 8, 2, 0, 0)));
    await survivor.scheduler.tick();
    expect(c.sends).toHaveLength(UNITS);
    expect(await outboxStates(c)).toEqual({ sent: UNITS });
    if (onPostgres()) c.instances.splice(0, 1); // its pool is closed already
  });

  it('an instance whose send hangs past its lease repeats at most that one message, and its late outcome is not recorded', async () => {
    const c = (cluster = await startInstances(2, ['2026-11-30', 9, 30]));
    await seedUnits(c, UNITS);
    const [slow, other] = c.instances as [typeof c.instances[0], typeof c.instances[0]];
    let answer: (r: SendResult) => void = () => undefined;
    slow.channel.hold = new Promise((resolve) => (answer = resolve));
    c.at('2026-12-08', 9);
    const slowRun = slow.scheduler.tick(); // plans, claims a batch, and hangs in its first send
    await slow.channel.inFlight();
    c.at('2026-12-08', 9, 2); // two minutes later, for both: the slow instance's leases have run out
    await other.scheduler.tick();
    expect(c.sends.filter((s) => s.instance === other.id)).toHaveLength(UNITS);
    answer({ ok: true }); // the platform answers the hung send at last
    slow.channel.hold = undefined;
    await slowRun;
    // One message twice (the one that hung: the at-least-once instant), no other.
    expect(c.sends).toHaveLength(UNITS + 1);
    expect(new Set(c.sends.map((s) => s.chat)).size).toBe(UNITS);
    expect(slow.logs.map((l) => l.msg)).toContain('outbox claim lapsed before the outcome was recorded; another instance may send this message again');
    const rows = await c.db.selectFrom('outbox').select(['status', 'claimed_by']).execute();
    expect(rows.every((r) => r.status === 'sent' && r.claimed_by === other.id)).toBe(true);
  });
});

describe('a message redelivered to several instances at once', () => {
  it('is handled once: one reply, one talk recorded', async () => {
    const c = (cluster = await startInstances(3, ['2026-11-30', 9, 30]));
    await seedUnits(c, 1);
    const replies = await Promise.all(c.instances.map((_, k) => c.say('联络员1', '群1', '/谈心 @书记1 面谈 谈了分管工作', k, 'redelivered-1')));
    expect(replies.filter((r) => r.length > 0)).toHaveLength(1);
    expect(replies.flat().join('\n')).toContain('已登记：联络员1 与 书记1 谈心谈话');
    const talks = await c.db.selectFrom('talk').select('id').execute();
    expect(talks).toHaveLength(1);
    const processed = await c.db.selectFrom('processed_message').select('msg_id').where('msg_id', '=', 'redelivered-1').execute();
    expect(processed).toHaveLength(1);
  });

  it('is refused once when the command is wrong: one reply saying what to type', async () => {
    const c = (cluster = await startInstances(2, ['2026-11-30', 9, 30]));
    await seedUnits(c, 1);
    const replies = await Promise.all(c.instances.map((_, k) => c.say('联络员1', '群1', '/整改 完成 9 已整改', k, 'redelivered-2')));
    expect(replies.filter((r) => r.length > 0)).toHaveLength(1);
    expect(replies.flat()).toHaveLength(1);
    expect(errorsOf(c)).toEqual([]);
  });
});

describe('two people writing for one unit through two instances at the same moment', () => {
  it('records every item, numbered 1 to 6, and nobody is told the system is busy', async () => {
    const c = (cluster = await startInstances(2, ['2026-12-28', 9, 30]));
    await seedUnits(c, 1);
    expect((await c.say('书记1', '群1', '/会议 召开')).join('\n')).toContain('召开');
    for (let round = 0; round < 3; round++) {
      const replies = await Promise.all(c.instances.map((_, k) => c.say('联络员1', '群1', `/整改 新增 @书记1 事项${round}-${k} 截止 2027-01-31`, k)));
      for (const r of replies) expect(r.join('\n')).toContain('已新增');
    }
    const items = await c.db.selectFrom('item').select(['item_no', 'content']).orderBy('item_no').execute();
    expect(items.map((i) => i.item_no)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(items.map((i) => i.content)).size).toBe(6);
    expect(errorsOf(c)).toEqual([]);
  });
});

describe('a leave decided twice at once, through two instances, by two supervisors in their private chats', () => {
  it('is decided once: one decision stored and told, the other told the request is no longer pending', async () => {
    const c = (cluster = await startInstances(2, ['2026-12-01', 9, 30]));
    const must = async (who: string, chat: string, text: string) => {
      const reply = (await c.say(who, chat, text)).join('\n');
      if (!/已|绑定|提交/.test(reply)) throw new Error(`${text}\n→ ${reply}`);
    };
    // Two levels above the unit, each with its own supervisor: each one's private chat is about their own unit.
    await must('陈部长', '市委督导群', '/单位 设置 市委组织部');
    await must('陈部长', '市委督导群', '/成员 添加 @陈部长 上级');
    await must('李部长', '区委督导群', '/单位 设置 区委组织部 上级 市委组织部');
    await must('李部长', '区委督导群', '/成员 添加 @李部长 上级');
    await must('刘联络员', '党办群', '/单位 设置 区教育局党组 上级 区委组织部');
    await must('刘联络员', '党办群', '/成员 添加 @王书记 主要负责人');
    await must('刘联络员', '党办群', '/会议 新建 民主生活会 2026-12-28');
    await must('王书记', '党办群', '/请假 到省委党校参加培训');
    // The principal's request is answered by both supervisors at the same moment, one approving, one not.
    const [approved, rejected] = await Promise.all([
      c.sayPrivately('陈部长', '/批准 @王书记', 0),
      c.sayPrivately('李部长', '/驳回 @王书记 请按时参会', 1),
    ]);
    const replies = [approved!.join('\n'), rejected!.join('\n')];
    const decided = replies.filter((r) => r.includes('王书记 的请假已批准') || r.includes('王书记 的请假未获批准'));
    expect(decided).toHaveLength(1);
    expect(replies.filter((r) => r.includes('王书记 没有待审批的请假'))).toHaveLength(1);
    const leaves = await c.db.selectFrom('leave_request').select('status').execute();
    expect(leaves).toEqual([{ status: decided[0]!.includes('已批准') ? 'approved' : 'rejected' }]);
    const audits = await c.db.selectFrom('audit_log').select('action').where('action', 'in', ['leave.approve', 'leave.reject']).execute();
    expect(audits).toHaveLength(1);
    expect(errorsOf(c)).toEqual([]);
  });
});

describe('an item completed through one instance while another is planning its reminder', () => {
  it('is not reminded of afterwards: the planned reminder is dropped, the others stay', async () => {
    // Instance 1's planner, right after reading the due work, lets instance 2 handle the owner's
    // /整改 完成 of item 1 and waits for it (at most 500 ms: an instance that must wait for the plan
    // to commit cannot answer sooner).
    let hold: (() => Promise<unknown>) | undefined;
    let first: string | undefined;
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const c = (cluster = await startInstances(2, ['2026-12-28', 9, 30], {}, {
      plugins: (k) => (k !== 0 ? undefined : {
        transformQuery: (args) => args.node,
        async transformResult(args) {
          const due = args.result.rows.some((r) => typeof r === 'object' && r !== null && 'refId' in r && 'itemNo' in r);
          if (due && hold) {
            const completing = hold();
            hold = undefined;
            first = await Promise.race([completing.then(() => 'answered'), pause(500).then(() => 'waited')]);
          }
          return args.result;
        },
      }),
    }));
    await seedUnits(c, 1);
    expect((await c.say('书记1', '群1', '/会议 召开')).join('\n')).toContain('召开');
    expect((await c.say('联络员1', '群1', '/整改 新增 @书记1 完善谈心谈话台账 截止 2027-01-05')).join('\n')).toContain('已新增第1号');
    expect((await c.say('联络员1', '群1', '/整改 新增 @书记1 规范会议记录 截止 2027-01-05')).join('\n')).toContain('已新增第2号');
    c.at('2027-01-05', 9);
    let reply: string[] = [];
    hold = async () => (reply = await c.say('书记1', '群1', '/整改 完成 1 已建立台账', 1));
    const [planner] = c.instances;
    await planOnce({ db: planner!.app.db, config: planner!.app.config, calendar: planner!.app.calendar, log: planner!.app.log }, planner!.clock.now());
    await expect.poll(() => reply.join('\n'), { timeout: 5_000 }).toContain('已完成');
    expect(hold).toBeUndefined(); // the planner did read item 1 as due, and the owner completed it meanwhile
    // On PostgreSQL the owner is answered while the plan is still being read and written (the plan
    // settles with the change at its end); on SQLite the command waits for the plan's transaction.
    if (onPostgres()) expect(first).toBe('answered');

    // The day's messages go out; item 1 is in none of them, item 2 still is.
    await c.all((i) => i.scheduler.tick());
    c.at('2027-01-05', 9, 1);
    await c.all((i) => i.scheduler.tick());
    const texts = c.sends.map((s) => s.text).join('\n');
    expect(texts).toContain('规范会议记录');
    expect(texts).not.toContain('完善谈心谈话台账');
    expect(errorsOf(c)).toEqual([]);
  });
});
