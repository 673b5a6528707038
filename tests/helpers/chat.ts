import { createApp, type App } from '../../src/app.js';
import { ConsoleChannel } from '../../src/bot/console/console-channel.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { atLocalTime, toLocalDate, type LocalDate } from '../../src/domain/dates.js';
import { silentLogger } from '../../src/log.js';
import type { Delivery, IncomingMessage } from '../../src/messages.js';
import type { Db } from '../../src/store/db.js';
import type { Database } from '../../src/store/schema.js';
import { countRows, query, snapshotRows, tableRows, testStore } from './store.js';

/**
 * The terminal chat as a test driver: the real app (real SQL: SQLite in memory, or a fresh PostgreSQL
 * database in the `postgres` project), a ManualClock, and a ConsoleChannel whose printed lines are
 * collected per input.
 *
 * @example
 * const chat = await startChat({ today: '2026-11-25' });
 * const lines = await chat.as('王书记').in('党办群').say('/进度');
 * expect(groupText(lines)).toContain('会前准备');
 */
export interface ChatMessage {
  /** `群 党办群`, `私聊 张三` or `系统`. */
  to: string;
  text: string;
}

export interface Speaker {
  readonly name: string;
  /** The same person speaking in another group. */
  in(chat: string): Speaker;
  /** The same person in a private chat with the bot. */
  privately(): Speaker;
  /** Sends one line; returns every line the console printed for it. */
  say(text: string): Promise<string[]>;
}

export interface Chat {
  readonly app: App;
  readonly db: Db;
  /** DATABASE_URL of the same store (`:memory:` on SQLite, where it cannot be opened twice). */
  readonly url: string;
  /** Rows of a raw SQL query on the store (`?` placeholders, portable across both dialects). */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  readonly clock: ManualClock;
  readonly console: ConsoleChannel;
  /** Every line printed since the chat started. */
  readonly transcript: string[];
  as(name: string): Speaker;
  /** Types a raw console line (a message or a meta-command such as `:time 2026-12-28`). */
  type(line: string): Promise<string[]>;
  /** Moves the clock to `date` at `hour:minute` Asia/Shanghai (default 09:00). */
  setDay(date: LocalDate, hour?: number, minute?: number): void;
  today(): LocalDate;
  /** Sends an IncomingMessage straight to `app.handle` (for msgId and platform-shaped tests). */
  handle(msg: IncomingMessage): Promise<Delivery[]>;
  /** Rows of one table in insertion order; `where` a raw condition with `?` placeholders. */
  rows<T = Record<string, unknown>>(table: keyof Database & string, where?: string, ...params: unknown[]): Promise<T[]>;
  /** Row count of every application table. */
  counts(): Promise<Record<string, number>>;
  /** Every row of every application table except `processed_message` (bookkeeping of message ids). */
  snapshot(): Promise<string>;
  stop(): Promise<void>;
}

export interface ChatOptions {
  today?: LocalDate;
  hour?: number;
  minute?: number;
  /** Extra environment for loadConfig (e.g. ADMIN_USERS). */
  env?: Record<string, string>;
  /** The first speaker and group of the console (defaults: 联络员, 党办群). */
  user?: string;
  chat?: string;
}

/** A migrated, empty store for the project's dialect (see tests/helpers/store.ts). */
export async function memoryStore(): Promise<{ db: Db; url: string }> {
  return testStore();
}

export async function startChat(opts: ChatOptions = {}): Promise<Chat> {
  const today = opts.today ?? '2026-11-25';
  const clock = new ManualClock(atLocalTime(today, opts.hour ?? 9, opts.minute ?? 0));
  const { db, url } = await memoryStore();
  const config = loadConfig({ DATABASE_URL: ':memory:', ...opts.env });
  const app = await createApp({ config, clock, log: silentLogger, db });
  const transcript: string[] = [];
  let sink: string[] = [];
  const consoleChannel = new ConsoleChannel({
    clock,
    print: (line) => {
      transcript.push(line);
      sink.push(line);
    },
    ...(opts.user ? { user: opts.user } : {}),
    ...(opts.chat ? { chat: opts.chat } : {}),
  });
  app.addChannel(consoleChannel);
  await app.start();

  const capture = async (line: string): Promise<string[]> => {
    sink = [];
    await consoleChannel.input(line);
    const printed = sink;
    sink = [];
    return printed;
  };

  const speaker = (name: string, chatName: string | undefined): Speaker => ({
    name,
    in: (c) => speaker(name, c),
    privately: () => speaker(name, undefined),
    say: async (text) => {
      consoleChannel.user = name;
      if (chatName === undefined) consoleChannel.privateMode = true;
      else {
        consoleChannel.privateMode = false;
        consoleChannel.chat = chatName;
      }
      return capture(text);
    },
  });

  return {
    app,
    db,
    url,
    query: (text, ...params) => query(db, text, ...params),
    clock,
    console: consoleChannel,
    transcript,
    as: (name) => speaker(name, consoleChannel.chat),
    type: capture,
    setDay: (date, hour = 9, minute = 0) => clock.set(atLocalTime(date, hour, minute)),
    today: () => toLocalDate(clock.now()),
    handle: (msg) => app.handle(msg),
    rows: <T,>(table: string, where?: string, ...params: unknown[]) => tableRows<T>(db, table, where, ...params),
    counts: () => countRows(db),
    snapshot: () => snapshotRows(db),
    stop: () => app.stop(),
  };
}

const HEAD = /^\[(群 [^\]]*|私聊 [^\]]*|系统)\] ?(.*)$/;

/** Printed lines → messages: a line `[群 …] text` or `[私聊 …] text` starts one; indented lines continue it. */
export function messagesOf(lines: readonly string[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const line of lines) {
    const m = HEAD.exec(line);
    if (m) out.push({ to: m[1]!, text: m[2]! });
    else if (line.startsWith('  ') && out.length) out[out.length - 1]!.text += `\n${line.slice(2)}`;
    else out.push({ to: '', text: line });
  }
  return out;
}

/** The text of every message sent to a group (`群 …`), joined. */
export function groupText(lines: readonly string[]): string {
  return messagesOf(lines).filter((m) => m.to.startsWith('群 ')).map((m) => m.text).join('\n');
}

/** The text of every private message to `name`, joined. */
export function privateText(lines: readonly string[], name: string): string {
  return messagesOf(lines).filter((m) => m.to === `私聊 ${name}`).map((m) => m.text).join('\n');
}

/** Every line that was posted to a group (headers and continuation lines). */
export function groupLines(lines: readonly string[]): string[] {
  return messagesOf(lines).filter((m) => m.to.startsWith('群 ')).flatMap((m) => m.text.split('\n'));
}

/** Who received a message for this input, in order (`群 党办群`, `私聊 王书记`, …). */
export function recipients(lines: readonly string[]): string[] {
  return messagesOf(lines).map((m) => m.to);
}

/** Runs a script of lines and returns the lines printed by the last one. */
export async function script(chat: Chat, lines: readonly string[]): Promise<string[]> {
  let last: string[] = [];
  for (const line of lines) last = await chat.type(line);
  return last;
}
