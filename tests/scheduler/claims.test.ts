import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import type { ChatTarget, OutgoingMessage, SendResult } from '../../src/messages.js';
import { claimDue, deliverPending, enqueue } from '../../src/scheduler/outbox.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { freshPgStore, onPostgres } from '../helpers/pg.js';

/**
 * The outbox claim on its own (src/scheduler/outbox.ts), on the project's dialect: which rows an
 * instance may take, for how long, and what a failed send holds back. On PostgreSQL the two
 * claimers have their own pools on one database; on SQLite they share the store.
 */
const T0 = new Date('2026-12-08T01:00:00.000Z'); // 09:00 Asia/Shanghai
const SECOND = 1000;
const stores: Db[] = [];
afterEach(async () => {
  for (const db of stores.splice(0)) await db.destroy();
});

async function twoStores(): Promise<[Db, Db]> {
  if (onPostgres()) {
    const store = await freshPgStore(); // its own pool is closed with the database after the test
    const second = await openDatabase(store.url, { poolSize: 2 });
    stores.push(second);
    return [store.db, second];
  }
  const db = await openDatabase(':memory:');
  stores.push(db);
  return [db, db];
}

const claimer = (db: Db, id: string) => ({ db, config: loadConfig({ INSTANCE_ID: id, OUTBOX_LEASE_SECONDS: '120' }) });
const chat = (chatId: string): ChatTarget => ({ kind: 'chat', channel: 'console', chatId });

/** Messages `<chat>-<n>` written in this order (so in id order). */
async function write(db: Db, ...keys: string[]): Promise<Map<number, string>> {
  const ids = new Map<number, string>();
  for (const key of keys) {
    const id = await enqueue(db, { messageKey: key, unitId: null, target: chat(key.split('-')[0]!), message: { text: key, mentions: [] } }, T0);
    ids.set(id!, key);
  }
  return ids;
}

describe(claimDue.name, () => {
  it('gives two instances claiming at the same moment different rows: each chat’s first message, never one row twice', async () => {
    const [a, b] = await twoStores();
    const keys = await write(a, 'X-1', 'X-2', 'Y-1', 'Z-1', 'Z-2', 'W-1');
    const [mine, theirs] = await Promise.all([claimDue(claimer(a, 'A'), T0, 100), claimDue(claimer(b, 'B'), T0, 100)]);
    const taken = [...mine, ...theirs].map((r) => keys.get(r.id)).sort();
    expect(taken).toEqual(['W-1', 'X-1', 'Y-1', 'Z-1']); // the second message of a chat waits for the first
    const rows = await a.selectFrom('outbox').select(['message_key', 'claimed_by', 'lease_until']).orderBy('id').execute();
    const claimedBy = Object.fromEntries(rows.map((r) => [r.message_key, r.claimed_by]));
    for (const r of mine) expect(claimedBy[keys.get(r.id)!]).toBe('A');
    for (const r of theirs) expect(claimedBy[keys.get(r.id)!]).toBe('B');
    expect(rows.filter((r) => r.claimed_by !== null).map((r) => r.lease_until)).toEqual(Array(4).fill(new Date(T0.getTime() + 120 * SECOND).toISOString()));
  });

  it('holds a claim until its lease runs out, then lets another instance take it', async () => {
    const [a, b] = await twoStores();
    const keys = await write(a, 'X-1', 'Y-1');
    expect(await claimDue(claimer(a, 'A'), T0, 100)).toHaveLength(2);
    expect(await claimDue(claimer(b, 'B'), new Date(T0.getTime() + 119 * SECOND), 100)).toEqual([]);
    const late = await claimDue(claimer(b, 'B'), new Date(T0.getTime() + 120 * SECOND), 100);
    expect(late.map((r) => keys.get(r.id)).sort()).toEqual(['X-1', 'Y-1']);
  });

  it('leaves the rows of a channel this instance does not have to the instance that has it', async () => {
    const [a, b] = await twoStores();
    await write(a, 'X-1');
    await enqueue(a, { messageKey: 'wecom-1', unitId: null, target: { kind: 'chat', channel: 'wecom', chatId: '党办群' }, message: { text: 'wecom-1', mentions: [] } }, T0);
    const consoleOnly = await claimDue({ ...claimer(a, 'A'), channelNames: ['console'] }, T0, 100);
    expect(consoleOnly.map((r) => r.channel)).toEqual(['console']);
    const withWecom = await claimDue({ ...claimer(b, 'B'), channelNames: ['wecom'] }, T0, 100);
    expect(withWecom.map((r) => r.text)).toEqual(['wecom-1']);
  });
});

describe(deliverPending.name, () => {
  it('sends one chat’s messages in order, each once, by whichever instance claims them', async () => {
    const [a, b] = await twoStores();
    await write(a, 'X-1', 'X-2', 'X-3', 'Y-1', 'Y-2');
    const sent: string[] = [];
    const send = (by: string) => async (_t: ChatTarget, m: OutgoingMessage): Promise<SendResult> => {
      await new Promise((resolve) => setImmediate(resolve));
      sent.push(`${by}:${m.text}`);
      return { ok: true };
    };
    const clock = new ManualClock(T0);
    await Promise.all([
      deliverPending({ ...claimer(a, 'A'), clock, log: silentLogger, send: send('A') }),
      deliverPending({ ...claimer(b, 'B'), clock, log: silentLogger, send: send('B') }),
    ]);
    const texts = sent.map((s) => s.split(':')[1]!);
    expect(texts.filter((t) => t.startsWith('X'))).toEqual(['X-1', 'X-2', 'X-3']);
    expect(texts.filter((t) => t.startsWith('Y'))).toEqual(['Y-1', 'Y-2']);
    expect(texts).toHaveLength(5);
  });

  it('after a failed send, holds the chat’s later messages until that one is retried, then sends them in order', async () => {
    const [a, b] = await twoStores();
    await write(a, 'X-1', 'X-2', 'Y-1');
    const clock = new ManualClock(T0);
    const sent: string[] = [];
    let xDown = true;
    const send = async (t: ChatTarget, m: OutgoingMessage): Promise<SendResult> => {
      if (xDown && t.kind === 'chat' && t.chatId === 'X') return { ok: false, error: 'busy' };
      sent.push(m.text);
      return { ok: true };
    };
    const deps = (db: Db, id: string) => ({ ...claimer(db, id), clock, log: silentLogger, send });
    expect(await deliverPending(deps(a, 'A'))).toEqual({ sent: 1, retrying: 1, failed: 0 });
    xDown = false;
    clock.set(new Date(T0.getTime() + 29 * SECOND)); // X-1 retries after 30 s; X-2 must not overtake it
    await deliverPending(deps(b, 'B'));
    expect(sent).toEqual(['Y-1']);
    clock.set(new Date(T0.getTime() + 30 * SECOND));
    await deliverPending(deps(b, 'B'));
    expect(sent).toEqual(['Y-1', 'X-1', 'X-2']);
  });
});
