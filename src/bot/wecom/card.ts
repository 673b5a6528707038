import type { TemplateCard } from '@wecom/aibot-node-sdk';
import { shownButtons, type Card, type CardPress } from '../../messages.js';

/**
 * WeCom 模板卡片 for the 智能机器人 long connection, and the click event it sends back.
 *
 * What was verified, and where (see also tests/fakes/wecom-server.ts):
 * - [SDK] `@wecom/aibot-node-sdk@1.0.7` dist/index.esm.js and dist/types: a card goes out with
 *   `sendMessage(chatid, { msgtype: 'template_card', template_card })` (cmd `aibot_send_msg`);
 *   `button_interaction` cards carry `button_list` (≤ 6 buttons, `{ text, style 1–4, key ≤ 1024 bytes }`)
 *   and a `task_id` (unique per robot, digits/letters/`_-@`, ≤ 128 bytes).
 * - [SDK] a click arrives as cmd `aibot_event_callback` with `body.msgtype = 'event'`,
 *   `body.event = { eventtype: 'template_card_event', event_key, task_id }`, `body.from.userid`
 *   (the clicker), `body.chatid`/`chattype` (group only) and `body.msgid` (the SDK comment: the unique mark of this callback, for de-duplicating events);
 *   the SDK emits it as `event.template_card_event`.
 * - [SDK] the card is updated with `updateTemplateCard(frame, template_card)` (cmd
 *   `aibot_respond_update_msg`, `{ response_type: 'update_template_card', template_card }`) using the
 *   click's req_id, within 5 s of the click; `task_id` must be the clicked card's. Outside a click
 *   there is no way to update a card, so a card decided by a typed command shows its outcome at its next click.
 * - [DOC, not run against WeCom] field limits are the SDK's comments (title ≤ 26 chars, sub_title ≤ 112).
 */

/** The card's task id on WeCom: our card id, so a click finds the card after a restart. */
export const taskIdOf = (cardId: number): string => `shh-card-${cardId}`;

/** A button's key: the card and the button's index (`12:0`); a closed card's only button has index `x`. */
export const buttonKey = (cardId: number, index: number | 'x'): string => `${cardId}:${index}`;

const SUBTITLE_MAX_CHARS = 112;

/** Our card as a `button_interaction` template card (a closed card keeps one inert button that shows the outcome). */
export function wecomTemplateCard(card: Card & { id: number }): TemplateCard {
  const text = card.lines.join('\n');
  const shown = shownButtons(card).slice(0, 6);
  return {
    card_type: 'button_interaction',
    main_title: { title: card.title, ...(card.outcome ? { desc: card.outcome } : {}) },
    sub_title_text: text.length > SUBTITLE_MAX_CHARS ? `${text.slice(0, SUBTITLE_MAX_CHARS - 1)}…` : text,
    button_list: shown.length === 0
      ? [{ text: (card.outcome ?? card.title).slice(0, 10), style: 4, key: buttonKey(card.id, 'x') }]
      : shown.map(({ button: b, index }) => ({ text: b.label, style: b.style === 'danger' ? 3 : b.style === 'primary' ? 1 : 2, key: buttonKey(card.id, index) })),
    task_id: taskIdOf(card.id),
  };
}

/** A `template_card_event` body as a {@link CardPress}; undefined for other events or foreign keys. */
export function decodeWecomCardEvent(body: unknown, channel = 'wecom'): CardPress | undefined {
  if (!isRecord(body) || !isRecord(body.event) || body.event.eventtype !== 'template_card_event') return undefined;
  const userId = isRecord(body.from) && typeof body.from.userid === 'string' ? body.from.userid : undefined;
  const key = typeof body.event.event_key === 'string' ? body.event.event_key : '';
  const m = /^(\d+):(\d+|x)$/.exec(key);
  if (!userId || !m || typeof body.msgid !== 'string') return undefined;
  const cardId = Number(m[1]);
  // The key and the task id name the same card, or the click is not for one of ours.
  if (typeof body.event.task_id === 'string' && body.event.task_id !== taskIdOf(cardId)) return undefined;
  return { channel, eventId: body.msgid, cardId, button: m[2] === 'x' ? -1 : Number(m[2]), userId };
}

function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null;
}
