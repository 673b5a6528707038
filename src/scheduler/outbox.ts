import { MysqlAdapter, PostgresAdapter, type Updateable } from 'kysely';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { platformOf, type Card, type ChatTarget, type MentionRef, type OutgoingMessage, type SendResult } from '../messages.js';
import { userIdsOf } from '../store/person.repository.js';
import type { Q } from '../store/helpers.js';
import type { OutboxTable } from '../store/schema.js';
import { orIgnore, transactionally } from '../store/helpers.js';

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

/**
 * Writes an item unless its key is already there (written by this or another instance, also at
 * this very moment: the unique key decides); returns the row id, or undefined when it existed.
 */
export async function enqueue(db: Q, item: OutboxItem, now: Date): Promise<number | undefined> {
  const t = item.target;
  const insert = orIgnore(db, db.insertInto('outbox').values({
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
  if (db.getExecutor().adapter.supportsReturning) return (await insert.returning('id').executeTakeFirst())?.id;
  const done = await insert.executeTakeFirstOrThrow();
  return Number(done.numInsertedOrUpdatedRows ?? 0n) > 0 ? Number(done.insertId) : undefined;
}

export interface DeliverDeps {
  db: Q;
  clock: Clock;
  log: Logger;
  /** Who claims the rows this instance sends, and for how long (see {@link claimDue}). */
  config: Pick<Config, 'INSTANCE_ID' | 'OUTBOX_LEASE_SECONDS'>;
  send: (target: ChatTarget, message: OutgoingMessage) => Promise<SendResult>;
  /**
   * The channels this instance can send through: it claims only their rows (and rows of no channel,
   * which fail visibly), so an instance without, say, the WeCom long connection — which one instance
   * holds — leaves WeCom's messages to the one that has it. Undefined: every row.
   */
  channelNames?: readonly string[];
}

/** The channel of an outbox row for a unit with no bound chat (see the scheduler's compose). */
export const NO_CHANNEL = 'none';

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
/** Rows claimed at a time (each of another chat). */
const BATCH = 100;

/**
 * Sends what is due in the outbox, oldest first, batch after batch until nothing due is left or
 * {@link DELIVERY_BUDGET_MS} (by the injected clock) has passed. Each batch is claimed first
 * ({@link claimDue}), so instances sharing the database never send one row twice. Success marks a
 * row sent; a failure is retried with backoff (or after the platform's retry-after); after
 * MAX_ATTEMPTS, or a permanent error, the row is marked failed and logged — never silently dropped.
 * A send that does not answer within {@link SEND_TIMEOUT_MS} is a failure too, so a channel that
 * hangs cannot hold up the scheduler (should it still deliver late, the retry sends the message
 * again). Messages to one chat keep their order: a chat is served by one instance at a time, one
 * message after the other, and after a failed send its later messages wait for that message's
 * retry (at most one lease).
 */
export async function deliverPending(deps: DeliverDeps): Promise<DeliverResult> {
  const started = deps.clock.now();
  const result: DeliverResult = { sent: 0, retrying: 0, failed: 0 };
  for (;;) {
    // A chat's next message becomes claimable once the one before it is sent: claim until nothing is left.
    const claimedAt = deps.clock.now();
    const rows = await claimDue(deps, claimedAt, BATCH);
    if (rows.length === 0) return result;
    const lapses = claimedAt.getTime() + deps.config.OUTBOX_LEASE_SECONDS * 1000;
    for (let i = 0; i < rows.length; i++) {
      const now = deps.clock.now().getTime();
      // A claim that has run out (a send hung past the lease) may be another instance's now: not sent from here.
      if (now >= lapses) return result;
      if (now - started.getTime() >= DELIVERY_BUDGET_MS) {
        // Out of time: the rest of the batch is given back for the next tick (or another instance).
        await releaseClaims(deps, rows.slice(i).map((r) => r.id));
        return result;
      }
      await deliverOne(deps, rows[i]!, result);
    }
  }
}

type OutboxRow = {
  id: number; channel: string; target_kind: string; target_id: string; target_name: string | null; person_id: number | null;
  text: string; mentions: string; attempts: number; unit_id: number | null; message_key: string; card: string | null;
};

/**
 * Whether the store locks rows (`SELECT … FOR UPDATE SKIP LOCKED`): PostgreSQL and MySQL. The
 * embedded SQLite store has one writer, and its transaction alone makes a claim atomic.
 */
const locksRows = (db: Q): boolean => {
  const adapter = db.getExecutor().adapter;
  return adapter instanceof PostgresAdapter || adapter instanceof MysqlAdapter;
};

/**
 * Claims up to `limit` due rows for this instance (`claimed_by` = INSTANCE_ID, `lease_until` = now +
 * OUTBOX_LEASE_SECONDS), oldest first, in one short transaction, and returns them. A row is claimable
 * when it is pending and due, nobody holds a live lease on it, and it is the first due row of its
 * chat while no other row of that chat is leased: so one chat's messages go out one at a time, in
 * order, whichever instance sends them. On PostgreSQL the rows are read `FOR UPDATE SKIP LOCKED`: two
 * instances claiming at the same moment take different rows, never the same one. A claim whose lease
 * has run out (its instance died between claim and send) is claimable again.
 */
export async function claimDue(deps: Pick<DeliverDeps, 'db' | 'config' | 'channelNames'>, now: Date, limit: number): Promise<OutboxRow[]> {
  const at = now.toISOString();
  const leaseUntil = new Date(now.getTime() + deps.config.OUTBOX_LEASE_SECONDS * 1000).toISOString();
  return transactionally(deps.db, async (trx) => {
    const rows = await trx.selectFrom('outbox as o')
      .select(['o.id', 'o.message_key', 'o.channel', 'o.target_kind', 'o.target_id', 'o.target_name', 'o.person_id', 'o.text', 'o.mentions', 'o.card', 'o.attempts', 'o.unit_id'])
      .where('o.status', '=', 'pending').where('o.next_attempt_at', '<=', at)
      .$if(deps.channelNames !== undefined, (qb) => qb.where('o.channel', 'in', [...(deps.channelNames ?? []), NO_CHANNEL]))
      .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<=', at)]))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('outbox as p').select('p.id')
        .whereRef('p.target_id', '=', 'o.target_id').whereRef('p.channel', '=', 'o.channel').whereRef('p.target_kind', '=', 'o.target_kind')
        .where('p.status', '=', 'pending').whereRef('p.id', '<>', 'o.id')
        .where((p) => p.or([p.and([p('p.id', '<', p.ref('o.id')), p('p.next_attempt_at', '<=', at)]), p('p.lease_until', '>', at)])))))
      .orderBy('o.id').limit(limit)
      .$if(locksRows(trx), (qb) => qb.forUpdate().skipLocked())
      .execute();
    if (rows.length) await trx.updateTable('outbox').set({ claimed_by: deps.config.INSTANCE_ID, lease_until: leaseUntil }).where('id', 'in', rows.map((r) => r.id)).execute();
    return rows;
  });
}

