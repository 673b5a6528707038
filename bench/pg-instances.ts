/**
 * `npm run bench -- --pg-instances [--units N] [--json]`: several bot instances planning and
 * delivering one province's 09:00 run on PostgreSQL (README: Running several instances).
 *
 * Builds a province (default 50,000 units under 500 upper-level units, each with a chat, a roster
 * of six, this year's 民主生活会, last year's rectification items (5 % overdue, with the daily
 * reminders they already had) and yesterday's sent digest) in a PostgreSQL database with multi-row
 * INSERTs, on `BENCH_PG_URL` (a role that may CREATE DATABASE) or an embedded PostgreSQL 17 started
 * with its durable defaults (fsync on). Then, for 1, 2 and 3 instances: each instance is its own
 * Node process with its own pool and its own ManualClock at the same instant; all have planned once
 * at 08:59 (a running bot), then at 09:00 all start at once and tick back to back until the day's
 * outbox is empty. One of them plans (advisory lock); all of them claim and deliver. Reported per
 * run: wall time from the start to the last message, the planner's planning time, reminders and
 * messages per second, and the messages sent twice (must be 0), counted from every instance's sends
 * and checked against the outbox.
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import type { Channel } from '../src/bot/channel.js';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { addDays, atLocalTime, type LocalDate } from '../src/domain/dates.js';
import { silentLogger } from '../src/log.js';
import type { ChatTarget, OutgoingMessage, SendResult } from '../src/messages.js';
import { createWorkCalendar } from '../src/scheduler/calendar.js';
import { supervisorKey } from '../src/scheduler/due.js';
import { deliverPending } from '../src/scheduler/outbox.js';
import { planOnce, type RunMemo } from '../src/scheduler/run-once.js';
import { openDatabase } from '../src/store/db.js';
import { seeded } from '../tests/helpers/random.js';
import { startEmbeddedPostgres, withDatabase } from './lib/embedded-postgres.js';
import { seedObligations } from './lib/obligations.js';
import type { BenchRow } from './lib/report.js';
import { round } from './lib/stats.js';

export const PROVINCE_UNITS = 50_000;
const ITEMS_PER_UNIT = 4;
const OVERDUE_SHARE = 0.05;
const UNITS_PER_PARENT = 100;
const TODAY: LocalDate = '2026-12-15';
const THIS_FILE = fileURLToPath(import.meta.url);

type Row = Record<string, unknown>;

/**
 * Bulk load, COPY-like: one INSERT … SELECT FROM unnest(…) per 50,000 rows, one array parameter per
 * column (typed from the table), so a province loads in seconds rather than minutes of row-by-row work.
 */
async function insertMany(pool: pg.Pool, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  const types = new Map((await pool.query<{ name: string; type: string }>(
    'SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0', [table])).rows.map((r) => [r.name, r.type]));
  const statement = `INSERT INTO ${table} (${cols.join(', ')}) SELECT * FROM unnest(${cols.map((c, i) => `$${i + 1}::${types.get(c)}[]`).join(', ')})`;
  for (let i = 0; i < rows.length; i += 50_000) {
    const part = rows.slice(i, i + 50_000);
    await pool.query(statement, cols.map((c) => part.map((r) => r[c])));
  }
}

