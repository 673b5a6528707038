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

/**
 * One button of a card. Its action is the command a person would type (`/批准 @张三`): a press
 * runs that text through the same parse → permission → handler path as if the presser had typed it.
 */
export interface CardButton {
  label: string;
  command: string;
  /**
   * The command needs one more line from the presser (驳回's reason, 完成's 说明): this question is
   * put to them, and their next message in that chat is appended to the command.
   */
  ask?: string;
  /** What the button acts on (`leave:12`, `item:5`, `meeting:3`): a press on a decided or cancelled one is answered, not run. */
  subject?: string;
  style?: 'primary' | 'danger';
  /** What it acts on is settled (item done): no longer shown, but kept so that the others keep their index (the platforms' keys). */
  settled?: boolean;
}

/** The buttons still shown, with their index in the card's list (which the button keys carry). */
export function shownButtons(card: Card): Array<{ button: CardButton; index: number }> {
  return card.outcome ? [] : card.buttons.flatMap((button, index) => (button.settled ? [] : [{ button, index }]));
}

/**
 * Buttons instead of typing: an optional part of a message. Channels that cannot show cards (the
 * push-only group robots, DingTalk without a card template) send the message's text, which names
 * the commands to type; channels that can show the card and report which button was pressed.
 */
export interface Card {
  /** The store's card id, set once the card is registered (the platforms' button keys carry it). */
  id?: number;
  /** What the card is about as a whole (`leave:12`, `reminders:40`). */
  subject: string;
  title: string;
  lines: string[];
  buttons: CardButton[];
  /** Set when the card is closed (decided, done, cancelled): shown instead of the buttons. */
  outcome?: string;
}

/** Plain structured text: the first line is the title, the rest are lines; channels render it. */
export interface OutgoingMessage {
  text: string;
  mentions: MentionRef[];
  /** Stable key of the reminder or reply, for logs and the outbox. */
  key?: string;
  /** Buttons, where the channel can show them (the text stays the fallback). */
  card?: Card;
}

/** A button pressed on a card, as a channel decodes the platform's click. */
export interface CardPress {
  channel: string;
  /** The platform's id of this click (WeCom msgid, DingTalk stream messageId): a redelivery is handled once. */
  eventId: string;
  cardId: number;
  /** Index of the button in the card's list. */
  button: number;
  /** The presser's platform user id (console: the speaker's name). */
  userId: string;
  userName?: string;
}

/** What a press produces: messages (replies, news, private notes) and the card as it should now look. */
export interface PressOutcome {
  deliveries: Delivery[];
  /** The card re-rendered after the press (decided, items gone); undefined = leave it as it is. */
  card?: OutgoingMessage;
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
