import type { CardPress, ChatTarget, Delivery, IncomingMessage, OutgoingMessage, PressOutcome, SendResult } from '../messages.js';

/**
 * What the bot core does with one decoded message: the deliveries it produces
 * (replies to the same chat, private messages to people). The adapter sends replies to the
 * same chat through its passive-reply path when it has one, and the rest through send().
 */
export type MessageHandler = (msg: IncomingMessage) => Promise<Delivery[]>;

/** What the bot core does with a button pressed on a card (see src/commands/cards.ts). */
export type PressHandler = (press: CardPress) => Promise<PressOutcome>;

/**
 * One channel (WeCom long connection, WeCom webhook, DingTalk stream, DingTalk webhook, console).
 * Capabilities are flags: a push-only robot has canReceive: false.
 */
export interface Channel {
  readonly name: string;
  /** `cards`: shows a message's card with buttons and reports presses; otherwise the text is sent. */
  readonly caps: { canReceive: boolean; markdown: boolean; maxLength: number; cards?: boolean };
  /** Start receiving; every decoded message is given to onMessage, every button press to onPress. Push-only channels ignore them. */
  start(onMessage: MessageHandler, onPress?: PressHandler): Promise<void>;
  /** Send one message; never throws for platform errors, reports them in SendResult. */
  send(target: ChatTarget, message: OutgoingMessage): Promise<SendResult>;
  /**
   * Shows a sent card as it is now (decided by a typed command or an answered question), where the
   * platform allows it outside a click (DingTalk's card API; WeCom updates a card only in answer to its click).
   */
  updateCard?(cardId: number, target: ChatTarget, message: OutgoingMessage): Promise<SendResult>;
  stop(): Promise<void>;
}

/** True when a delivery goes back to the chat the message came from. */
export function isSameChat(target: ChatTarget, msg: IncomingMessage): boolean {
  if (target.kind === 'chat') return target.channel === msg.channel && target.chatId === msg.chatId;
  return msg.chatType === 'private' && target.channel === msg.channel && target.userId === msg.senderId;
}
