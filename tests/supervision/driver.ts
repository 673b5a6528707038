import { createApp, type App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { atLocalTime, toLocalDate, type LocalDate } from '../../src/domain/dates.js';
import { silentLogger } from '../../src/log.js';
import type { Delivery } from '../../src/messages.js';
import type { Db } from '../../src/store/db.js';
import { testStore } from '../helpers/store.js';

/**
 * A small driver for the supervision tests: the real app on a fresh store (SQLite in memory, or
 * PostgreSQL in the `postgres` project), a ManualClock,
 * and console-shaped group messages (`as(user).in(chat).say(text)`), returning the deliveries.
 */
export interface World {
  readonly app: App;
  readonly db: Db;
  readonly clock: ManualClock;
  today(): LocalDate;
  /** Moves the clock to `date` 09:00 Asia/Shanghai. */
  day(date: LocalDate): void;
  /** Every delivery of one group message. */
  say(user: string, chat: string, text: string): Promise<Delivery[]>;
  /** The texts the group chat itself received for one message, joined by a blank line. */
  group(user: string, chat: string, text: string): Promise<string>;
  /** Seeding: sends each command and fails when one was refused (it wrote no audit row). */
  run(user: string, chat: string, ...texts: string[]): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(today: LocalDate): Promise<World> {
  const clock = new ManualClock(atLocalTime(today, 9));
  const { db } = await testStore();
  const config = loadConfig({ DATABASE_URL: ':memory:' });
  const app = await createApp({ config, clock, log: silentLogger, db });
  let seq = 0;
  const say = (user: string, chat: string, text: string) =>
    app.handle({ channel: 'console', msgId: `s${++seq}`, chatId: chat, chatType: 'group', chatTitle: chat, senderId: user, senderName: user, text });
  const group = async (user: string, chat: string, text: string) =>
    (await say(user, chat, text)).filter((d) => d.target.kind === 'chat' && d.target.chatId === chat).map((d) => d.message.text).join('\n\n');
  return {
    app,
    db,
    clock,
    today: () => toLocalDate(clock.now()),
    day: (date) => clock.set(atLocalTime(date, 9)),
    say,
    group,
    async run(user, chat, ...texts) {
      // Every state-changing command writes one audit row; a refusal writes none.
      const count = async () => Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      for (const text of texts) {
        const before = await count();
        const reply = await group(user, chat, text);
        if ((await count()) === before) throw new Error(`not recorded: ${user}@${chat}: ${text}\n→ ${reply}`);
      }
    },
    close: () => app.stop(),
  };
}