/** Seeds the province (ids given, so rows can refer to each other); returns row counts. */
export async function seedProvince(pool: pg.Pool, units: number): Promise<Record<string, number>> {
  const rnd = seeded(20261215).next;
  const calendar = createWorkCalendar();
  const escalateAfter = loadConfig({ LOG_LEVEL: 'silent' }).ESCALATE_SUPERVISOR_DAYS;
  const at = '2026-01-05T01:00:00.000Z';
  const t: Record<string, Row[]> = { unit: [], chat: [], person: [], identity: [], membership: [], meeting: [], obligation: [], item: [], item_owner: [], reminder_log: [], outbox: [] };
  let personId = 0;
  const person = (name: string) => {
    t.person!.push({ id: ++personId, name, mobile: null, created_at: at });
    t.identity!.push({ person_id: personId, platform: 'wecom', user_id: `wx${personId}`, confirmed: 1, created_at: at });
    return personId;
  };
  const parents = Math.max(1, Math.ceil(units / UNITS_PER_PARENT));
  t.unit!.push({ id: 1, name: '省委', parent_id: null, settings: '{}', created_at: at });
  for (let p = 0; p < parents; p++) {
    const id = 2 + p;
    t.unit!.push({ id, name: `第${p + 1}市委`, parent_id: 1, settings: '{}', created_at: at });
    t.chat!.push({ channel: 'wecom', chat_id: `parent-${id}`, unit_id: id, title: `第${p + 1}市委群`, created_at: at });
    t.membership!.push({ unit_id: id, person_id: person(`督导${p + 1}`), role: 'supervisor', created_at: at });
  }
  let meetingId = 0;
  let itemId = 0;
  const yesterday = addDays(TODAY, -1);
  for (let u = 0; u < units; u++) {
    const unitId = 2 + parents + u;
    t.unit!.push({ id: unitId, name: `支部${u + 1}`, parent_id: 2 + (u % parents), settings: '{}', created_at: at });
    t.chat!.push({ channel: 'wecom', chat_id: `chat-${unitId}`, unit_id: unitId, title: `支部${u + 1}群`, created_at: at });
    const op = person(`联络员${u + 1}`);
    const principal = person(`书记${u + 1}`);
    const members = [1, 2, 3, 4].map((k) => person(`委员${u + 1}-${k}`));
    t.membership!.push({ unit_id: unitId, person_id: op, role: 'operator', created_at: at }, { unit_id: unitId, person_id: principal, role: 'principal', created_at: at });
    for (const m of members) t.membership!.push({ unit_id: unitId, person_id: m, role: 'member', created_at: at });
    const lastYear = ++meetingId;
    t.meeting!.push({ id: lastYear, unit_id: unitId, kind: 'democratic_life', date: '2025-12-26', topic: null, status: 'held', held_on: '2025-12-26', cancel_reason: null, created_at: at, updated_at: at });
    const date = addDays('2026-12-01', Math.floor(rnd() * 56));
    const held = date < TODAY;
    const current = ++meetingId;
    t.meeting!.push({ id: current, unit_id: unitId, kind: 'democratic_life', date, topic: null, status: held ? 'held' : 'scheduled', held_on: held ? date : null, cancel_reason: null, created_at: at, updated_at: at });
    const oblige = (step: string, who: number | null, due: LocalDate) => t.obligation!.push({ meeting_id: current, unit_id: unitId, step, person_id: who, due_date: due });
    seedObligations(rnd, date, TODAY, [principal, ...members], oblige);
    for (let k = 1; k <= ITEMS_PER_UNIT; k++) {
      const id = ++itemId;
      const owners = rnd() < 0.5 ? [members[k % 4]!] : [members[k % 4]!, members[(k + 1) % 4]!];
      let status = rnd() < 0.9 ? 'open' : 'extended';
      let deadline = addDays(TODAY, Math.floor(rnd() * 300));
      if (rnd() < OVERDUE_SHARE) {
        deadline = addDays(TODAY, -1 - Math.floor(rnd() * 60));
        // The daily reminders it already had, and its one escalation if it is late enough.
        for (let d = addDays(deadline, 1); d < TODAY; d = addDays(d, 1)) {
          t.reminder_log!.push({ reminder_key: `item:${id}:overdue:${d}`, unit_id: unitId, subject: `item:${id}`, remind_on: d, due_date: deadline, kind: 'overdue', outbox_id: null, person_ids: `,${owners.join(',')},`, created_at: at });
        }
        const escalatedOn = calendar.addWorkdays(deadline, escalateAfter);
        if (escalatedOn < TODAY) t.reminder_log!.push({ reminder_key: supervisorKey(`item:${id}`, deadline), unit_id: unitId, subject: `item:${id}`, remind_on: escalatedOn, due_date: deadline, kind: 'supervisor', outbox_id: null, person_ids: `,${owners.join(',')},`, created_at: at });
      } else if (rnd() < 0.4) {
        status = 'done';
        deadline = addDays('2026-02-01', Math.floor(rnd() * 300));
      }
      t.item!.push({ id, unit_id: unitId, meeting_id: lastYear, item_no: k, content: '整改台账不完整', kind: 'fixed', deadline, status, lead_unit: null, done_note: status === 'done' ? '已整改' : null, done_on: status === 'done' ? deadline : null, verified_on: null, verified_by: null, created_by: op, created_at: at, updated_at: at });
      for (const o of owners) t.item_owner!.push({ item_id: id, person_id: o });
    }
    const sentAt = atLocalTime(yesterday, 9).toISOString();
    t.outbox!.push({ message_key: `remind:${unitId}-${yesterday}:wecom:chat-${unitId}`, unit_id: unitId, channel: 'wecom', target_kind: 'chat', target_id: `chat-${unitId}`, target_name: `支部${u + 1}群`, person_id: null, text: '⏰ 待办提醒', mentions: '[]', status: 'sent', attempts: 1, next_attempt_at: sentAt, last_error: null, created_at: sentAt, sent_at: sentAt });
  }
  // A bulk load, not the app's writes: the directory-version triggers (one UPDATE per row) and the
  // foreign-key checks are off for this session, and the version is raised once at the end.
  await pool.query('SET session_replication_role = replica');
  for (const [table, rows] of Object.entries(t)) await insertMany(pool, table, rows);
  await pool.query('SET session_replication_role = DEFAULT');
  await pool.query("UPDATE store_version SET n = n + 1 WHERE name = 'directory'");
  // The ids were given: move the sequences past them, as inserts through the app would have.
  for (const table of ['unit', 'person', 'meeting', 'item']) await pool.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  await pool.query("INSERT INTO scheduler_state (name, value) VALUES ('last_run_date', $1)", [addDays(TODAY, -1)]);
  await pool.query('ANALYZE');
  return Object.fromEntries(Object.entries(t).map(([k, rows]) => [k, rows.length]));
}

