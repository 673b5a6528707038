/**
 * Scheduler benchmark at district scale: 3,000 units (each with a chat, a roster of six and this
 * year's 民主生活会), 60,000 rectification items from last year's meetings (5 % overdue), and the
 * history a running bot accumulates (reminder log, sent outbox rows).
 *
 * Measures, p50/p99 over PLAN_RUNS samples for the query and the plan, RUNS for the idle tick and
 * FULL_RUNS for the full 09:00 run (which takes ~1 s each), after a warm-up:
 * - `scheduler_due_query`: the hand-written floor — one raw better-sqlite3 prepared statement that
 *   selects the same due rows as the scheduler's query;
 * - `scheduler_run`: one planning run (`planReminders`: the query, the rules, the look-ups, the
 *   composed digests), with `floor_ms` = the query's p99 and `ratio` = p99 / floor_ms; the two are
 *   sampled in alternating blocks so that both see the same machine (see {@link timeInBlocks});
 * - `scheduler_run_once`: the 09:00 run of the day (`runOnce` with a no-op channel: plan, write every
 *   reminder and outbox row in one transaction, deliver them all); state is reset between runs;
 * - `scheduler_tick_idle`: the every-minute tick after that, as the scheduler runs it: nothing has
 *   changed since its last plan, so it only looks for outbox rows due;
 * - `rss_mb`: resident memory of the process holding the store (p50 = store opened, p99 = peak during the runs).
 *
 * The store is seeded in a child process and measured in a fresh one (as bench/run.ts does: a process
 * that just inserted 300,000 rows is slower and larger than a serving bot), and `schedulerMeasures()`
 * runs that fresh process, so the figures never include the caller's own heap.
 *
 * Run alone: `node --expose-gc --import tsx bench/scheduler.ts` (prints JSON lines; notes on stderr).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { addDays, atLocalTime, type LocalDate } from '../src/domain/dates.js';
import { silentLogger } from '../src/log.js';
import { createWorkCalendar } from '../src/scheduler/calendar.js';
import { deadlinesRemindedOn, supervisorKey } from '../src/scheduler/due.js';
import { planReminders, runOnce, type RunMemo } from '../src/scheduler/run-once.js';
import { checkpoint, migrate, openDatabase, sqliteHandleOf, type Db } from '../src/store/db.js';
import type { Database } from '../src/store/schema.js';
import { seeded } from '../tests/helpers/random.js';
import { seedObligations } from './lib/obligations.js';
import { percentile, round as roundTo } from './lib/stats.js';

/** One JSON line of output (a type alias, so it fits bench/lib/report.ts's `BenchRow`). */
export type Measure = {
  measure: string;
  p50_ms: number;
  p99_ms: number;
  floor_ms?: number;
  ratio?: number;
};

export const UNITS = 3000;
export const ITEMS = 60_000;
const OVERDUE_SHARE = 0.05;
/**
 * Samples of the query and of the plan: with 300, p99 is the third-worst of each. With 100 it was the
 * second-worst, and one stall of this VM more or less moved the ratio by ±0.3 between runs.
 */
export const PLAN_RUNS = 300;
/** Samples of the idle tick (with 25 samples p99 would be the worst). */
export const RUNS = 100;
export const FULL_RUNS = 25;
const WARMUP = 3;
export const TODAY: LocalDate = '2026-12-15';
export const NOW = atLocalTime(TODAY, 9, 0);
/**
 * What the 09:00 run reads (run-once.ts): the day before is logged, so only today is planned; every
 * unit has the default advance window (3 working days). Due rows are those overdue by today or due
 * on a date whose due-day or advance reminder is today.
 */
export const DUE_FILTER = { before: TODAY, on: deadlinesRemindedOn([TODAY], [3], createWorkCalendar()) };

const CONTENTS = ['学习制度执行不严', '三会一课记录不规范', '谈心谈话不够经常', '联系群众不够深入', '整改台账不完整', '党员活动室建设滞后'];

