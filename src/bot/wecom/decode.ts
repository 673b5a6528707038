import type { IncomingMessage } from '../../messages.js';

/**
 * Pure decoding of a WeCom 智能机器人 `aibot_msg_callback` body into an {@link IncomingMessage}.
 * Body format: https://developer.work.weixin.qq.com/document/path/101463 (接收消息回调) and the SDK's
 * `dist/types/message.d.ts`. Group chats reach the robot only when it is @mentioned, so a group
 * message is always `mentionedBot: true`; the mention stays inline in the text and is stripped here.
 *
 * @example
 * decodeWecomMessage({ msgid: 'm1', chattype: 'group', chatid: 'wrOg', from: { userid: 'zhangsan' },
 *   msgtype: 'text', text: { content: '@Bot /进度' } })
 * // → { channel: 'wecom', msgId: 'm1', chatId: 'wrOg', chatType: 'group', senderId: 'zhangsan',
 * //     text: '/进度', mentionedBot: true }
 */
export function decodeWecomMessage(body: unknown, options: DecodeOptions = {}): IncomingMessage | undefined {
  if (!isRecord(body)) return undefined;
  const senderId = stringField(isRecord(body.from) ? body.from : undefined, 'userid');
  if (!senderId) return undefined;
  const raw = textOf(body);
  if (raw === undefined) return undefined;

  const isGroup = body.chattype === 'group';
  const chatId = isGroup ? stringField(body, 'chatid') : senderId;
  if (!chatId) return undefined; // a group message without chatid cannot be answered

  const text = normalizeSpaces(stripBotMention(raw, isGroup, options.botName)).trim();
  const msgId = stringField(body, 'msgid');
  return {
    channel: options.channel ?? 'wecom',
    ...(msgId ? { msgId } : {}),
    chatId,
    chatType: isGroup ? 'group' : 'private',
    senderId,
    text,
    ...(isGroup ? { mentionedBot: true } : {}),
  };
}

export interface DecodeOptions {
  /** The robot's display name (BOT_NAME); with it the @mention is removed exactly, wherever it is. */
  botName?: string;
  /** Channel name to stamp on the message; defaults to 'wecom'. */
  channel?: string;
}

/** Text of a text, voice (already transcribed by WeCom) or mixed message; undefined for other types. */
function textOf(body: Record<string, unknown>): string | undefined {
  switch (body.msgtype) {
    case 'text':
      return isRecord(body.text) ? stringField(body.text, 'content') : undefined;
    case 'voice':
      return isRecord(body.voice) ? stringField(body.voice, 'content') : undefined;
    case 'mixed': {
      const items = isRecord(body.mixed) && Array.isArray(body.mixed.msg_item) ? body.mixed.msg_item : [];
      const texts = items
        .filter((item): item is Record<string, unknown> => isRecord(item) && item.msgtype === 'text')
        .map((item) => (isRecord(item.text) ? stringField(item.text, 'content') ?? '' : ''))
        .filter((t) => t.trim() !== '');
      return texts.length ? texts.join('\n') : undefined;
    }
    default:
      return undefined;
  }
}

/** Spaces WeCom puts after an inline @mention: U+2005 (four-per-em), U+00A0, U+3000 and ordinary ones. */
const MENTION_GAP = '[\\s\\u2005\\u00a0\\u3000]';

function stripBotMention(text: string, isGroup: boolean, botName: string | undefined): string {
  if (botName) {
    const exact = new RegExp(`@${escapeRegExp(botName)}(?:${MENTION_GAP}+|$|(?=[/／]))`);
    if (exact.test(text)) return text.replace(exact, '');
  }
  if (!isGroup) return text; // in a 1:1 chat a leading @ is not the robot
  // A group callback means the robot was @mentioned, so a leading @token is taken to be the robot;
  // a command glued to it (“@助手/进度”) keeps its slash.
  return text.replace(new RegExp(`^${MENTION_GAP}*@[^\\s\\u2005\\u00a0\\u3000/／]+(?:${MENTION_GAP}+|$|(?=[/／]))`), '');
}

function normalizeSpaces(text: string): string {
  return text.replace(/[\u2005\u00a0]/g, ' ');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
