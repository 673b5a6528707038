import { randomUUID } from 'node:crypto';
import type { SettableClock } from '../../clock.js';
import { atLocalTime, parseDate, toLocalDate, localTimeOf } from '../../domain/dates.js';
import { shownButtons, type Card, type ChatTarget, type Delivery, type IncomingMessage, type OutgoingMessage, type SendResult } from '../../messages.js';
import { consoleText } from '../../text/console.js';
import { isSameChat, type Channel, type MessageHandler, type PressHandler } from '../channel.js';

export interface ConsoleOptions {
  clock: SettableClock;
  /** Where printed lines go (stdout in the CLI; collected in tests). */
  print: (line: string) => void;
  user?: string;
  chat?: string;
  /** Called after `:time` moves the clock forward (the scheduler replays reminders there). */
  onTime?: (from: Date, to: Date) => Promise<void>;
}

/**
 * The terminal chat: every line is a message from the current speaker in the current group (or in a
 * private chat with the bot after `:private`). Every message the bot sends is printed with its
 * destination, `[群 <群名>]` or `[私聊 <姓名>]`, so scripts can tell group from private.
 */
export class ConsoleChannel implements Channel {
  readonly name = 'console';
  readonly caps = { canReceive: true, markdown: false, maxLength: 100_000, cards: true };
  user: string;
  chat: string;
  privateMode = false;
  /** Called after `:time` moves the clock forward (the scheduler replays reminders there). */
  onTime: ((from: Date, to: Date) => Promise<void>) | undefined;
  private handler: MessageHandler | undefined;
  private pressHandler: PressHandler | undefined;
  /** The latest card shown in each conversation (`群 <名>` / `私聊 <姓名>`): `:点 <n>` presses its n-th button. */
  private readonly cards = new Map<string, Card>();
  private seq = 0;
  /** Message ids are unique per session: the store remembers processed ids across restarts. */
  private readonly session = randomUUID().slice(0, 8);

  constructor(private readonly opts: ConsoleOptions) {
    this.user = opts.user ?? '联络员';
    this.chat = opts.chat ?? '党办群';
    this.onTime = opts.onTime;
  }

  async start(onMessage: MessageHandler, onPress?: PressHandler): Promise<void> {
    this.handler = onMessage;
    this.pressHandler = onPress;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
  }

  async send(target: ChatTarget, message: OutgoingMessage): Promise<SendResult> {
    this.printMessage(target, message);
    return { ok: true };
  }

  printMessage(target: ChatTarget, message: OutgoingMessage): void {
    const label = target.kind === 'chat' ? consoleText.groupLabel({ name: target.title ?? target.chatId }) : consoleText.privateLabel({ name: target.name });
    const [first = '', ...rest] = message.text.split('\n');
    this.opts.print(`${label} ${first}`);
    for (const line of rest) this.opts.print(`  ${line}`);
    this.printButtons(target, message.card);
  }

  /** A card is its text plus numbered buttons; `:点 <n>` presses one. */
  private printButtons(target: ChatTarget, card: Card | undefined): void {
    if (card?.id === undefined) return;
    const where = target.kind === 'chat' ? `group:${target.title ?? target.chatId}` : `private:${target.name}`;
    this.cards.set(where, card);
    if (card.outcome) this.opts.print(`  ${consoleText.cardOutcome({ outcome: card.outcome })}`);
    const shown = shownButtons(card);
    if (shown.length) this.opts.print(`  ${consoleText.buttons({ labels: shown.map((b) => b.button.label) })}`);
  }

  /**
   * A card settled by a typed command or an answered question: its new state is printed when the
   * speaker is where the card is (they would see it change); elsewhere it changes silently.
   */
  async updateCard(cardId: number, target: ChatTarget, message: OutgoingMessage): Promise<SendResult> {
    const where = target.kind === 'chat' ? `group:${target.title ?? target.chatId}` : `private:${target.name}`;
    const here = this.privateMode ? `private:${this.user}` : `group:${this.chat}`;
    if (!message.card) return { ok: true };
    if (where !== here) {
      if (this.cards.get(where)?.id === cardId) this.cards.set(where, { ...message.card, id: cardId });
      return { ok: true };
    }
    this.system(consoleText.cardUpdated({ text: message.text.split('\n')[0] ?? '' }));
    this.printCardState(where, { ...message.card, id: cardId });
    return { ok: true };
  }

  private printCardState(where: string, card: Card): void {
    const shown = this.cards.get(where);
    if (shown?.id === card.id) this.cards.set(where, card);
    const buttons = shownButtons(card);
    if (card.outcome) this.opts.print(`  ${consoleText.cardOutcome({ outcome: card.outcome })}`);
    else if (buttons.length) this.opts.print(`  ${consoleText.buttons({ labels: buttons.map((b) => b.button.label) })}`);
  }