/** Seeds the district with raw prepared statements in one transaction. Returns row counts. */
export function seedDistrict(sql: SQLite.Database): Record<string, number> {
  const rnd = seeded(20261215).next; // the tests' seeded PRNG: every run seeds the same district
  const calendar = createWorkCalendar();
  const escalateAfter = loadConfig({ LOG_LEVEL: 'silent' }).ESCALATE_SUPERVISOR_DAYS;
  const at = '2026-01-05T01:00:00.000Z';
  const ins = {
    unit: sql.prepare('INSERT INTO unit (id, name, parent_id, settings, created_at) VALUES (?, ?, ?, ?, ?)'),
    chat: sql.prepare('INSERT INTO chat (channel, chat_id, unit_id, title, created_at) VALUES (?, ?, ?, ?, ?)'),
    person: sql.prepare('INSERT INTO person (id, name, mobile, created_at) VALUES (?, ?, NULL, ?)'),
    identity: sql.prepare('INSERT INTO identity (person_id, platform, user_id, confirmed, created_at) VALUES (?, ?, ?, 1, ?)'),
    membership: sql.prepare('INSERT INTO membership (unit_id, person_id, role, created_at) VALUES (?, ?, ?, ?)'),
    meeting: sql.prepare('INSERT INTO meeting (id, unit_id, kind, date, topic, status, held_on, cancel_reason, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?, NULL, ?, ?)'),
    obligation: sql.prepare('INSERT INTO obligation (meeting_id, unit_id, step, person_id, due_date) VALUES (?, ?, ?, ?, ?)'),
    item: sql.prepare('INSERT INTO item (id, unit_id, meeting_id, item_no, content, kind, deadline, status, lead_unit, done_note, done_on, verified_on, verified_by, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, NULL, ?, ?, ?)'),
    owner: sql.prepare('INSERT INTO item_owner (item_id, person_id) VALUES (?, ?)'),
    log: sql.prepare('INSERT INTO reminder_log (reminder_key, unit_id, subject, remind_on, due_date, kind, outbox_id, person_ids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    outbox: sql.prepare("INSERT INTO outbox (message_key, unit_id, channel, target_kind, target_id, target_name, person_id, text, mentions, status, attempts, next_attempt_at, last_error, created_at, sent_at) VALUES (?, ?, 'wecom', 'chat', ?, ?, NULL, ?, '[]', 'sent', 1, ?, NULL, ?, ?)"),
    state: sql.prepare("INSERT INTO scheduler_state (name, value) VALUES ('last_run_date', ?)"),
  };
  const n: Record<string, number> = {};
  const count = (k: string, by = 1) => (n[k] = (n[k] ?? 0) + by);
  const PARENTS = 30;
  let personId = 0;
  const person = (name: string) => {
    ins.person.run(++personId, name, at);
    ins.identity.run(personId, 'wecom', `wx${personId}`, at);
    count('person');
    return personId;
  };
  sql.transaction(() => {
    ins.unit.run(1, '区委', null, '{}', at);
    for (let p = 0; p < PARENTS; p++) {
      const id = 2 + p;
      ins.unit.run(id, `第${p + 1}党委`, 1, '{}', at);
      ins.chat.run('wecom', `parent-${id}`, id, `第${p + 1}党委群`, at);
      ins.membership.run(id, person(`督导${p + 1}`), 'supervisor', at);
    }
    let meetingId = 0;
    let itemId = 0;
    let logId = 0;
    const itemsPerUnit = ITEMS / UNITS;
    for (let u = 0; u < UNITS; u++) {
      const unitId = 2 + PARENTS + u;
      ins.unit.run(unitId, `支部${u + 1}`, 2 + (u % PARENTS), '{}', at);
      ins.chat.run('wecom', `chat-${unitId}`, unitId, `支部${u + 1}群`, at);
      count('unit');
      const op = person(`联络员${u + 1}`);
      const principal = person(`书记${u + 1}`);
      const members = [1, 2, 3, 4].map((k) => person(`委员${u + 1}-${k}`));
      ins.membership.run(unitId, op, 'operator', at);
      ins.membership.run(unitId, principal, 'principal', at);
      for (const m of members) ins.membership.run(unitId, m, 'member', at);

      // Last year's meeting (held) owns the items; this year's is being prepared or was just held.
      const lastYear = ++meetingId;
      ins.meeting.run(lastYear, unitId, 'democratic_life', '2025-12-26', 'held', '2025-12-26', at, at);
      const date = addDays('2026-12-01', Math.floor(rnd() * 56)); // 12-01 … 01-25
      const held = date < TODAY;
      const current = ++meetingId;
      ins.meeting.run(current, unitId, 'democratic_life', date, held ? 'held' : 'scheduled', held ? date : null, at, at);
      count('meeting', 2);
      const oblige = (step: string, who: number | null, due: LocalDate) => {
        ins.obligation.run(current, unitId, step, who, due);
        count('obligation');
      };
      seedObligations(rnd, date, TODAY, [principal, ...members], oblige);

      for (let k = 1; k <= itemsPerUnit; k++) {
        const r = rnd();
        const id = ++itemId;
        const owners = rnd() < 0.5 ? [members[k % 4]!] : [members[k % 4]!, members[(k + 1) % 4]!];
        let status: string;
        let deadline: LocalDate;
        if (r < OVERDUE_SHARE) {
          status = rnd() < 0.8 ? 'open' : 'extended';
          deadline = addDays(TODAY, -1 - Math.floor(rnd() * 60));
          // The reminders this overdue item already had (one per day since it fell due), and the
          // supervisor's one escalation, on the working day it was ESCALATE_SUPERVISOR_DAYS late.
          for (let d = addDays(deadline, 1); d < TODAY; d = addDays(d, 1)) {
            ins.log.run(`item:${id}:overdue:${d}`, unitId, `item:${id}`, d, deadline, 'overdue', null, `,${owners.join(',')},`, at);
            logId++;
          }
          const escalatedOn = calendar.addWorkdays(deadline, escalateAfter);
          if (escalatedOn < TODAY) {
            ins.log.run(supervisorKey(`item:${id}`, deadline), unitId, `item:${id}`, escalatedOn, deadline, 'supervisor', null, `,${owners.join(',')},`, at);
            logId++;
            count('escalated');
          }
          count('item_overdue');
        } else if (r < 0.6) {
          status = 'done';
          deadline = addDays('2026-02-01', Math.floor(rnd() * 300));
        } else {
          status = rnd() < 0.9 ? 'open' : 'extended';
          deadline = addDays(TODAY, Math.floor(rnd() * 300));
        }
        ins.item.run(id, unitId, lastYear, k, CONTENTS[k % CONTENTS.length]!, 'fixed', deadline, status, status === 'done' ? '已整改' : null, status === 'done' ? deadline : null, op, at, at);
        for (const o of owners) ins.owner.run(id, o);
        count('item');
        count('item_owner', owners.length);
      }
      // One sent digest per working day of the last four weeks.
      for (let back = 28; back >= 1; back--) {
        const d = addDays(TODAY, -back);
        const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
        if (wd === 0 || wd === 6) continue;
        const sentAt = atLocalTime(d, 9).toISOString();
        ins.outbox.run(`remind:${unitId}-${d}:wecom:chat-${unitId}`, unitId, `chat-${unitId}`, `支部${u + 1}群`, `⏰ 支部${u + 1} 待办提醒`, sentAt, sentAt, sentAt);
        count('outbox');
      }
    }
    n.reminder_log = logId;
    ins.state.run(TODAY);
  })();
  return n;
}


const round = (x: number) => roundTo(x, 2);

type Percentiles = { p50: number; p99: number };

export async function time(runs: number, fn: () => unknown, between?: () => unknown): Promise<Percentiles> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i >= WARMUP) samples.push(ms);
    await between?.();
  }
  return { p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)) };
}

