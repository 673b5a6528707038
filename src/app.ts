import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Channel } from './bot/channel.js';
import type { WebhookCredentials } from './bot/types.js';
import { dispatch } from './commands/dispatch.js';
import { ReadCache } from './commands/read-cache.js';
import type { Logger } from './log.js';
import type { Observer } from './observer.js';
import type { ChatTarget, Delivery, IncomingMessage, OutgoingMessage, SendResult } from './messages.js';
import { openDatabase, type Db } from './store/db.js';
import { createWebhookCredentials } from './store/webhook.repository.js';
import { calendarFromConfig, type WorkCalendar } from './scheduler/calendar.js';

/** The running bot: store, clock, channels, and the command pipeline between them. */
export interface App {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Readonly<Config>;
  readonly log: Logger;
  readonly calendar: WorkCalendar;
  readonly webhooks: WebhookCredentials;
  readonly channels: Map<string, Channel>;
  /** Told about commands and scheduler runs (the metrics, when the health server is on). */
  readonly observer: Observer | undefined;
  /** parse → handler → deliveries, for one incoming message. */
  handle(msg: IncomingMessage): Promise<Delivery[]>;
  /** Sends one message through the channel its target names. */
  send(target: ChatTarget, message: OutgoingMessage): Promise<SendResult>;
  addChannel(channel: Channel): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Runs when the app stops (the scheduler registers its cron job here). */
  onStop(fn: () => Promise<void> | void): void;
}

export interface AppOptions {
  config: Readonly<Config>;
  clock: Clock;
  log: Logger;
  /** An open store; otherwise DATABASE_URL is opened (and migrated). */
  db?: Db;
  channels?: Channel[];
  calendar?: WorkCalendar;
  observer?: Observer;
}

export async function createApp(opts: AppOptions): Promise<App> {
  const db = opts.db ?? (await openDatabase(opts.config.DATABASE_URL, {
    poolSize: opts.config.DATABASE_POOL_SIZE,
    onPoolError: (err) => opts.log.warn({ err: err.message }, 'database connection lost; the pool opens a new one'),
  }));
  const channels = new Map<string, Channel>();
  const stopHooks: Array<() => Promise<void> | void> = [];
  const calendar = opts.calendar ?? calendarFromConfig(opts.config);
  const deps = { db, config: opts.config, clock: opts.clock, log: opts.log, calendar, cache: new ReadCache(opts.clock), ...(opts.observer ? { observer: opts.observer } : {}) };
  const app: App = {
    db,
    clock: opts.clock,
    config: opts.config,
    log: opts.log,
    calendar,
    webhooks: createWebhookCredentials(db, opts.config),
    channels,
    observer: opts.observer,
    handle: (msg) => dispatch(msg, deps),
    async send(target, message) {
      const channel = channels.get(target.channel);
      if (!channel) return { ok: false, permanent: true, error: `no channel ${target.channel}` };
      try {
        return await channel.send(target, message);
      } catch (err) {
        opts.log.warn({ channel: target.channel, err: err instanceof Error ? err.message : String(err) }, 'send failed');
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    },
    addChannel(channel) {
      channels.set(channel.name, channel);
    },
    async start() {
      for (const channel of channels.values()) {
        await channel.start(async (msg) => app.handle(msg));
        opts.log.info({ channel: channel.name }, 'channel started');
      }
    },
    async stop() {
      for (const fn of stopHooks.splice(0).reverse()) await fn();
      for (const channel of channels.values()) await channel.stop();
      await db.destroy();
    },
    onStop(fn) {
      stopHooks.push(fn);
    },
  };
  for (const c of opts.channels ?? []) app.addChannel(c);
  return app;
}