// ── One instance (a child process) ──────────────────────────────────────────────────────────────

interface InstanceReport {
  id: string;
  /** Each message this instance sent: its chat and its text (which carries its reminders' numbers). */
  targets: string[];
  planned: number;
  planMs: number;
  ms: number;
}

async function runInstance(url: string, id: string): Promise<void> {
  const db = await openDatabase(url, { poolSize: 4 });
  const clock = new ManualClock(atLocalTime(TODAY, 8, 59));
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', DIGEST_WEEKDAY: '0', INSTANCE_ID: id });
  const targets: string[] = [];
  const channel: Pick<Channel, 'name'> = { name: 'wecom' };
  const send = async (target: ChatTarget, message: OutgoingMessage): Promise<SendResult> => {
    targets.push(`${channel.name}:${target.kind === 'chat' ? target.chatId : target.userId}:${message.text}`);
    return { ok: true };
  };
  const deps = { db, config, calendar: createWorkCalendar(), clock, log: silentLogger, send };
  const memo: RunMemo = {};
  await planOnce(deps, clock.now(), memo); // a running bot: it planned at 08:59 (nothing due yet)
  const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
  out({ ready: id });
  const input = readline.createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => input.once('line', () => resolve()));
  input.close(); // nothing more comes: the process ends once its work is done
  clock.set(atLocalTime(TODAY, 9, 0));
  const t0 = performance.now();
  let planned = 0;
  let planMs = 0;
  for (;;) {
    const p0 = performance.now();
    const plan = await planOnce(deps, clock.now(), memo);
    if (plan.messages > 0) {
      planned += plan.planned;
      planMs = performance.now() - p0;
    }
    const d = await deliverPending(deps);
    if (d.sent === 0) {
      // Done once the day is planned (by any instance) and nothing is left to send.
      const state = await db.selectFrom('scheduler_state').select('value').where('name', '=', 'last_plan').executeTakeFirst();
      const pending = await db.selectFrom('outbox').select('id').where('status', '=', 'pending').limit(1).execute();
      if (state?.value.includes('"hoursReached":1') && pending.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  out({ id, targets, planned, planMs, ms: performance.now() - t0 } satisfies InstanceReport);
  await db.destroy();
}

// ── The runs ────────────────────────────────────────────────────────────────────────────────────

/** Starts `n` instances, lets them go at once, and returns their reports and the wall time from the go to the last report. */
async function raceOnce(url: string, n: number): Promise<{ reports: InstanceReport[]; wall: number }> {
  const children = Array.from({ length: n }, (_, i) => spawn(process.execPath, ['--import', 'tsx', THIS_FILE, '--instance', url, `bench-${i + 1}`], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const lines = children.map((c) => readline.createInterface({ input: c.stdout! })[Symbol.asyncIterator]());
  const next = async (k: number) => JSON.parse(((await lines[k]!.next()).value as string | undefined) ?? 'null') as Record<string, unknown> | null;
  for (let k = 0; k < n; k++) if (!(await next(k))?.ready) throw new Error(`instance ${k + 1} did not start`);
  const started = performance.now();
  for (const c of children) c.stdin!.write('go\n');
  const reports = (await Promise.all(children.map((_, k) => next(k)))) as unknown as InstanceReport[];
  const wall = performance.now() - started;
  await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(undefined) : c.once('exit', resolve)))));
  return { reports, wall };
}