  /** `:点 <n>`: the current speaker presses button n of the latest card in the current conversation. */
  private async press(arg: string): Promise<void> {
    const n = Number(arg);
    const where = this.privateMode ? `private:${this.user}` : `group:${this.chat}`;
    const card = this.cards.get(where);
    if (!card || card.id === undefined) {
      this.system(consoleText.noCard());
      return;
    }
    const shown = shownButtons(card);
    if (!Number.isInteger(n) || n < 1 || n > shown.length) {
      this.system(shown.length ? consoleText.noButton({ typed: arg, count: shown.length }) : consoleText.cardClosed());
      return;
    }
    if (!this.pressHandler) return;
    const outcome = await this.pressHandler({ channel: this.name, eventId: `${this.session}-${++this.seq}`, cardId: card.id, button: shown[n - 1]!.index, userId: this.user, userName: this.user });
    for (const d of outcome.deliveries) {
      const target = d.target.kind === 'chat' && d.target.chatId === this.chat ? { ...d.target, title: this.chat } : d.target;
      this.printMessage(target, d.message);
    }
    if (outcome.card?.card) {
      this.system(consoleText.cardUpdated({ text: card.title }));
      this.printCardState(where, { ...outcome.card.card, id: card.id });
    }
  }

  private system(text: string): void {
    this.opts.print(`${consoleText.systemLabel()} ${text}`);
  }

  /**
   * Handles one typed line: a meta-command (`:user`, `:chat`, `:private`, `:time`, `:quit`) or a message.
   * Returns false after `:quit`.
   */
  async input(raw: string): Promise<boolean> {
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return true;
    if (/^[:：]/.test(trimmed)) return this.meta(trimmed.slice(1).trim());
    await this.message(line);
    return true;
  }

  private async meta(body: string): Promise<boolean> {
    const [cmd = '', ...args] = body.split(/\s+/);
    const arg = args.join(' ').trim();
    switch (cmd) {
      case 'quit':
      case 'q':
      case 'exit':
        this.system(consoleText.bye());
        return false;
      case 'user':
        if (!arg) this.system(consoleText.needArg({ meta: ':user', example: ':user 王书记' }));
        else (this.user = arg), this.system(consoleText.user({ name: arg }));
        return true;
      case 'chat':
        if (!arg) this.system(consoleText.needArg({ meta: ':chat', example: ':chat 党办群' }));
        else (this.chat = arg), (this.privateMode = false), this.system(consoleText.chat({ name: arg }));
        return true;
      case 'private':
        this.privateMode = true;
        this.system(consoleText.privateMode({ name: this.user }));
        return true;
      case 'time':
        await this.setTime(arg);
        return true;
      default:
        if (consoleText.pressWords.includes(cmd)) {
          await this.press(arg);
          return true;
        }
        this.system(consoleText.unknownMeta({ typed: `:${cmd}` }));
        return true;
    }
  }

  private async setTime(arg: string): Promise<void> {
    const [datePart = '', timePart] = arg.split(/\s+/);
    const from = this.opts.clock.now();
    const parsed = parseDate(datePart, toLocalDate(from));
    const hm = timePart ? /^(\d{1,2})[:：](\d{2})$/.exec(timePart) : null;
    if (!parsed.ok || (timePart && (!hm || Number(hm[1]) > 23 || Number(hm[2]) > 59))) {
      this.system(consoleText.badTime({ typed: arg }));
      return;
    }
    const keep = localTimeOf(from);
    const to = atLocalTime(parsed.date, hm ? Number(hm[1]) : keep.hour, hm ? Number(hm[2]) : keep.minute);
    this.opts.clock.set(to);
    this.system(consoleText.time({ at: `${parsed.date} ${String(localTimeOf(to).hour).padStart(2, '0')}:${String(localTimeOf(to).minute).padStart(2, '0')}` }));
    if (this.onTime && to > from) await this.onTime(from, to);
  }

  private async message(text: string): Promise<void> {
    if (!this.handler) return;
    const msg: IncomingMessage = this.privateMode
      ? { channel: 'console', msgId: `${this.session}-${++this.seq}`, chatId: this.user, chatType: 'private', senderId: this.user, senderName: this.user, text }
      : { channel: 'console', msgId: `${this.session}-${++this.seq}`, chatId: this.chat, chatType: 'group', chatTitle: this.chat, senderId: this.user, senderName: this.user, text };
    const deliveries: Delivery[] = await this.handler(msg);
    for (const d of deliveries) {
      const target = isSameChat(d.target, msg) && d.target.kind === 'chat' ? { ...d.target, title: this.chat } : d.target;
      this.printMessage(target, d.message);
    }
  }
}
