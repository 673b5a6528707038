import fs from 'node:fs';
import readline from 'node:readline';
import { createApp, type App } from '../app.js';
import { OffsetClock, type SettableClock } from '../clock.js';
import type { Config } from '../config.js';
import { ConsoleChannel } from '../bot/console/console-channel.js';
import { toLocalDate } from '../domain/dates.js';
import type { Logger } from '../log.js';
import { consoleText } from '../text/console.js';
import { DEMO_UNIT, demoScript } from '../text/demo.js';
import { isPostgresUrl, sqlitePath, storeLabel } from '../store/db.js';
import { createScheduler } from '../scheduler/cron.js';

export interface ChatOptions {
  config: Readonly<Config>;
  log: Logger;
  clock?: SettableClock;
  input: NodeJS.ReadableStream;
  print: (line: string) => void;
  demo?: boolean;
  /** Hook for the scheduler: attach reminders to the app and the console's `:time`. */
  attach?: (app: App, console: ConsoleChannel) => Promise<{ tick(): Promise<unknown> } | void>;
}

/**
 * Reminders in the terminal chat: a run at start-up, every minute, and for every day `:time`
 * moves past, printed exactly as they would reach a platform.
 */
export async function attachScheduler(app: App, consoleChannel: ConsoleChannel): Promise<{ tick(): Promise<unknown> }> {
  const scheduler = createScheduler(app);
  consoleChannel.onTime = (from, to) => scheduler.replay(from, to);
  app.onStop(() => scheduler.stop());
  await scheduler.tick();
  return scheduler;
}

/** The terminal chat: `shenghuohui chat`, and `npm start` when no platform is configured. */
export async function runChat(opts: ChatOptions): Promise<number> {
  const clock = opts.clock ?? new OffsetClock();
  let config = opts.config;
  if (opts.demo) {
    // The demo always runs on its own SQLite file (beside the configured one, or in ./data).
    const file = isPostgresUrl(config.DATABASE_URL) ? './data/demo.db' : sqlitePath(config.DATABASE_URL).replace(/[^/\\]+$/, 'demo.db');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    config = Object.freeze({ ...config, DATABASE_URL: file });
  }
  const app = await createApp({ config, clock, log: opts.log });
  const consoleChannel = new ConsoleChannel({ clock, print: opts.print });
  app.addChannel(consoleChannel);
  const scheduler = await opts.attach?.(app, consoleChannel);
  await app.start();
  try {
    if (opts.demo) {
      const silent = new ConsoleChannel({ clock, print: () => undefined });
      await silent.start(async (msg) => app.handle(msg));
      for (const line of demoScript(toLocalDate(clock.now()))) await silent.input(line);
      consoleChannel.user = silent.user;
      consoleChannel.chat = silent.chat;
      opts.print(`${consoleText.systemLabel()} ${consoleText.demoLoaded({ unit: DEMO_UNIT, chat: silent.chat, user: silent.user })}`);
      // Today's reminders for the sample unit, as they would have gone out this morning.
      await scheduler?.tick();
    }
    opts.print(consoleText.banner({ db: storeLabel(config.DATABASE_URL), user: consoleChannel.user, chat: consoleChannel.chat, today: toLocalDate(clock.now()) }));
    const rl = readline.createInterface({ input: opts.input, terminal: false, crlfDelay: Infinity });
    for await (const line of rl) {
      if (!(await consoleChannel.input(line))) break;
    }
    rl.close();
  } finally {
    await app.stop();
  }
  return 0;
}