/**
 * The floor and the plan in alternating blocks of {@link BLOCK} samples, so that both see the same
 * machine: on this VM its speed drifts by half within a minute (measured one after the other, a plan
 * once came out faster than the bare query it contains). A full collection between blocks, outside
 * the timing (with `--expose-gc`, which {@link schedulerMeasures} passes), keeps either from paying
 * for the other's garbage: sampled in strict turns without it, a quarter of the query's samples
 * absorbed a collection caused by the plan (up to 23 ms). Within a block each pays for the
 * collections its own garbage causes, as it would in a bot that has been running (a block's first
 * sample starts from a settled heap).
 */
export async function timeInBlocks(runs: number, floor: () => unknown, plan: () => unknown): Promise<[Percentiles, Percentiles]> {
  const samples: [number[], number[]] = [[], []];
  for (let done = -WARMUP; done < runs; done += BLOCK) {
    for (const [k, fn] of [floor, plan].entries()) {
      settle();
      for (let i = 0; i < BLOCK; i++) {
        const t0 = process.hrtime.bigint();
        await fn();
        if (done + i >= 0 && done + i < runs) samples[k]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
  }
  const of = (xs: number[]) => ({ p50: round(percentile(xs, 50)), p99: round(percentile(xs, 99)) });
  return [of(samples[0]), of(samples[1])];
}

const BLOCK = 10;

/** A full garbage collection when the process runs with `--expose-gc`; nothing otherwise. */
const settle = (): void => (globalThis as { gc?: () => void }).gc?.();

/**
 * The hand-written floor: one prepared statement selecting the same due rows as the scheduler's
 * query (`loadDueRows`) — the same joins, columns and WHERE (overdue, or due on one of the dates in
 * DUE_FILTER.on) — so `ratio` compares the scheduler's whole planning run with that query alone.
 */
export const DUE_ROWS_SQL = (dates: number) => {
  const on = Array(dates).fill('?').join(', ');
  return `
  SELECT o.meeting_id AS refId, o.unit_id AS unitId, o.step, o.person_id AS personId,
         o.due_date AS due, NULL AS itemNo, NULL AS content, m.kind
    FROM obligation o JOIN meeting m ON m.id = o.meeting_id
   WHERE (o.due_date < ? OR o.due_date IN (${on}))
  UNION ALL
  SELECT i.id, i.unit_id, NULL, io.person_id, i.deadline, i.item_no, i.content, NULL
    FROM item i JOIN item_owner io ON io.item_id = i.id
   WHERE i.status IN ('open', 'extended') AND (i.deadline < ? OR i.deadline IN (${on}))`;
};

export const THIS_FILE = fileURLToPath(import.meta.url);

/** Creates and seeds the store file (run in its own process by {@link measureHere}). */
async function buildStore(file: string): Promise<void> {
  const sql = new SQLite(file);
  sql.pragma('journal_mode = WAL');
  const db: Db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sql }) });
  await migrate(db);
  const t0 = process.hrtime.bigint();
  const counts = seedDistrict(sql);
  sql.exec('ANALYZE');
  process.stderr.write(`scheduler bench: seeded in ${Math.round(Number(process.hrtime.bigint() - t0) / 1e6)} ms: ${JSON.stringify(counts)}\n`);
  await db.destroy();
}

