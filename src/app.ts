import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Channel } from './bot/channel.js';
import type { WebhookCredentials } from './bot/types.js';
import { handleMessage, pressCard, registerCards } from './commands/cards.js';
import { ReadCache } from './commands/read-cache.js';
import type { Logger } from './log.js';
import type { CardPress, ChatTarget, Delivery, IncomingMessage, OutgoingMessage, PressOutcome, SendResult } from './messages.js';
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
  /** parse → handler → deliveries, for one incoming message. */
  handle(msg: IncomingMessage): Promise<Delivery[]>;
  /** A button pressed on a card: the command it stands for, as the presser would type it (src/commands/cards.ts). */
  press(press: CardPress): Promise<PressOutcome>;
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
}

export async function createApp(opts: AppOptions): Promise<App> {
  const db = opts.db ?? (await openDatabase(opts.config.DATABASE_URL, {
    poolSize: opts.config.DATABASE_POOL_SIZE,
    onPoolError: (err) => opts.log.warn({ err: err.message }, 'database connection lost; the pool opens a new one'),
  }));
  const channels = new Map<string, Channel>();
  const stopHooks: Array<() => Promise<void> | void> = [];
  const calendar = opts.calendar ?? calendarFromConfig(opts.config);
  const deps = { db, config: opts.config, clock: opts.clock, log: opts.log, calendar, cache: new ReadCache(opts.clock) };
  const showsCards = (channel: string) => channels.get(channel)?.caps.cards === true;
  const app: App = {
    db,
    clock: opts.clock,
    config: opts.config,
    log: opts.log,
    calendar,
    webhooks: createWebhookCredentials(db, opts.config),
    channels,
    async handle(msg) {
      const { deliveries, cards } = await handleMessage(msg, deps);
      // The command settled what some cards show: channels that can update a card outside a click do it now.
      for (const card of cards) {
        const channel = channels.get(card.target.channel);
        if (!channel?.updateCard) continue;
        const result = await channel.updateCard(card.id, card.target, card.message).catch((err: unknown) => ({ ok: false, error: String(err) }));
        if (!result.ok) opts.log.warn({ channel: card.target.channel, card: card.id, error: result.error }, 'card not updated');
      }
      return registerCards(deps, deliveries, showsCards);
    },
    async press(press) {
      const outcome = await pressCard(press, deps);
      await registerCards(deps, outcome.deliveries, showsCards);
      return outcome;
    },
    async send(target, message) {
      const channel = channels.get(target.channel);
      if (!channel) return { ok: false, permanent: true, error: `no channel ${target.channel}` };
      try {
        if (message.card) {
          const [prepared] = await registerCards(deps, [{ target, message: { ...message, card: { ...message.card } } }], showsCards);
          message = prepared!.message;
        }
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
        await channel.start(async (msg) => app.handle(msg), async (press) => app.press(press));
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
