import { shownButtons, type Card, type CardPress, type ChatTarget, type MentionRef } from '../../messages.js';

/**
 * DingTalk 互动卡片 through the card API, with clicks over Stream mode.
 *
 * What was verified, and where (see also tests/fakes/dingtalk-server.ts):
 * - [SDK] `dingtalk-stream@2.1.5` dist/constants: `TOPIC_CARD = '/v1.0/card/instances/callback'`, a
 *   CALLBACK topic (registered like the robot's, acked with `socketCallBackResponse(messageId, response)`,
 *   which sends `data = JSON.stringify({ response })`).
 * - [SDK, other languages] the callback's `data` (open-dingtalk/dingtalk-stream-sdk-python
 *   card_callback_message.py, dingtalk-stream-sdk-go card/model.go): `{ type: 'actionCallback',
 *   outTrackId, userId, userIdType, corpId, spaceType, spaceId, extension, content, value }` where
 *   `content` is a JSON string `{ cardPrivateData: { actionIds: [...], params: {...} } }`; the
 *   response may carry `{ cardUpdateOptions: { updateCardDataByKey }, cardData: { cardParamMap } }`
 *   to update the card in answer to the click (Go SDK's CardResponse). The callback carries no id of
 *   its own: a click is de-duplicated on the stream frame's `headers.messageId`.
 * - [2nd, consistent across several open-source clients] `POST /v1.0/card/instances/createAndDeliver`
 *   `{ cardTemplateId, outTrackId, callbackType: 'STREAM', userIdType: 1, cardData: { cardParamMap },
 *   openSpaceId: 'dtv1.card//IM_GROUP.<openConversationId>' | 'dtv1.card//IM_ROBOT.<userId>',
 *   imGroupOpenSpaceModel / imGroupOpenDeliverModel: { robotCode, atUserIds: { <userId>: <name> } } |
 *   imRobotOpenSpaceModel / imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode } }`, answered
 *   `{ result: { outTrackId, deliverResults: [{ success, errorMsg, … }] } }`; `cardParamMap` values are strings.
 * - [SDK, Python] `PUT /v1.0/card/instances` `{ outTrackId, cardData: { cardParamMap } }` updates a card at any time.
 * - Not verifiable here: the card template itself is built in DingTalk's card platform by the
 *   operator (DINGTALK_CARD_TEMPLATE_ID); its variables are ours, listed in the README.
 */

/** The card's outTrackId: our card id, so a click finds the card after a restart. */
export const outTrackIdOf = (cardId: number): string => `shh-card-${cardId}`;

/**
 * The template's variables (all strings, as cardParamMap requires): `title`, `content` (markdown),
 * `buttons` (a JSON array `[{ text, key, color }]` for the template's loop; each button's
 * 回传请求 sends `{ key }`), `outcome` and `closed` ('true' hides the buttons).
 */
export function cardParamMap(card: Card & { id: number }): Record<string, string> {
  const shown = shownButtons(card);
  const closed = shown.length === 0;
  return {
    title: card.title,
    content: card.lines.join('\n\n'),
    buttons: JSON.stringify(shown.map(({ button: b, index }) => ({ text: b.label, key: `${card.id}:${index}`, color: b.style === 'danger' ? 'red' : b.style === 'primary' ? 'blue' : 'gray' }))),
    outcome: card.outcome ?? '',
    closed: String(closed),
  };
}

/** The createAndDeliver body for one card to one chat (a person's private chat with the robot, or a group). */
export function createAndDeliverBody(p: { card: Card & { id: number }; templateId: string; robotCode: string; target: ChatTarget; privateChat: boolean; mentions: MentionRef[] }): Record<string, unknown> {
  const base = {
    cardTemplateId: p.templateId,
    outTrackId: outTrackIdOf(p.card.id),
    callbackType: 'STREAM',
    userIdType: 1,
    cardData: { cardParamMap: cardParamMap(p.card) },
  };
  const userId = p.target.kind === 'person' ? p.target.userId : p.privateChat ? p.target.chatId : undefined;
  if (userId !== undefined) {
    return { ...base, openSpaceId: `dtv1.card//IM_ROBOT.${userId}`, imRobotOpenSpaceModel: { supportForward: false }, imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: p.robotCode } };
  }
  const chatId = p.target.kind === 'chat' ? p.target.chatId : '';
  const atUserIds = Object.fromEntries(p.mentions.filter((m) => m.userId).map((m) => [m.userId!, m.name]));
  return {
    ...base,
    openSpaceId: `dtv1.card//IM_GROUP.${chatId}`,
    imGroupOpenSpaceModel: { supportForward: false },
    imGroupOpenDeliverModel: { robotCode: p.robotCode, ...(Object.keys(atUserIds).length ? { atUserIds } : {}) },
  };
}

/** A card callback's `data` (a JSON string) as a {@link CardPress}; undefined when unreadable or not one of ours. */
export function decodeDingTalkCardCallback(data: unknown, messageId: string, channel = 'dingtalk'): CardPress | undefined {
  let raw: unknown;
  try {
    raw = typeof data === 'string' ? JSON.parse(data) : data;
  } catch {
    return undefined;
  }
  if (!isRecord(raw) || typeof raw.userId !== 'string' || typeof raw.outTrackId !== 'string') return undefined;
  const track = /^shh-card-(\d+)$/.exec(raw.outTrackId);
  if (!track) return undefined;
  let content: unknown;
  try {
    content = typeof raw.content === 'string' ? JSON.parse(raw.content) : raw.content;
  } catch {
    return undefined;
  }
  const priv = isRecord(content) && isRecord(content.cardPrivateData) ? content.cardPrivateData : undefined;
  const params = priv && isRecord(priv.params) ? priv.params : {};
  const actionIds = priv && Array.isArray(priv.actionIds) ? priv.actionIds : [];
  const key = [params.key, ...actionIds].find((k): k is string => typeof k === 'string' && /^\d+:\d+$/.test(k));
  if (!key) return undefined;
  const [cardId, button] = key.split(':').map(Number) as [number, number];
  if (cardId !== Number(track[1])) return undefined;
  return { channel, eventId: messageId, cardId, button, userId: raw.userId };
}

function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null;
}