/** Gives claimed rows back unsent (still this instance's claims): claimable again at once. */
async function releaseClaims(deps: DeliverDeps, ids: number[]): Promise<void> {
  if (ids.length) await deps.db.updateTable('outbox').set({ claimed_by: null, lease_until: null }).where('id', 'in', ids).where('claimed_by', '=', deps.config.INSTANCE_ID).execute();
}

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

/** Sends one row and records the outcome, if this instance still holds its claim. */
async function deliverOne(deps: DeliverDeps, row: OutboxRow, result: DeliverResult): Promise<void> {
  let res: SendResult;
  try {
    res = await within(SEND_TIMEOUT_MS, deps.send(toTarget(row), messageOfRow(row, deps.log)));
  } catch (err) {
    res = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const at = deps.clock.now();
  // Only the claimer records the outcome: a claim that lapsed meanwhile belongs to another instance now.
  const recorded = async (set: Updateable<OutboxTable>) => {
    const done = await deps.db.updateTable('outbox').set(set).where('id', '=', row.id).where('claimed_by', '=', deps.config.INSTANCE_ID).executeTakeFirst();
    if (Number(done.numUpdatedRows) > 0) return;
    deps.log.warn({ outbox: row.id, instance: deps.config.INSTANCE_ID, sent: res.ok }, 'outbox claim lapsed before the outcome was recorded; another instance may send this message again');
  };
  if (res.ok) {
    await recorded({ status: 'sent', sent_at: at.toISOString(), attempts: row.attempts + 1, last_error: null, lease_until: null });
    result.sent++;
    return;
  }
  const attempts = row.attempts + 1;
  const error = (res.error ?? 'send failed').slice(0, 480);
  if (res.permanent || attempts >= MAX_ATTEMPTS) {
    await recorded({ status: 'failed', attempts, last_error: error, lease_until: null });
    deps.log.error({ outbox: row.id, unit: row.unit_id, channel: row.channel, attempts, error }, 'message could not be delivered; marked failed');
    result.failed++;
  } else {
    const wait = Math.max(res.retryAfterMs ?? 0, backoffMs(attempts));
    const retryAt = new Date(at.getTime() + wait).toISOString();
    // The chat's later messages wait for this one's retry (at most a lease), set before this row is
    // given back: no instance can take the chat in between (this row's lease still holds it).
    const hold = wait <= deps.config.OUTBOX_LEASE_SECONDS * 1000 ? retryAt : new Date(at.getTime() + deps.config.OUTBOX_LEASE_SECONDS * 1000).toISOString();
    await deps.db.updateTable('outbox').set({ claimed_by: null, lease_until: hold })
      .where('target_id', '=', row.target_id).where('channel', '=', row.channel).where('target_kind', '=', row.target_kind)
      .where('status', '=', 'pending').where('id', '<>', row.id)
      .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('lease_until', '<=', at.toISOString())]))
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', hold)]))
      .execute();
    await recorded({ attempts, last_error: error, next_attempt_at: retryAt, claimed_by: null, lease_until: null });
    deps.log.warn({ outbox: row.id, channel: row.channel, attempts, retryInMs: wait, error }, 'send failed; will retry');
    result.retrying++;
  }
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
