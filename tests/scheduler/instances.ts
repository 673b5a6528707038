import { Kysely, SqliteDialect, type KyselyPlugin } from 'kysely';
import SQLite from 'better-sqlite3';
import { pino } from 'pino';
import { createApp, type App } from '../../src/app.js';
import type { Channel, ChannelStatus } from '../../src/bot/channel.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { atLocalTime, toLocalDate, type LocalDate } from '../../src/domain/dates.js';
import type { Logger } from '../../src/log.js';
import type { ChatTarget, IncomingMessage, OutgoingMessage, SendResult } from '../../src/messages.js';
import { createScheduler, type Scheduler } from '../../src/scheduler/cron.js';
import { migrate, openDatabase, type Db } from '../../src/store/db.js';
import type { Database } from '../../src/store/schema.js';
import { freshPgStore, onPostgres } from '../helpers/pg.js';
import type { LogLine } from './harness.js';

/**
 * Several bot instances on one database, as in a deployment of N processes: each instance is a
 * real app with its own clock (all set to the same instant), its own INSTANCE_ID, its own scheduler
 * and its own channel. On PostgreSQL every instance has its own connection pool on the same
 * database, so their transactions really race; on SQLite (one process by design) they share the one
 * store, and their work interleaves at every await.
 *
 * @example
 * const cluster = await startInstances(3, ['2026-11-30', 9, 30]);
 * await cluster.all((i) => i.scheduler.tick());   // the three ticks at once
 * expect(cluster.sends.length).toBe(…);
 */
export interface Send {
  instance: string;
  day: LocalDate;
  chat: string;
  text: string;
}

export interface Instance {
  id: string;
  app: App;
  clock: ManualClock;
  scheduler: Scheduler;
  channel: InstanceChannel;
  logs: LogLine[];
}

export interface Cluster {
  instances: Instance[];
  /** The shared store, for seeding and assertions (on PostgreSQL a pool of its own). */
  db: Db;
  /** Every successful send of every instance, in order. */
  sends: Send[];
  /** Moves every instance's clock to `date hour:minute` Asia/Shanghai. */
  at(date: LocalDate, hour?: number, minute?: number): void;
  /** Runs `fn` on every instance at once (Promise.all). */
  all<T>(fn: (i: Instance) => Promise<T>): Promise<T[]>;
  /** A group message through instance `n` (default 0); returns the reply texts. */
  say(who: string, chat: string, text: string, n?: number, msgId?: string): Promise<string[]>;
  /** A message in `who`'s private chat with the bot, through instance `n` (default 0); returns the reply texts. */
  sayPrivately(who: string, text: string, n?: number): Promise<string[]>;
  stop(): Promise<void>;
}

