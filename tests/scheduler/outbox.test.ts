import { Kysely, PostgresAdapter, PostgresDialect, SqliteAdapter, SqliteDialect, type Dialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatTarget } from '../../src/messages.js';
import { MAX_ATTEMPTS } from '../../src/scheduler/outbox.js';
import { runOnce } from '../../src/scheduler/run-once.js';
import { dialectOf, postgresPool, sqliteHandleOf } from '../../src/store/db.js';
import type { Database } from '../../src/store/schema.js';
import { failedDeliveries } from '../../src/store/supervision.repository.js';
import { aBranch, aHeldMeeting, GROUP, OP, SEC, timeline, who, ZHANG } from './fixtures.js';
import { startWorld, tickDays, type Behaviour, type World } from './harness.js';

/**
 * A platform that fails for a while: nothing is lost, retries are bounded and spaced as documented
 * (30 s, 1 min, 2 min, … capped at 1 h; or the platform's retry-after when longer), a message that
 * cannot be delivered is marked failed, logged and counted — and never blocks the chat for good.
 */
const OTHER = '二支部群';
const SECOND = 1_000;

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

/** 测试支部 (党办群) and 第二支部 (二支部群), each with a 民主生活会 on 2026-12-28: both reminded Tue 12-08 and Fri 12-11. */
async function twoUnits(): Promise<World> {
  const w = await startWorld({ at: ['2026-11-30', 9, 30] });
  world = w;
  await aBranch(w, { supervisor: false });
  await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
  await w.must('二支联络员', OTHER, '/单位 设置 第二支部', '本群已绑定');
  await w.must('二支联络员', OTHER, '/成员 添加 @孙书记 主要负责人', '已把');
  await w.must('二支联络员', OTHER, '/会议 新建 民主生活会 2026-12-28', '已安排');
  await tickDays(w, '2026-11-30', '2026-12-07');
  return w;
}

const chatOf = (t: ChatTarget) => (t.kind === 'chat' ? t.chatId : t.name);
const only = (chat: string, b: Behaviour) => (t: ChatTarget) => (chatOf(t) === chat ? b : undefined);
const attemptsTo = (w: World, chat: string) => w.channel.attempts.filter((a) => chatOf(a.target) === chat);
const outboxOf = async (w: World, chat: string) =>
  (await w.rows<{ status: string; attempts: number; next_attempt_at: string; last_error: string | null }>(
    'SELECT status, attempts, next_attempt_at, last_error FROM outbox WHERE target_id = ? ORDER BY id', chat));
const unitId = async (w: World, name: string) => (await w.rows<{ id: number }>('SELECT id FROM unit WHERE name = ?', name))[0]!.id;

