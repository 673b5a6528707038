import { localDateOfNow, toLocalDate } from '../domain/dates.js';
import { shownButtons, type Card, type CardPress, type ChatTarget, type Delivery, type IncomingMessage, type OutgoingMessage, type PressOutcome } from '../messages.js';
import { markProcessed, wasProcessed } from '../store/audit.repository.js';
import { findCard, openCardsAbout, registerCard, saveCard, setPrompt, subjectState, takePrompt, type StoredCard, type SubjectState } from '../store/card.repository.js';
import { cardText } from '../text/cards.js';
import { textOf, type TextKey, type TextParams } from '../text/index.js';
import { dispatch, dispatchWith, type CoreDeps } from './dispatch.js';
import { parseCommand } from './parse.js';
import type { ParseResult } from './types.js';

/**
 * Buttons instead of typing. A button's action is the command text a person would type; a press
 * becomes that text, sent by the presser in the chat the card is in, and goes through
 * {@link dispatch} like any typed message — the same parse, permission check, handler, store
 * writes, audit row and reply. What is added here is only what a card needs besides:
 * - a press on a card whose leave is decided, item done or meeting cancelled is answered, not run;
 * - a button that needs one more line (驳回's reason, 完成's 说明) first dry-runs the command (so a
 *   presser without the right gets the typed command's refusal at once), then asks; the presser's
 *   next message in that chat completes the command ({@link handleMessage});
 * - a redelivered press (same platform event id) is handled once;
 * - after a press the card is re-rendered from the store (decided, items done) for the channel to update.
 */

/**
 * The changes that settle what a whole card is about (see subjectState): a leave decided, a meeting
 * cancelled (and with it its leave requests). Any other change (a talk, a step recorded) leaves
 * every card as it is, and costs no look-up of cards after the command.
 */
const SETTLES_CARDS: ReadonlySet<string> = new Set(['leave.approve', 'leave.reject', 'meeting.cancel']);

/** The subjects (`leave:12`, `meeting:3`) of the changes in `touched` that settle cards. */
function settledSubjects(touched: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of touched) {
    const space = t.indexOf(' ');
    if (SETTLES_CARDS.has(t.slice(0, space))) out.push(t.slice(space + 1));
  }
  return out;
}

/** How long a question a button asked waits for its answer. */
export const PROMPT_TTL_MS = 30 * 60_000;

/** The typed message a press stands for: the presser speaking in the card's chat (their own private chat for a private card). */
function pressMessage(stored: StoredCard, press: CardPress, text: string): IncomingMessage {
  const base = { channel: press.channel, msgId: `press:${press.eventId}`, senderId: press.userId, text, mentionedBot: true };
  const t = stored.target;
  if (t.kind === 'chat') return { ...base, chatId: t.chatId, chatType: 'group', ...(t.title ? { chatTitle: t.title } : {}), ...(press.userName ? { senderName: press.userName } : {}) };
  return { ...base, chatId: press.userId, chatType: 'private', ...(press.userName ? { senderName: press.userName } : {}) };
}

/** A reply where the press happened: the card's group, or the presser's private chat. */
function textTo(msg: IncomingMessage, text: string): Delivery {
  const target: ChatTarget = msg.chatType === 'group'
    ? { kind: 'chat', channel: msg.channel, chatId: msg.chatId, ...(msg.chatTitle ? { title: msg.chatTitle } : {}) }
    : { kind: 'person', channel: msg.channel, userId: msg.senderId, personId: 0, name: msg.senderName ?? msg.senderId };
  return { target, message: { text, mentions: [] } };
}

const replyTo = (msg: IncomingMessage, key: TextKey, params: unknown): Delivery => textTo(msg, textOf(key, params as TextParams<typeof key>));