/** A channel that records what its instance sent (into the cluster's list), and can be told to hang. */
export class InstanceChannel implements Channel {
  readonly name = 'console';
  readonly caps = { canReceive: false, markdown: false, maxLength: 100_000 };
  /** When set, a send waits for it before answering. */
  hold: Promise<SendResult> | undefined;
  /** When true, the platform refuses every send (busy): the outbox retries. */
  down = false;
  private waiters: Array<() => void> = [];
  constructor(private readonly instance: string, private readonly clock: ManualClock, private readonly sends: Send[]) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  status(): ChannelStatus {
    return { up: !this.down, state: this.down ? 'down' : 'push-only' };
  }
  /** Resolves when this instance's next send begins. */
  inFlight(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  async send(target: ChatTarget, message: OutgoingMessage): Promise<SendResult> {
    for (const wake of this.waiters.splice(0)) wake();
    const day = toLocalDate(this.clock.now());
    // A send takes a moment (the platform's round trip): other instances run meanwhile.
    const res = this.down ? { ok: false, error: 'platform busy' } : this.hold ? await this.hold : await new Promise<SendResult>((resolve) => setImmediate(() => resolve({ ok: true })));
    if (res.ok) this.sends.push({ instance: this.instance, day, chat: target.kind === 'chat' ? target.chatId : target.name, text: message.text });
    return res;
  }
}

function collectingLogger(lines: LogLine[]): Logger {
  return pino({ level: 'info', base: undefined }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
}

let msgSeq = 0;

/**
 * `opts.plugins(k)`: a Kysely plugin on instance k's store (a test watches or holds that instance's
 * queries; on SQLite the store stays the shared one, its connection and its queue).
 */
export async function startInstances(
  n: number, at: [LocalDate, number?, number?], env: Record<string, string> = {}, opts: { plugins?: (k: number) => KyselyPlugin | undefined } = {},
): Promise<Cluster> {
  const [date, hour = 9, minute = 0] = at;
  const own: Db[] = [];
  let shared: Db;
  const dbFor: Array<() => Promise<Db>> = [];
  if (onPostgres()) {
    const store = await freshPgStore(); // dropped after the test (tests/helpers/pg-setup.ts)
    shared = store.db;
    for (let i = 0; i < n; i++) dbFor.push(async () => own[own.push(await openDatabase(store.url, { poolSize: 4 })) - 1]!);
  } else {
    const sqlite = new SQLite(':memory:');
    sqlite.pragma('foreign_keys = ON');
    shared = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    await migrate(shared);
    own.push(shared);
    for (let i = 0; i < n; i++) dbFor.push(async () => shared);
  }
  const sends: Send[] = [];
  const instances: Instance[] = [];
  for (let i = 0; i < n; i++) {
    const id = `instance-${i + 1}`;
    const clock = new ManualClock(atLocalTime(date, hour, minute));
    const logs: LogLine[] = [];
    const channel = new InstanceChannel(id, clock, sends);
    const config = loadConfig({ DATABASE_URL: ':memory:', DIGEST_WEEKDAY: '0', INSTANCE_ID: id, ...env });
    const store = await dbFor[i]!();
    const plugin = opts.plugins?.(i);
    const app = await createApp({ config, clock, log: collectingLogger(logs), db: plugin ? store.withPlugin(plugin) : store, channels: [channel] });
    instances.push({ id, app, clock, scheduler: createScheduler(app, { cron: false }), channel, logs });
  }
  const handle = async (k: number, msg: IncomingMessage) => (await instances[k]!.app.handle(msg)).map((d) => d.message.text);
  return {
    instances, db: shared, sends,
    at: (d, h = 9, m = 0) => {
      for (const i of instances) i.clock.set(atLocalTime(d, h, m));
    },
    all: (fn) => Promise.all(instances.map(fn)),
    say: (who, chat, text, k = 0, msgId = `m${++msgSeq}`) =>
      handle(k, { channel: 'console', msgId, chatType: 'group', chatId: chat, chatTitle: chat, senderId: who, senderName: who, text }),
    sayPrivately: (who, text, k = 0) =>
      handle(k, { channel: 'console', msgId: `m${++msgSeq}`, chatType: 'private', chatId: who, senderId: who, senderName: who, text }),
    async stop() {
      for (const i of instances) i.scheduler.stop();
      for (const db of own) await db.destroy();
    },
  };
}

/** Units `支部1`…`支部n`, each bound to chat `群k` with its operator and principal and a 民主生活会 on 2026-12-28. */
export async function seedUnits(c: Cluster, n: number): Promise<string[]> {
  const chats: string[] = [];
  for (let k = 1; k <= n; k++) {
    const chat = `群${k}`;
    const must = async (text: string, expected: string) => {
      const reply = (await c.say(`联络员${k}`, chat, text)).join('\n');
      if (!reply.includes(expected)) throw new Error(`${chat}: ${text}\nexpected ${expected}, got ${reply}`);
    };
    await must(`/单位 设置 支部${k}`, '本群已绑定');
    await must(`/成员 添加 @书记${k} 主要负责人`, '已把');
    await must('/会议 新建 民主生活会 2026-12-28', '已安排');
    chats.push(chat);
  }
  return chats;
}
