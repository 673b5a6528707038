import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp, type App } from '../../src/app.js';
import type { Channel } from '../../src/bot/channel.js';
import { ManualClock, type Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { addDays, atLocalTime, toLocalDate, type LocalDate } from '../../src/domain/dates.js';
import type { Logger } from '../../src/log.js';
import type { ChatTarget, OutgoingMessage, SendResult } from '../../src/messages.js';
import { createScheduler, type Scheduler } from '../../src/scheduler/cron.js';
import type { RunResult } from '../../src/scheduler/run-once.js';
import { openDatabase } from '../../src/store/db.js';
import { freshPgStore, onPostgres } from '../helpers/pg.js';
import { query, testStore } from '../helpers/store.js';

/**
 * The scheduler's test world: the real app (real SQL, real commands, real scheduler with cron off),
 * a ManualClock, a recording channel that can be told to fail, and pino output collected as JSON.
 *
 * @example
 * const w = await startWorld({ at: ['2026-12-01', 9] });
 * await w.must('联络员', '党办群', '/单位 设置 测试支部', '已绑定');
 * w.at('2026-12-08', 9); await w.tick();
 * expect(w.channel.sent).toHaveLength(1);
 */

// ── Calendar facts, independent of the code under test ─────────────────────────────────────────
// From the State Council notices (2025: 国办发明电〔2024〕12号; 2026: 国办发明电〔2025〕7号), as
// listed in node_modules/chinese-days/dist/chinese-days.json (checked in calendar facts test below).
export const HOLIDAYS = new Set([
  '2025-01-01', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04',
  '2025-04-04', '2025-04-05', '2025-04-06', '2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05',
  '2025-05-31', '2025-06-01', '2025-06-02', '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05',
  '2025-10-06', '2025-10-07', '2025-10-08',
  '2026-01-01', '2026-01-02', '2026-01-03',
  '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
  '2026-04-04', '2026-04-05', '2026-04-06', '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05',
  '2026-06-19', '2026-06-20', '2026-06-21', '2026-09-25', '2026-09-26', '2026-09-27',
  '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
  // 2027 is not in the package yet: the fixed-date holidays of the fallback.
  '2027-01-01',
]);
export const MAKEUP_WORKDAYS = new Set([
  '2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11',
  '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10',
]);

const weekdayUtc = (date: LocalDate) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** Mon–Fri unless a listed holiday; Sat/Sun only when a listed make-up working day. */
export function isWorkday(date: LocalDate): boolean {
  if (HOLIDAYS.has(date)) return false;
  if (MAKEUP_WORKDAYS.has(date)) return true;
  const w = weekdayUtc(date);
  return w >= 1 && w <= 5;
}

export function workdayOnOrBefore(date: LocalDate): LocalDate {
  let d = date;
  while (!isWorkday(d)) d = addDays(d, -1);
  return d;
}

/** The n-th working day before `date` (not counting `date` itself). */
export function workdaysBefore(date: LocalDate, n: number): LocalDate {
  let d = date;
  for (let left = n; left > 0; left--) {
    d = addDays(d, -1);
    while (!isWorkday(d)) d = addDays(d, -1);
  }
  return d;
}

export function nextWorkday(date: LocalDate): LocalDate {
  let d = addDays(date, 1);
  while (!isWorkday(d)) d = addDays(d, 1);
  return d;
}

/** Working days in (from, to]. */
export function workdaysAfter(from: LocalDate, to: LocalDate): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkday(d)) n++;
  return n;
}