describe('delivery through a failing platform', () => {
  it(`retries {ok:false} with the documented backoff, at most ${MAX_ATTEMPTS} times, then marks it failed, logs and counts it`, async () => {
    const w = await twoUnits();
    w.channel.behaviourFor = only(GROUP, { ok: false, error: 'errcode 45009' });
    w.at('2026-12-08', 9);
    await w.tick();
    expect(attemptsTo(w, OTHER).map((a) => a.outcome)).toEqual(['ok']); // the other chat is not held up
    // Documented schedule: 30 s, 1 min, 2 min, 4, 8, 16, 32 min, then capped at 1 h.
    const waits = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600].map((s) => s * SECOND);
    expect(waits).toHaveLength(MAX_ATTEMPTS - 1);
    for (const [i, wait] of waits.entries()) {
      const last = attemptsTo(w, GROUP).at(-1)!.at.getTime();
      expect(new Date((await outboxOf(w, GROUP))[0]!.next_attempt_at).getTime() - last).toBe(wait);
      w.clock.set(new Date(last + wait - 1));
      await w.tick();
      expect(attemptsTo(w, GROUP)).toHaveLength(i + 1); // not a millisecond early
      w.clock.set(new Date(last + wait));
      await w.tick();
      expect(attemptsTo(w, GROUP)).toHaveLength(i + 2);
    }
    expect((await outboxOf(w, GROUP))).toEqual([expect.objectContaining({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: 'errcode 45009' })]);
    w.clock.advance(24 * 3600 * SECOND);
    await w.tick();
    expect(attemptsTo(w, GROUP)).toHaveLength(MAX_ATTEMPTS);

    const errors = w.logs.filter((l) => l.level === 50);
    expect(errors).toEqual([expect.objectContaining({ msg: 'message could not be delivered; marked failed', attempts: MAX_ATTEMPTS, channel: 'console', error: 'errcode 45009' })]);
    expect(w.logs.filter((l) => l.msg === 'send failed; will retry')).toHaveLength(MAX_ATTEMPTS - 1);
    const failed = await failedDeliveries(w.app.db, [(await unitId(w, '测试支部')), (await unitId(w, '第二支部'))]);
    expect([...failed]).toEqual([[(await unitId(w, '测试支部')), 1]]);

    // The platform recovers: the chat gets its next reminder (a failed row does not block it).
    w.channel.behaviourFor = undefined;
    await tickDays(w, '2026-12-09', '2026-12-11');
    expect((await timeline(w, '方案'))).toEqual([`2026-12-11 due ${who(OP, SEC)}`]);
  });

  it('waits for the retry-after the platform asks for when it is longer than the backoff, and the backoff when shorter', async () => {
    const w = await twoUnits();
    w.channel.next({ ok: false, error: 'rate limited', retryAfterMs: 120 * SECOND }, { ok: false, error: 'rate limited', retryAfterMs: 1 * SECOND });
    w.at('2026-12-08', 9);
    await w.tick();
    const t0 = w.channel.attempts[0]!.at.getTime();
    expect(w.channel.attempts.map((a) => [chatOf(a.target), a.outcome])).toEqual([[GROUP, 'failed'], [OTHER, 'failed']]);
    w.clock.set(new Date(t0 + 30 * SECOND)); // the backoff alone would allow both now
    await w.tick();
    expect(w.channel.attempts.slice(2).map((a) => chatOf(a.target))).toEqual([OTHER]);
    w.clock.set(new Date(t0 + 120 * SECOND - 1));
    await w.tick();
    expect(w.channel.attempts).toHaveLength(3);
    w.clock.set(new Date(t0 + 120 * SECOND));
    await w.tick();
    expect(w.channel.sent.map((s) => chatOf(s.target))).toEqual([OTHER, GROUP]);
  });

  it('marks a permanent failure failed at once, without retrying', async () => {
    const w = await twoUnits();
    w.channel.next({ ok: false, permanent: true, error: 'invalid webhook key' });
    w.at('2026-12-08', 9);
    await w.tick();
    w.clock.advance(3600 * SECOND);
    await w.tick();
    expect(attemptsTo(w, GROUP)).toHaveLength(1);
    expect((await outboxOf(w, GROUP))).toEqual([expect.objectContaining({ status: 'failed', attempts: 1, last_error: 'invalid webhook key' })]);
    expect(w.logs.filter((l) => l.level === 50).map((l) => l.msg)).toEqual(['message could not be delivered; marked failed']);
    expect((await failedDeliveries(w.app.db, [(await unitId(w, '测试支部'))])).get((await unitId(w, '测试支部')))).toBe(1);
  });

  it('treats a channel that throws as a failed attempt and delivers once it stops throwing', async () => {
    const w = await twoUnits();
    w.channel.behaviourFor = only(GROUP, { throws: 'socket hang up' });
    w.at('2026-12-08', 9);
    await w.tick();
    for (const wait of [30, 60]) {
      w.clock.advance(wait * SECOND);
      await w.tick();
    }
    expect(attemptsTo(w, GROUP).map((a) => a.outcome)).toEqual(['threw', 'threw', 'threw']);
    expect((await outboxOf(w, GROUP))).toEqual([expect.objectContaining({ status: 'pending', attempts: 3, last_error: 'socket hang up' })]);
    expect(w.logs.filter((l) => l.msg === 'send failed')).toHaveLength(3); // logged by the app with the channel's error
    w.channel.behaviourFor = undefined;
    w.clock.advance(120 * SECOND);
    await w.tick();
    await w.tick();
    expect((await outboxOf(w, GROUP))).toEqual([expect.objectContaining({ status: 'sent', attempts: 4, last_error: null })]);
    expect(w.channel.sent.filter((s) => chatOf(s.target) === GROUP)).toHaveLength(1);
  });

  it('keeps one chat in order: a later message waits while an earlier one to the same chat fails in the same pass', async () => {
    const w = await startWorld({ at: ['2026-12-01', 9] });
    world = w;
    await aBranch(w, { supervisor: false });
    await aHeldMeeting(w, '2026-12-01');
    await w.must(OP, GROUP, `/整改 新增 @${ZHANG} 限期整改 修订学习制度 截止 2026-12-10`, '已新增第1号');
    // Mon 12-07 09:00: item 1's advance reminder; the platform is busy.
    w.channel.otherwise = { ok: false, error: 'busy' };
    await tickDays(w, '2026-12-01', '2026-12-07', [9]);
    // 10:00: item 2, due the same Thursday, is added; the 15:00 run writes its advance reminder.
    w.at('2026-12-07', 10);
    await w.must(OP, GROUP, `/整改 新增 @${ZHANG} 限期整改 更新党员信息 截止 2026-12-10`, '已新增第2号');
    w.at('2026-12-07', 15);
    await w.tick(); // the 09:00 message is retried first and fails again: the 15:00 one is not tried
    expect((await outboxOf(w, GROUP)).map((r) => [r.status, r.attempts])).toEqual([['pending', 2], ['pending', 0]]);
    expect(w.channel.attempts.map((a) => a.message.text.includes('第1号'))).toEqual([true, true]);
    w.channel.otherwise = { ok: true };
    w.clock.advance(60 * SECOND);
    await w.tick();
    const texts = w.channel.sent.map((s) => s.message.text);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('整改第1号');
    expect(texts[1]).toContain('整改第2号');
  });

  it('runs one at a time: a tick while a slow send is in flight waits for that run instead of starting another', async () => {
    const w = await twoUnits();
    let release: (r: { ok: boolean }) => void = () => undefined;
    w.channel.next({ wait: new Promise((resolve) => (release = resolve)) });
    w.at('2026-12-08', 9);
    const inFlight = w.channel.sending();
    const first = w.tick();
    await inFlight;
    const second = w.tick();
    release({ ok: true });
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(a?.delivery).toEqual({ sent: 2, retrying: 0, failed: 0 });
    await w.tick();
    expect(w.channel.sent.map((s) => chatOf(s.target)).sort()).toEqual([GROUP, OTHER].sort());
  });
});