/** Handles one press; never throws for a bad press (unknown card, missing button). */
export async function pressCard(press: CardPress, deps: CoreDeps): Promise<PressOutcome> {
  const now = deps.clock.now().toISOString();
  const stored = await findCard(deps.db, press.cardId);
  if (!stored || stored.target.channel !== press.channel) {
    const msg: IncomingMessage = { channel: press.channel, chatId: press.userId, chatType: 'private', senderId: press.userId, text: '' };
    return { deliveries: [replyTo(msg, 'card.unknown', {})] };
  }
  const button = stored.card.buttons[press.button];
  const msg = pressMessage(stored, press, button?.command ?? '');
  if (await wasProcessed(deps.db, msg.channel, msg.msgId!)) return { deliveries: [] };
  const state = await subjectState(deps.db, button?.subject ?? stored.card.subject);
  if (!button || button.settled || state.state !== 'open' || stored.status === 'closed') {
    // A stale card: say so once, and show the card as it is now.
    if (!(await markProcessed(deps.db, msg.channel, msg.msgId!, now))) return { deliveries: [] };
    const whole = button ? await subjectState(deps.db, stored.card.subject) : state;
    // The pressed copy is out of date even when the store's is not (WeCom updates only in answer to a click): show it as it is.
    const card = (await refreshCard(deps, stored, now)) ?? asMessage(stored.card);
    return { deliveries: [staleReply(msg, whole.state === 'open' ? state : whole)], card };
  }
  if (button.ask) {
    // Would the command be allowed? The dry run answers with the typed command's own refusal.
    const trial = await dispatchWith({ ...msg, text: `${button.command} ${DRY_RUN_ANSWER}` }, deps, { dryRun: true });
    if (!(await markProcessed(deps.db, msg.channel, msg.msgId!, now))) return { deliveries: [] };
    if (trial.refused) return { deliveries: trial.deliveries.filter((d) => !d.message.card) };
    await setPrompt(deps.db, { channel: msg.channel, chatId: msg.chatId, userId: msg.senderId, cardId: stored.id, command: button.command }, now);
    return { deliveries: [textTo(msg, button.ask)] };
  }
  const deliveries = await dispatch(msg, deps);
  const card = await refreshCard(deps, stored, now);
  return { deliveries, ...(card ? { card } : {}) };
}

/** Stands in for the line a button asks for while its command is tried (never stored, never shown). */
const DRY_RUN_ANSWER = 'dry-run';

function staleReply(msg: IncomingMessage, s: SubjectState): Delivery {
  switch (s.state) {
    case 'leaveDecided':
      return replyTo(msg, 'card.leaveDecided', { name: s.name, approved: s.approved, by: s.by, at: toLocalDate(new Date(s.at)) });
    case 'itemDone':
      return replyTo(msg, 'card.itemDone', { no: s.no });
    case 'cancelled':
      return replyTo(msg, 'card.meetingCancelled', {});
    case 'gone':
      return replyTo(msg, 'card.gone', {});
    default:
      return replyTo(msg, 'card.unknown', {});
  }
}

function outcomeOf(s: SubjectState): string | undefined {
  switch (s.state) {
    case 'leaveDecided':
      return cardText.outcomeLeave({ approved: s.approved, by: s.by, at: toLocalDate(new Date(s.at)) });
    case 'itemDone':
      return cardText.outcomeItemDone({ no: s.no });
    case 'cancelled':
      return cardText.outcomeCancelled({});
    case 'gone':
      return cardText.outcomeGone({});
    default:
      return undefined;
  }
}

/**
 * The card as the store says it should look now: closed with its outcome when what it is about
 * is settled, otherwise without the buttons whose own subject is settled. Saved when it changed;
 * undefined when nothing changed.
 */
