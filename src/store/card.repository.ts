import type { Card, ChatTarget } from '../messages.js';
import type { Q } from './helpers.js';
import { insertId } from './helpers.js';

/** A card as the store keeps it: where it went and what it shows. */
export interface StoredCard {
  id: number;
  target: ChatTarget;
  card: Card;
  status: 'open' | 'closed';
}

/**
 * Registers a card about to be sent to `target`, returning its id (the button keys carry it). A
 * message from the outbox names its key: a retried send finds the card registered the first time.
 */
export async function registerCard(db: Q, target: ChatTarget, card: Card, messageKey: string | undefined, now: string): Promise<number> {
  if (messageKey) {
    const found = await db.selectFrom('card').select('id').where('message_key', '=', messageKey).executeTakeFirst();
    if (found) return found.id;
  }
  const { id: _id, ...body } = card;
  return insertId(db, db.insertInto('card').values({
    message_key: messageKey ?? null,
    channel: target.channel,
    target_kind: target.kind,
    target_id: target.kind === 'chat' ? target.chatId : target.userId,
    target_name: target.kind === 'chat' ? (target.title ?? null) : target.name,
    subject: card.subject,
    body: JSON.stringify(body),
    status: card.outcome ? 'closed' : 'open',
    created_at: now,
    updated_at: now,
  }));
}

export async function findCard(db: Q, id: number): Promise<StoredCard | undefined> {
  const row = await db.selectFrom('card').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  let card: Card;
  try {
    card = { ...(JSON.parse(row.body) as Card), id: row.id };
  } catch {
    return undefined;
  }
  const target: ChatTarget = row.target_kind === 'person'
    ? { kind: 'person', channel: row.channel, userId: row.target_id, personId: 0, name: row.target_name ?? row.target_id }
    : { kind: 'chat', channel: row.channel, chatId: row.target_id, ...(row.target_name ? { title: row.target_name } : {}) };
  return { id: row.id, target, card, status: row.status === 'closed' ? 'closed' : 'open' };
}

/** Stores what the card shows now (after a press, or once what it is about was decided). */
export async function saveCard(db: Q, id: number, card: Card, now: string): Promise<void> {
  const { id: _id, ...body } = card;
  await db.updateTable('card').set({ body: JSON.stringify(body), status: card.outcome ? 'closed' : 'open', updated_at: now }).where('id', '=', id).execute();
}

/** Remembers that the presser owes the rest of `command` (one prompt per person and chat: a newer one replaces it). */
export async function setPrompt(db: Q, p: { channel: string; chatId: string; userId: string; cardId: number; command: string }, now: string): Promise<void> {
  await db.deleteFrom('card_prompt').where('channel', '=', p.channel).where('chat_id', '=', p.chatId).where('user_id', '=', p.userId).execute();
  await db.insertInto('card_prompt').values({ channel: p.channel, chat_id: p.chatId, user_id: p.userId, card_id: p.cardId, command: p.command, created_at: now }).execute();
}

/** The open prompt of this person in this chat asked at or after `since`, removed as it is taken. */
export async function takePrompt(db: Q, channel: string, chatId: string, userId: string, since: string): Promise<{ command: string; cardId: number } | undefined> {
  const row = await db.selectFrom('card_prompt').select(['id', 'command', 'card_id', 'created_at'])
    .where('channel', '=', channel).where('chat_id', '=', chatId).where('user_id', '=', userId).orderBy('id', 'desc').executeTakeFirst();
  if (!row) return undefined;
  await db.deleteFrom('card_prompt').where('id', '=', row.id).execute();
  return row.created_at >= since ? { command: row.command, cardId: row.card_id } : undefined;
}

/** What a card or a button is about, as the store has it now. */
export type SubjectState =
  | { state: 'open' }
  | { state: 'gone' }
  | { state: 'cancelled' }
  | { state: 'leaveDecided'; approved: boolean; name: string; by: string; at: string }
  | { state: 'itemDone'; no: number };

/** The state of `leave:<id>`, `item:<id>` or `meeting:<id>`; other subjects are always open. */
export async function subjectState(db: Q, subject: string | undefined): Promise<SubjectState> {
  const [kind = '', raw = ''] = (subject ?? '').split(':');
  const id = Number(raw);
  if (!Number.isInteger(id)) return { state: 'open' };
  if (kind === 'leave') {
    const row = await db.selectFrom('leave_request').innerJoin('meeting', 'meeting.id', 'leave_request.meeting_id').innerJoin('person', 'person.id', 'leave_request.person_id')
      .leftJoin('person as decider', 'decider.id', 'leave_request.decided_by')
      .select(['leave_request.status', 'leave_request.decided_at', 'meeting.status as meetingStatus', 'person.name', 'decider.name as by'])
      .where('leave_request.id', '=', id).executeTakeFirst();
    if (!row) return { state: 'gone' };
    if (row.meetingStatus === 'cancelled') return { state: 'cancelled' };
    if (row.status === 'pending') return { state: 'open' };
    return { state: 'leaveDecided', approved: row.status === 'approved', name: row.name, by: row.by ?? '', at: row.decided_at ?? '' };
  }
  if (kind === 'item') {
    const row = await db.selectFrom('item').innerJoin('meeting', 'meeting.id', 'item.meeting_id').select(['item.status', 'item.item_no', 'meeting.status as meetingStatus'])
      .where('item.id', '=', id).executeTakeFirst();
    if (!row) return { state: 'gone' };
    if (row.status === 'done') return { state: 'itemDone', no: row.item_no };
    return row.meetingStatus === 'cancelled' ? { state: 'cancelled' } : { state: 'open' };
  }
  if (kind === 'meeting') {
    const row = await db.selectFrom('meeting').select('status').where('id', '=', id).executeTakeFirst();
    if (!row) return { state: 'gone' };
    return row.status === 'cancelled' ? { state: 'cancelled' } : { state: 'open' };
  }
  return { state: 'open' };
}

/** Ids of the open cards about these subjects (`leave:12`, `meeting:3`; a meeting's pending leave requests come with it). */
export async function openCardsAbout(db: Q, subjects: readonly string[]): Promise<number[]> {
  if (subjects.length === 0) return [];
  const all = new Set(subjects);
  const meetings = subjects.filter((s) => s.startsWith('meeting:')).map((s) => Number(s.slice('meeting:'.length)));
  if (meetings.length) {
    const leaves = await db.selectFrom('leave_request').select('id').where('meeting_id', 'in', meetings).where('status', '=', 'pending').execute();
    for (const l of leaves) all.add(`leave:${l.id}`);
  }
  const rows = await db.selectFrom('card').select('id').where('subject', 'in', [...all]).where('status', '=', 'open').execute();
  return rows.map((r) => r.id);
}
