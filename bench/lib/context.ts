import type { App } from '../../src/app.js';
import type { IncomingMessage } from '../../src/messages.js';
import type { Floor } from '../measures/floor.js';
import type { BenchRow } from './report.js';
import { CHANNEL, type District } from './district.js';

/** What every measure gets: the running app on the district file, the floor, and the run's settings. */
export interface BenchContext {
  app: App;
  district: District;
  iterations: number;
  /** One bare indexed read + one indexed write on the same file; tick it between timed calls. */
  floor: Floor;
  /**
   * What runs after each timed command, outside the timing: the floor's tick and, every
   * {@link CHECKPOINT_EVERY} commands, the WAL checkpoint the scheduler's minute tick runs in the bot.
   */
  between(): void;
}

/**
 * A measure adds one row to the output. Latency measures return `latencyRow(...)`; later ones
 * (scheduler_run, rss_mb) return their own row in the same form.
 */
export interface Measure {
  name: string;
  run(ctx: BenchContext): Promise<BenchRow>;
}

/**
 * Commands between two checkpoints: the bot checkpoints once a minute (src/scheduler), so this is a
 * minute of a busy district's bot at 1,000 commands a minute (17 a second). Without it the WAL grows
 * through a whole run (to ~300 MB: 16,500 commands and as many floor writes, no minute tick), a bot
 * never restarts its log, and every commit appends to a file growing by ~10–30 KB.
 */
export const CHECKPOINT_EVERY = 1000;

let seq = 0;

/** A group message @-ing the bot, as the WeCom adapter would decode it. */
export function groupMessage(chatId: string, senderId: string, text: string): IncomingMessage {
  return { channel: CHANNEL, msgId: `bench-${++seq}`, chatId, chatType: 'group', chatTitle: chatId, senderId, senderName: senderId, text, mentionedBot: true };
}

/** Sends one message and fails the run when the reply is not the expected success (a refusal is not a measurement). */
export async function expectReply(app: App, msg: IncomingMessage, mustContain: string): Promise<void> {
  const replies = await app.handle(msg);
  const text = replies.map((r) => r.message.text).join('\n');
  if (!text.includes(mustContain)) throw new Error(`benchmark command was not accepted: ${msg.text}\n→ ${text}`);
}
