/**
 * The scheduler benchmark of bench/scheduler.ts on PostgreSQL: the same district store (3,000 units,
 * 60,000 items, the reminder history), seeded in SQLite by bench/scheduler.ts's own `--build` and
 * copied into the (empty) PostgreSQL database given with `shenghuohui db migrate-from`, then measured
 * in this fresh process with the same samples: `scheduler_due_query_pg` (the hand-written due-rows
 * query as a named prepared statement through node-postgres, the floor), `scheduler_run_pg` (one
 * planning run, sampled in alternating blocks with the query) and `scheduler_run_once_pg` (the
 * 09:00 run: plan, write and deliver to a no-op channel; reset after each sample).
 *
 * Usage (bench/pg.ts runs it): node --expose-gc --import tsx bench/pg-scheduler.ts <postgres url>
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { createWorkCalendar } from '../src/scheduler/calendar.js';
import { planReminders, runOnce } from '../src/scheduler/run-once.js';
import { openDatabase } from '../src/store/db.js';
import { migrateFromCli } from './pg.js';
import { DUE_FILTER, DUE_ROWS_SQL, FULL_RUNS, NOW, PLAN_RUNS, THIS_FILE, time, timeInBlocks, TODAY, type Measure } from './scheduler.js';
import { round } from './lib/stats.js';

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the query has no quoted `?`). */
const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

async function measure(url: string, note: (line: string) => void): Promise<Measure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'shh-bench-pg-'));
  const file = join(dir, 'district.db');
  try {
    execFileSync(process.execPath, ['--import', 'tsx', THIS_FILE, '--build', file], { stdio: ['ignore', 'ignore', 'inherit'] });
    const copyMs = migrateFromCli(file, url);
    note(`copied the scheduler store into PostgreSQL in ${(copyMs / 1000).toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const db = await openDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' });
    const clock = new ManualClock(NOW);
    const deps = { db, config, calendar: createWorkCalendar(), clock, log: silentLogger, send: async () => ({ ok: true as const }) };
    const text = numbered(DUE_ROWS_SQL(DUE_FILTER.on.length));
    const params = [DUE_FILTER.before, ...DUE_FILTER.on];
    let dueRows = 0;
    let planned = 0;
    const [floor, plan] = await timeInBlocks(PLAN_RUNS, async () => {
      dueRows = (await client.query({ name: 'due-rows', text, values: [...params, ...params] })).rows.length;
    }, async () => {
      planned = (await planReminders(deps, NOW)).reminders.length;
    });
    note(`due rows ${dueRows}; planned ${planned} reminders`);

    const mark = async (t: 'reminder_log' | 'outbox') => Number((await client.query(`SELECT coalesce(max(id), 0) AS id FROM ${t}`)).rows[0].id);
    const logMark = await mark('reminder_log');
    const outboxMark = await mark('outbox');
    const reset = async () => {
      await client.query('DELETE FROM reminder_log WHERE id > $1', [logMark]);
      await client.query('DELETE FROM outbox WHERE id > $1', [outboxMark]);
      await client.query("UPDATE scheduler_state SET value = $1 WHERE name = 'last_run_date'", [TODAY]);
    };
    let written = 0;
    const full = await time(FULL_RUNS, async () => {
      written = (await runOnce(deps, NOW)).messages;
    }, reset);
    note(`runOnce wrote ${written} outbox rows per run`);
    return [
      { measure: 'scheduler_due_query_pg', p50_ms: floor.p50, p99_ms: floor.p99 },
      { measure: 'scheduler_run_pg', p50_ms: plan.p50, p99_ms: plan.p99, floor_ms: floor.p99, ratio: round(plan.p99 / floor.p99, 2) },
      { measure: 'scheduler_run_once_pg', p50_ms: full.p50, p99_ms: full.p99, floor_ms: floor.p99, ratio: round(full.p99 / floor.p99, 2) },
    ];
  } finally {
    await client.end();
    await db.destroy();
  }
}

const url = process.argv[2];
if (!url) throw new Error('usage: pg-scheduler.ts <postgres url of an empty database>');
for (const m of await measure(url, (l) => process.stderr.write(`scheduler bench (PostgreSQL): ${l}\n`))) process.stdout.write(`${JSON.stringify({ ...m, store: 'postgres' })}\n`);