describe('a store without RETURNING (MySQL): inserted rows are read back by their keys', () => {
  it('writes, numbers, links and delivers the day’s reminders as on SQLite', async () => {
    const w = await twoUnits();
    // The same store, through an adapter that says it cannot return inserted rows.
    class NoReturning extends SqliteAdapter {
      override get supportsReturning(): boolean {
        return false;
      }
    }
    class PgNoReturning extends PostgresAdapter {
      override get supportsReturning(): boolean {
        return false;
      }
    }
    const onPg = dialectOf(w.app.db) === 'postgres';
    const dialect: Dialect = onPg ? new PostgresDialect({ pool: postgresPool(w.url, { poolSize: 2 }) }) : new SqliteDialect({ database: sqliteHandleOf(w.app.db)! });
    const db = new Kysely<Database>({
      dialect: { createAdapter: () => (onPg ? new PgNoReturning() : new NoReturning()), createDriver: () => dialect.createDriver(), createIntrospector: (k) => dialect.createIntrospector(k), createQueryCompiler: () => dialect.createQueryCompiler() },
    });
    w.at('2026-12-08', 9, 30);
    const { app } = w;
    const result = await runOnce({ db, config: app.config, calendar: app.calendar, clock: app.clock, log: app.log, send: (t, m) => app.send(t, m) }, app.clock.now());
    expect(result.messages).toBe(2);
    expect(w.channel.sent.map((s) => s.target.kind === 'chat' && s.target.chatId).sort()).toEqual([GROUP, OTHER].sort());
    // Each message is keyed by its first reminder's log id, and every reminder points at its message.
    const rows = (await w.rows<{ id: number; message_key: string; n: number; linked: number }>(
      'SELECT o.id, o.message_key, count(l.id) AS n, sum(CASE WHEN l.outbox_id = o.id THEN 1 ELSE 0 END) AS linked FROM outbox o JOIN reminder_log l ON l.outbox_id = o.id GROUP BY o.id'));
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      const first = (await w.rows<{ id: number }>('SELECT min(id) AS id FROM reminder_log WHERE outbox_id = ?', r.id))[0]!.id;
      expect(r.message_key.startsWith(`remind:${first}:`)).toBe(true);
      expect(r.linked).toBe(r.n);
    }
    expect((await w.rows('SELECT id FROM reminder_log WHERE outbox_id IS NULL'))).toEqual([]);
    if (onPg) await db.destroy(); // its own pool; on SQLite it shares (and would close) the app's connection
  });
});