/** Every scheduler measure, taken in a fresh process (see the file comment). */
export async function schedulerMeasures(): Promise<Measure[]> {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', THIS_FILE], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 20 });
  return out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Measure);
}

/** Builds the store in a child process, then measures it in this one. */
async function measureHere(note: (line: string) => void): Promise<Measure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'shh-bench-'));
  const file = join(dir, 'district.db');
  execFileSync(process.execPath, ['--import', 'tsx', THIS_FILE, '--build', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  // Opened as the bot opens its store (WAL, cache, mmap, statement cache; src/store/db.ts).
  const db = await openDatabase(file);
  const sql = sqliteHandleOf(db)!;
  let peakRss = 0;
  const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
  try {
    const rssOpened = process.memoryUsage().rss;
    sampleRss();

    const config = loadConfig({ DATABASE_URL: file, LOG_LEVEL: 'silent' });
    const calendar = createWorkCalendar();
    const clock = new ManualClock(NOW);
    const deps = { db, config, calendar, clock, log: silentLogger, send: async () => ({ ok: true }) };

    const due = sql.prepare(DUE_ROWS_SQL(DUE_FILTER.on.length));
    const params = [DUE_FILTER.before, ...DUE_FILTER.on];
    let dueRows = 0;
    let planned = 0;
    let digests = 0;
    const [floor, plan] = await timeInBlocks(PLAN_RUNS, () => {
      dueRows = due.all(...params, ...params).length;
      sampleRss();
    }, async () => {
      const p = await planReminders(deps, NOW);
      planned = p.reminders.length;
      digests = p.messages.length;
      sampleRss();
    });
    note(`due rows ${dueRows}; planned ${planned} reminders in ${digests} digests`);

    // The 09:00 run, reset after each sample so that every sample does the day's full work.
    const mark = (t: 'reminder_log' | 'outbox') => (sql.prepare(`SELECT coalesce(max(id), 0) AS id FROM ${t}`).get() as { id: number }).id;
    const logMark = mark('reminder_log');
    const outboxMark = mark('outbox');
    const reset = () => {
      sql.prepare('DELETE FROM reminder_log WHERE id > ?').run(logMark);
      sql.prepare('DELETE FROM outbox WHERE id > ?').run(outboxMark);
      sql.prepare("UPDATE scheduler_state SET value = ? WHERE name = 'last_run_date'").run(TODAY);
      checkpoint(db); // as the scheduler's minute tick does (src/scheduler/cron.ts)
    };
    let written = 0;
    const full = await time(FULL_RUNS, async () => {
      const r = await runOnce(deps, NOW);
      written = r.messages;
      sampleRss();
    }, reset);
    note(`runOnce wrote ${written} outbox rows per run`);

    // Every minute after, as the scheduler ticks: nothing has changed, so nothing is planned; the outbox is checked.
    const memo: RunMemo = {};
    await runOnce(deps, NOW, memo);
    const idle = await time(RUNS, async () => {
      clock.advance(60_000);
      await runOnce(deps, clock.now(), memo);
      sampleRss();
    });

    return [
      { measure: 'scheduler_due_query', p50_ms: floor.p50, p99_ms: floor.p99 },
      { measure: 'scheduler_run', p50_ms: plan.p50, p99_ms: plan.p99, floor_ms: floor.p99, ratio: round(plan.p99 / floor.p99) },
      { measure: 'scheduler_run_once', p50_ms: full.p50, p99_ms: full.p99, floor_ms: floor.p99, ratio: round(full.p99 / floor.p99) },
      { measure: 'scheduler_tick_idle', p50_ms: idle.p50, p99_ms: idle.p99 },
      { measure: 'rss_mb', p50_ms: round(rssOpened / 2 ** 20), p99_ms: round(peakRss / 2 ** 20) },
    ];
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const build = process.argv.indexOf('--build');
  if (build !== -1) await buildStore(process.argv[build + 1] ?? '');
  else for (const m of await measureHere((l) => process.stderr.write(`scheduler bench: ${l}\n`))) process.stdout.write(`${JSON.stringify(m)}\n`);
}
