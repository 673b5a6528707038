import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { platformOf, type Card, type ChatTarget, type MentionRef, type OutgoingMessage, type SendResult } from '../messages.js';
import { userIdsOf } from '../store/person.repository.js';
import type { Q } from '../store/helpers.js';
import { insertId } from '../store/helpers.js';

/** A message waiting in the outbox: written once under its key, then delivered by a channel. */
export interface OutboxItem {
  messageKey: string;
  unitId: number | null;
  target: ChatTarget;
  message: OutgoingMessage;
}

export const MAX_ATTEMPTS = 10;
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 3_600_000;

/** 30 s, 1 min, 2 min, … capped at 1 h. */
export const backoffMs = (attempts: number): number => Math.min(BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);

/** Writes the items whose keys are not there yet; returns how many were written. */
export async function enqueueAll(db: Q, items: readonly OutboxItem[], now: Date): Promise<number> {
  let written = 0;
  for (const item of items) if ((await enqueue(db, item, now)) !== undefined) written++;
  return written;
}

/** @mentions of these people on the chat's platform (with their platform ids where linked). */
export async function mentionsOn(db: Q, people: ReadonlyArray<{ id: number; name: string }>, channel: string): Promise<MentionRef[]> {
  const ids = await userIdsOf(db, people.map((p) => p.id), platformOf(channel));
  return people.map((p) => {
    const m: MentionRef = { personId: p.id, name: p.name };
    const uid = ids.get(p.id);
    if (uid) m.userId = uid;
    return m;
  });
}

/** Writes an item unless its key is already there; returns the row id, or undefined when it existed. */
export async function enqueue(db: Q, item: OutboxItem, now: Date): Promise<number | undefined> {
  const exists = await db.selectFrom('outbox').select('id').where('message_key', '=', item.messageKey).executeTakeFirst();
  if (exists) return undefined;
  const t = item.target;
  return insertId(db, db.insertInto('outbox').values({
    message_key: item.messageKey,
    unit_id: item.unitId,
    channel: t.channel,
    target_kind: t.kind,
    target_id: t.kind === 'chat' ? t.chatId : t.userId,
    target_name: t.kind === 'chat' ? (t.title ?? null) : t.name,
    person_id: t.kind === 'person' ? t.personId : null,
    text: item.message.text,
    mentions: JSON.stringify(item.message.mentions),
    card: item.message.card ? JSON.stringify(item.message.card) : null,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now.toISOString(),
    last_error: null,
    created_at: now.toISOString(),
    sent_at: null,
  }));
}

export interface DeliverDeps {
  db: Q;
  clock: Clock;
  log: Logger;
  send: (target: ChatTarget, message: OutgoingMessage) => Promise<SendResult>;
}

export interface DeliverResult {
  sent: number;
  retrying: number;
  failed: number;
}

function toTarget(r: { channel: string; target_kind: string; target_id: string; target_name: string | null; person_id: number | null }): ChatTarget {
  if (r.target_kind === 'person') return { kind: 'person', channel: r.channel, userId: r.target_id, personId: r.person_id ?? 0, name: r.target_name ?? r.target_id };
  const t: ChatTarget = { kind: 'chat', channel: r.channel, chatId: r.target_id };
  if (r.target_name) t.title = r.target_name;
  return t;
}

/** A send that has not answered after this long counts as a failed attempt, retried with backoff. */
export const SEND_TIMEOUT_MS = 30_000;
/** A delivery pass starts no new send after this long; the rest goes out on the next tick. */
export const DELIVERY_BUDGET_MS = 20_000;
/** Rows read from the outbox at a time. */
const BATCH = 200;

/**
 * Sends what is due in the outbox, oldest first, batch after batch until nothing due is left or
 * {@link DELIVERY_BUDGET_MS} (by the injected clock) has passed. Success marks a row sent; a failure
 * is retried with backoff (or after the platform's retry-after); after MAX_ATTEMPTS, or a permanent
 * error, the row is marked failed and logged — never silently dropped. A send that does not answer
 * within {@link SEND_TIMEOUT_MS} is a failure too, so a channel that hangs cannot hold up the
 * scheduler (should it still deliver late, the retry sends the message again). A target whose send
 * failed is not tried again in the same pass, so messages to one chat keep their order.
 */
