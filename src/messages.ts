/**
 * Channel-neutral message shapes. Adapters (src/bot/*) decode platform payloads into
 * {@link IncomingMessage} and render {@link OutgoingMessage}; nothing here names a platform.
 */

/** The identity namespace of a channel's user ids: 'wecom-webhook' → 'wecom'. */
export const platformOf = (channel: string): string => channel.split('-')[0] ?? channel;

/** A message that reached the bot from a chat. */
export interface IncomingMessage {
  /** Channel name: 'console', 'wecom', 'dingtalk'. */
  channel: string;
  /** Platform message id, used to process a redelivered message once. */
  msgId?: string;
  /** Group chat id; for a private (single) chat, the sender's id. */
  chatId: string;
  chatType: 'group' | 'private';
  chatTitle?: string;
  /** The sender's platform user id (console: the speaker's name). */
  senderId: string;
  senderName?: string;
  /** Text with the bot's own @mention already removed where the platform marks it. */
  text: string;
  /** Colleagues mentioned in the message, when the platform lists them (DingTalk atUsers). */
  mentions?: Array<{ userId?: string; name?: string }>;
  /** True when the platform says the bot was @mentioned (group messages reach bots only then). */
  mentionedBot?: boolean;
}

/** A person mentioned in an outgoing message; adapters turn it into the platform's @. */
export interface MentionRef {
  personId: number;
  name: string;
  /** The person's user id on the channel the message goes to, when known. */
  userId?: string;
  mobile?: string;
}

/** Plain structured text: the first line is the title, the rest are lines; channels render it. */
export interface OutgoingMessage {
  text: string;
  mentions: MentionRef[];
  /** Stable key of the reminder or reply, for logs and the outbox. */
  key?: string;
}

/** Where a message goes. */
export type ChatTarget =
  | { kind: 'chat'; channel: string; chatId: string; title?: string }
  | { kind: 'person'; channel: string; userId: string; personId: number; name: string };

/** A bound group chat as a message target (its title kept when it has one). */
export function chatTargetOf(chat: { channel: string; chatId: string; title: string | null }): ChatTarget {
  const t: ChatTarget = { kind: 'chat', channel: chat.channel, chatId: chat.chatId };
  if (chat.title) t.title = chat.title;
  return t;
}

export interface Delivery {
  target: ChatTarget;
  message: OutgoingMessage;
}

export interface SendResult {
  ok: boolean;
  /** Retry after this many ms (rate limits); undefined = use the outbox's backoff. */
  retryAfterMs?: number;
  /** Short reason for the log; never contains secrets. */
  error?: string;
  /** True when retrying cannot help (invalid key, unknown chat). */
  permanent?: boolean;
}