export function daysFrom(from: LocalDate, to: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

// ── A channel that records, and fails when told to ──────────────────────────────────────────────
export type Behaviour = SendResult | { throws: string } | { wait: Promise<SendResult> };

export interface Sent {
  at: Date;
  day: LocalDate;
  target: ChatTarget;
  message: OutgoingMessage;
}

export interface Attempt extends Sent {
  outcome: 'ok' | 'failed' | 'threw';
}

export class RecordingChannel implements Channel {
  readonly caps = { canReceive: false, markdown: false, maxLength: 100_000 };
  readonly sent: Sent[] = [];
  readonly attempts: Attempt[] = [];
  /** What a send does when nothing is queued with {@link next}. */
  otherwise: Behaviour = { ok: true };
  /** Per-target behaviour, consulted first (e.g. one chat failing while others work). */
  behaviourFor: ((target: ChatTarget) => Behaviour | undefined) | undefined;
  private readonly queue: Behaviour[] = [];
  private waiters: Array<() => void> = [];

  constructor(
    private readonly clock: Clock,
    readonly name = 'console',
  ) {}

  /** Queues what the next sends do, in order. */
  next(...behaviours: Behaviour[]): this {
    this.queue.push(...behaviours);
    return this;
  }

  /** Resolves when the next send begins (to act while a send is in flight). */
  sending(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async send(target: ChatTarget, message: OutgoingMessage): Promise<SendResult> {
    const at = this.clock.now();
    const record: Sent = { at, day: toLocalDate(at), target, message };
    const b = this.behaviourFor?.(target) ?? this.queue.shift() ?? this.otherwise;
    for (const wake of this.waiters.splice(0)) wake();
    if ('throws' in b) {
      this.attempts.push({ ...record, outcome: 'threw' });
      throw new Error(b.throws);
    }
    const res = 'wait' in b ? await b.wait : b;
    this.attempts.push({ ...record, outcome: res.ok ? 'ok' : 'failed' });
    if (res.ok) this.sent.push(record);
    return res;
  }
}

// ── The world ────────────────────────────────────────────────────────────────────────────────────
export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export interface World {
  app: App;
  clock: ManualClock;
  channel: RecordingChannel;
  scheduler: Scheduler;
  /** DATABASE_URL of the same store (`:memory:` on SQLite in memory). */
  url: string;
  /** Runs a raw SQL statement on the store (`?` placeholders, portable across both dialects). */
  exec(sql: string, ...params: unknown[]): Promise<void>;
  logs: LogLine[];
  /** One message from `who` in group `chat`; returns the reply texts joined. */
  say(who: string, chat: string, text: string): Promise<string>;
  /** Like {@link say}, but fails the test unless the reply contains `expected`. */
  must(who: string, chat: string, text: string, expected: string): Promise<string>;
  /** Moves the clock to `date hour:minute` Asia/Shanghai. */
  at(date: LocalDate, hour?: number, minute?: number): void;
  tick(): Promise<RunResult | undefined>;
  /** Rows of a raw SQL query on the store (`?` placeholders, portable across both dialects). */
  rows<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T[]>;
  /** Stops the app (closes the store). */
  stop(): Promise<void>;
}

export interface WorldOptions {
  at: [LocalDate, number?, number?];
  /** A store's DATABASE_URL (for restarts: {@link tempStore}); default a fresh store of the project's dialect. */
  url?: string;
  env?: Record<string, string>;
  clock?: ManualClock;
  channel?: RecordingChannel;
  logs?: LogLine[];
}

let msgSeq = 0;

function collectingLogger(lines: LogLine[]): Logger {
  return pino({ level: 'info', base: undefined }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
}

export async function startWorld(opts: WorldOptions): Promise<World> {
  const [date, hour = 9, minute = 0] = opts.at;
  const clock = opts.clock ?? new ManualClock(atLocalTime(date, hour, minute));
  if (opts.clock) clock.set(atLocalTime(date, hour, minute));
  const { db, url } = opts.url ? { db: await openDatabase(opts.url), url: opts.url } : await testStore();
  const logs = opts.logs ?? [];
  const log = collectingLogger(logs);
  const channel = opts.channel ?? new RecordingChannel(clock);
  const app = await createApp({ config: loadConfig({ DATABASE_URL: url, DIGEST_WEEKDAY: '0', ...opts.env }), clock, log, db, channels: [channel] });
  const scheduler = createScheduler(app, { cron: false });
  const say = async (who: string, chat: string, text: string): Promise<string> => {
    const deliveries = await app.handle({
      channel: channel.name, msgId: `t${++msgSeq}`, chatType: 'group', chatId: chat, chatTitle: chat, senderId: who, senderName: who, text,
    });
    return deliveries.map((d) => d.message.text).join('\n');
  };
  return {
    app, clock, channel, scheduler, url, logs, say,
    exec: async (text, ...params) => void (await query(db, text, ...params)),
    async must(who, chat, text, expected) {
      const reply = await say(who, chat, text);
      if (!reply.includes(expected)) throw new Error(`${who}@${chat}: ${text}\nexpected a reply containing ${JSON.stringify(expected)}, got:\n${reply}`);
      return reply;
    },
    at: (d, h = 9, m = 0) => clock.set(atLocalTime(d, h, m)),
    tick: () => scheduler.tick(),
    rows: <T,>(text: string, ...params: unknown[]) => query<T>(db, text, ...params),
    stop: async () => {
      scheduler.stop();
      await app.stop();
    },
  };
}

/**
 * A store that outlives one process, for restarts: a SQLite file in a fresh temp directory, or a
 * fresh PostgreSQL database in the `postgres` project. `url` is its DATABASE_URL; `cleanup` removes it.
 */
export async function tempStore(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (onPostgres()) {
    const store = await freshPgStore();
    await store.db.destroy();
    return { url: store.url, cleanup: () => store.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'shh-sched-'));
  return { url: join(dir, 'store.db'), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

// ── Reading what was sent ───────────────────────────────────────────────────────────────────────
export interface SentLine {
  /** The day the message went out. */
  day: LocalDate;
  chat: string;
  /** The reminder's number (its reminder_log id). */
  no: number;
  /** What it is about, as printed (`方案`, `整改第1号「…」`). */
  what: string;
  /** `@姓名` mentioned on the line, sorted. */
  who: string[];
  text: string;
}

const LINE = /^(\d+)\. (.+?)：(.*)$/;

/** Every reminder line of every sent message, in sending order. */
export function sentLines(sent: readonly Sent[]): SentLine[] {
  const out: SentLine[] = [];
  for (const s of sent) {
    const chat = s.target.kind === 'chat' ? s.target.chatId : s.target.name;
    for (const line of s.message.text.split('\n')) {
      const m = LINE.exec(line);
      if (!m) continue;
      const who = [...(m[3] ?? '').matchAll(/@([^\s@（]+)/g)].map((x) => x[1]!).sort();
      out.push({ day: s.day, chat, no: Number(m[1]), what: m[2]!, who, text: line });
    }
  }
  return out;
}

/** reminder_log kind of each reminder number. */
export async function kindsByNo(w: World): Promise<Map<number, { kind: string; remindOn: string; key: string }>> {
  const rows = await w.rows<{ id: number; kind: string; remind_on: string; reminder_key: string }>('SELECT id, kind, remind_on, reminder_key FROM reminder_log');
  return new Map(rows.map((r) => [r.id, { kind: r.kind, remindOn: r.remind_on, key: r.reminder_key }]));
}

/** `day what kind @a @b` for each reminder line sent, in sending order. */
export async function describeSent(w: World, sent: readonly Sent[] = w.channel.sent): Promise<string[]> {
  const kinds = await kindsByNo(w);
  return sentLines(sent).map((l) => `${l.day} ${l.chat} ${l.what} ${kinds.get(l.no)?.kind ?? '?'} ${l.who.join(' ')}`.trim());
}

/** Ticks at each given hour of every day in [from, to]. */
export async function tickDays(w: World, from: LocalDate, to: LocalDate, hours: readonly number[] = [9, 15]): Promise<void> {
  for (const day of daysFrom(from, to)) {
    for (const h of hours) {
      w.at(day, h);
      await w.tick();
    }
  }
}
