import { z } from 'zod';
import type { IncomingMessage } from '../../messages.js';

/**
 * The `data` of a DingTalk robot CALLBACK (topic `/v1.0/im/bot/messages/get`), as far as we read it.
 * Fields the SDK does not type (`conversationTitle`, `isInAtList`, `atUsers`) are on the wire too.
 * See https://open.dingtalk.com/document/orgapp/receive-message
 */
const robotMessageSchema = z.object({
  msgId: z.string().optional(),
  msgtype: z.string(),
  text: z.object({ content: z.string() }).optional(),
  /** "1" = single (1:1) chat, "2" = group. A string on the wire. */
  conversationType: z.string(),
  conversationId: z.string().optional(),
  conversationTitle: z.string().optional(),
  chatbotUserId: z.string().optional(),
  senderId: z.string().optional(),
  senderStaffId: z.string().optional(),
  senderNick: z.string().optional(),
  isInAtList: z.boolean().optional(),
  atUsers: z.array(z.object({ dingtalkId: z.string().optional(), staffId: z.string().optional() })).optional(),
  sessionWebhook: z.string().optional(),
  /** Epoch milliseconds. */
  sessionWebhookExpiredTime: z.number().optional(),
  robotCode: z.string().optional(),
  createAt: z.number().optional(),
});

export type DingTalkRobotMessage = z.infer<typeof robotMessageSchema>;

/** Where to answer one message without an access token, and until when. */
export interface DingTalkSession {
  url: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Reads the JSON string carried in a CALLBACK frame's `data`; undefined when it is not a robot message.
 * @example parseRobotMessage(frame.data)?.msgtype // 'text'
 */
export function parseRobotMessage(data: string): DingTalkRobotMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined; // not JSON: the caller logs that the frame was unreadable
  }
  const parsed = robotMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/**
 * A robot message as the bot core sees it. Pictures, files and rich text are not commands: undefined.
 * @example decodeDingTalk(parseRobotMessage(frame.data)!)?.text // '/help' (trimmed)
 */
export function decodeDingTalk(raw: DingTalkRobotMessage): IncomingMessage | undefined {
  if (raw.msgtype !== 'text' || raw.text === undefined) return undefined;
  const senderId = raw.senderStaffId || raw.senderId;
  if (!senderId) return undefined;
  const isGroup = raw.conversationType === '2';
  if (!isGroup && raw.conversationType !== '1') return undefined;
  const chatId = isGroup ? raw.conversationId : senderId;
  if (!chatId) return undefined;
  const mentions = (raw.atUsers ?? [])
    .filter((u) => u.dingtalkId !== raw.chatbotUserId && u.staffId)
    .map((u) => ({ userId: u.staffId }));
  return {
    channel: 'dingtalk',
    ...(raw.msgId ? { msgId: raw.msgId } : {}),
    chatId,
    chatType: isGroup ? 'group' : 'private',
    ...(raw.conversationTitle ? { chatTitle: raw.conversationTitle } : {}),
    senderId,
    ...(raw.senderNick ? { senderName: raw.senderNick } : {}),
    text: raw.text.content.trim(),
    mentions,
    // In groups the robot only receives messages that @ it, so a missing flag means "mentioned".
    mentionedBot: raw.isInAtList ?? isGroup,
  };
}

/** The message's sessionWebhook and its expiry, when both are present. */
export function sessionOf(raw: DingTalkRobotMessage): DingTalkSession | undefined {
  if (!raw.sessionWebhook || raw.sessionWebhookExpiredTime === undefined) return undefined;
  return { url: raw.sessionWebhook, expiresAt: raw.sessionWebhookExpiredTime };
}
