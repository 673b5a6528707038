import type { ChatTarget, Delivery, IncomingMessage, OutgoingMessage, SendResult } from '../messages.js';

/**
 * What the bot core does with one decoded message: the deliveries it produces
 * (replies to the same chat, private messages to people). The adapter sends replies to the
 * same chat through its passive-reply path when it has one, and the rest through send().
 */
export type MessageHandler = (msg: IncomingMessage) => Promise<Delivery[]>;

/**
 * One channel (WeCom long connection, WeCom webhook, DingTalk stream, DingTalk webhook, console).
 * Capabilities are flags: a push-only robot has canReceive: false.
 */
export interface Channel {
  readonly name: string;
  readonly caps: { canReceive: boolean; markdown: boolean; maxLength: number };
  /** Start receiving; every decoded message is given to onMessage. Push-only channels ignore it. */
  start(onMessage: MessageHandler): Promise<void>;
  /** Send one message; never throws for platform errors, reports them in SendResult. */
  send(target: ChatTarget, message: OutgoingMessage): Promise<SendResult>;
  stop(): Promise<void>;
}

/** True when a delivery goes back to the chat the message came from. */
export function isSameChat(target: ChatTarget, msg: IncomingMessage): boolean {
  if (target.kind === 'chat') return target.channel === msg.channel && target.chatId === msg.chatId;
  return msg.chatType === 'private' && target.channel === msg.channel && target.userId === msg.senderId;
}