export async function refreshCard(deps: Pick<CoreDeps, 'db'>, stored: StoredCard, now: string): Promise<OutgoingMessage | undefined> {
  const card = stored.card;
  const outcome = outcomeOf(await subjectState(deps.db, card.subject));
  let next: Card;
  let changed = false;
  if (outcome) {
    next = { ...card, outcome };
    changed = outcome !== card.outcome;
  } else {
    const buttons = [];
    for (const b of card.buttons) {
      const settled = b.settled === true || (b.subject !== undefined && (await subjectState(deps.db, b.subject)).state !== 'open');
      if (settled && !b.settled) changed = true;
      buttons.push(settled ? { ...b, settled: true } : b);
    }
    next = { ...card, buttons };
  }
  if (!changed) return undefined;
  await saveCard(deps.db, stored.id, next, now);
  return asMessage(next);
}

const asMessage = (card: Card): OutgoingMessage => ({ text: [card.title, ...card.lines, ...(card.outcome ? [card.outcome] : [])].join('\n'), mentions: [], card });

/**
 * A message that answers a question a button asked (the presser's next message in that chat, not a
 * command) becomes the command with the answer appended, then goes through {@link dispatch}.
 * Anything else is dispatched as it is. Returns the deliveries and, when a prompt was answered,
 * the card it came from re-rendered (see {@link refreshCard}).
 */
export async function handleMessage(msg: IncomingMessage, deps: CoreDeps): Promise<{ deliveries: Delivery[]; cards: ChangedCard[] }> {
  const text = stripBotName(msg.text ?? '', deps.config.BOT_NAME);
  const nowDate = deps.clock.now();
  const addressed = msg.chatType === 'private' || msg.mentionedBot === true || msg.channel === 'console';
  // An answer is a line that is not a command: `@生活会助手 进度` is /进度, not a 说明 of "进度".
  const answering = addressed && text !== '' && !/^[/／]/.test(text) && !isCommand(parseCommand(text, localDateOfNow(nowDate), { addressed: true }));
  const prompt = answering ? await takePrompt(deps.db, msg.channel, msg.chatId, msg.senderId, new Date(nowDate.getTime() - PROMPT_TTL_MS).toISOString()) : undefined;
  const run = await dispatchWith(prompt ? { ...msg, text: `${prompt.command} ${text}`, mentionedBot: true } : msg, deps);
  // The cards about what the command changed (a leave decided by typing, a meeting cancelled), and the one whose question was answered.
  const ids = await openCardsAbout(deps.db, settledSubjects(run.touched ?? []));
  if (prompt && !ids.includes(prompt.cardId)) ids.push(prompt.cardId);
  const cards: ChangedCard[] = [];
  for (const id of ids) {
    const stored = await findCard(deps.db, id);
    const card = stored && (await refreshCard(deps, stored, nowDate.toISOString()));
    if (stored && card) cards.push({ id, target: stored.target, message: card });
  }
  return { deliveries: run.deliveries, cards };
}

/** A sent card that should now look different, for its channel to update where the platform allows. */
export interface ChangedCard {
  id: number;
  target: ChatTarget;
  message: OutgoingMessage;
}

const isCommand = (r: ParseResult): boolean => r.kind !== 'none' && r.kind !== 'invalid';

function stripBotName(text: string, botName: string): string {
  const t = text.trim();
  return t.startsWith(`@${botName}`) ? t.slice(botName.length + 1).trim() : t;
}

/**
 * Gives every card about to be sent through a channel that shows cards its id in the store (a
 * message from the outbox passes its key, so a retried send reuses its card). Cards for channels
 * that cannot show them are left out: those channels send the text.
 */
export async function registerCards(deps: Pick<CoreDeps, 'db' | 'clock'>, deliveries: Delivery[], showsCards: (channel: string) => boolean): Promise<Delivery[]> {
  const now = deps.clock.now().toISOString();
  for (const d of deliveries) {
    const card = d.message.card;
    if (!card) continue;
    if (!showsCards(d.target.channel) || shownButtons(card).length === 0) {
      delete d.message.card;
      continue;
    }
    if (card.id === undefined) card.id = await registerCard(deps.db, d.target, card, d.message.key, now);
  }
  return deliveries;
}