export async function pgInstancesMeasures(units: number, note: (line: string) => void): Promise<BenchRow[]> {
  const given = process.env.BENCH_PG_URL?.trim();
  const server = given ? { adminUrl: given, stop: async () => {} } : await startEmbeddedPostgres({ flags: ['-c', 'max_connections=400'] });
  const name = `shh_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: server.adminUrl });
  // The server stopping at the end ends this connection: not an error of the bench.
  admin.on('error', (err) => note(`admin connection: ${err.message}`));
  await admin.connect();
  const rows: BenchRow[] = [];
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = withDatabase(server.adminUrl, name);
    const db = await openDatabase(url, { poolSize: 2 }); // migrated by the app's own migrations
    const t0 = performance.now();
    const loader = new pg.Pool({ connectionString: url, max: 1 });
    const counts = await seedProvince(loader, units).finally(() => loader.end());
    note(`province built in ${Math.round(performance.now() - t0)} ms: ${JSON.stringify(counts)}`);
    const mark = async (table: 'outbox' | 'reminder_log') => Number((await db.selectFrom(table).select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id ?? 0);
    const outboxMark = await mark('outbox');
    const logMark = await mark('reminder_log');
    for (const n of [1, 2, 3]) {
      // Every run starts from the same store: the day not yet planned.
      await db.deleteFrom('outbox').where('id', '>', outboxMark).execute();
      await db.deleteFrom('reminder_log').where('id', '>', logMark).execute();
      await db.deleteFrom('scheduler_state').where('name', '=', 'last_plan').execute();
      await db.updateTable('scheduler_state').set({ value: addDays(TODAY, -1) }).where('name', '=', 'last_run_date').execute();
      await sql`VACUUM ANALYZE outbox`.execute(db);
      const { reports, wall } = await raceOnce(url, n);
      const targets = reports.flatMap((r) => r.targets);
      const twice = targets.length - new Set(targets).size;
      const outbox = await db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('id', '>', outboxMark).groupBy('status').execute();
      const sentRows = outbox.find((r) => r.status === 'sent')?.n ?? 0;
      const unsent = outbox.filter((r) => r.status !== 'sent').reduce((s, r) => s + Number(r.n), 0);
      const planned = reports.reduce((s, r) => s + r.planned, 0);
      const planner = reports.find((r) => r.planned > 0);
      if (twice !== 0 || unsent !== 0 || Number(sentRows) !== targets.length) {
        throw new Error(`${n} instances: ${twice} messages sent twice, ${unsent} not sent, ${sentRows} rows sent vs ${targets.length} sends`);
      }
      note(`${n} instance(s): ${planned} reminders in ${targets.length} messages; sent by ${reports.map((r) => `${r.id} ${r.targets.length}`).join(', ')}; planning ${Math.round(planner?.planMs ?? 0)} ms`);
      rows.push({
        measure: `pg_province_0900_${n}_instance${n > 1 ? 's' : ''}`,
        p50_ms: round(wall, 0),
        plan_ms: round(planner?.planMs ?? 0, 0),
        units,
        reminders: planned,
        messages: targets.length,
        reminders_per_s: round(planned / (wall / 1000), 0),
        messages_per_s: round(targets.length / (wall / 1000), 0),
        sent_twice: twice,
      });
    }
    await db.destroy();
  } catch (err) {
    note(`pg-instances bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    throw err;
  } finally {
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end();
      await server.stop();
    }
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--instance');
  if (i !== -1) await runInstance(process.argv[i + 1]!, process.argv[i + 2]!);
}