export async function deliverPending(deps: DeliverDeps): Promise<DeliverResult> {
  const started = deps.clock.now();
  const dueBy = started.toISOString();
  const blocked = new Set<string>();
  const result: DeliverResult = { sent: 0, retrying: 0, failed: 0 };
  // Read in id order after the last row seen: a row skipped (blocked target) is not read again this pass.
  let after = 0;
  for (;;) {
    const rows = await deps.db.selectFrom('outbox')
      .select(['id', 'message_key', 'channel', 'target_kind', 'target_id', 'target_name', 'person_id', 'text', 'mentions', 'card', 'attempts', 'unit_id'])
      .where('status', '=', 'pending').where('next_attempt_at', '<=', dueBy).where('id', '>', after)
      .orderBy('id').limit(BATCH).execute();
    for (const row of rows) {
      if (deps.clock.now().getTime() - started.getTime() >= DELIVERY_BUDGET_MS) return result;
      after = row.id;
      const targetKey = `${row.channel}:${row.target_kind}:${row.target_id}`;
      if (blocked.has(targetKey)) continue;
      if (!(await deliverOne(deps, row, result))) blocked.add(targetKey);
    }
    if (rows.length < BATCH) return result;
  }
}

type OutboxRow = {
  id: number; channel: string; target_kind: string; target_id: string; target_name: string | null; person_id: number | null;
  text: string; mentions: string; attempts: number; unit_id: number | null; message_key: string; card: string | null;
};

/** The row's message: text and mentions, and its card (with the row's key, so a retry reuses the card's id). */
export function messageOfRow(row: Pick<OutboxRow, 'id' | 'text' | 'mentions' | 'card' | 'message_key'>, log: Logger): OutgoingMessage {
  let mentions: MentionRef[] = [];
  try {
    mentions = JSON.parse(row.mentions) as MentionRef[];
  } catch {
    log.warn({ outbox: row.id }, 'outbox row has unreadable mentions; sending without them');
  }
  const message: OutgoingMessage = { text: row.text, mentions };
  if (row.card) {
    try {
      message.card = JSON.parse(row.card) as Card;
      message.key = row.message_key;
    } catch {
      log.warn({ outbox: row.id }, 'outbox row has an unreadable card; sending the text');
    }
  }
  return message;
}

/** Sends one row and records the outcome; false when it failed. */
async function deliverOne(deps: DeliverDeps, row: OutboxRow, result: DeliverResult): Promise<boolean> {
  let res: SendResult;
  try {
    res = await within(SEND_TIMEOUT_MS, deps.send(toTarget(row), messageOfRow(row, deps.log)));
  } catch (err) {
    res = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const at = deps.clock.now();
  if (res.ok) {
    await deps.db.updateTable('outbox').set({ status: 'sent', sent_at: at.toISOString(), attempts: row.attempts + 1, last_error: null }).where('id', '=', row.id).execute();
    result.sent++;
    return true;
  }
  const attempts = row.attempts + 1;
  const error = (res.error ?? 'send failed').slice(0, 480);
  if (res.permanent || attempts >= MAX_ATTEMPTS) {
    await deps.db.updateTable('outbox').set({ status: 'failed', attempts, last_error: error }).where('id', '=', row.id).execute();
    deps.log.error({ outbox: row.id, unit: row.unit_id, channel: row.channel, attempts, error }, 'message could not be delivered; marked failed');
    result.failed++;
  } else {
    const wait = Math.max(res.retryAfterMs ?? 0, backoffMs(attempts));
    await deps.db.updateTable('outbox').set({ attempts, last_error: error, next_attempt_at: new Date(at.getTime() + wait).toISOString() }).where('id', '=', row.id).execute();
    deps.log.warn({ outbox: row.id, channel: row.channel, attempts, retryInMs: wait, error }, 'send failed; will retry');
    result.retrying++;
  }
  return false;
}

/** The send's answer, or a failure once `ms` have passed without one (the timer does not keep the process alive). */
async function within(ms: number, sending: Promise<SendResult>): Promise<SendResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<SendResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `no answer within ${ms / 1000} s` }), ms);
    timer.unref();
  });
  try {
    return await Promise.race([sending, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
