import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { pairKey } from '../../src/domain/talks.js';
import { migrations, openDatabase, type Db } from '../../src/store/db.js';
import { loadMeetingFacts } from '../../src/store/facts.js';
import { createItem, markItemDone, updateItem } from '../../src/store/item.repository.js';
import { addLeave, addTalk, createMeeting, markArchived, outlinesOf, recordStep, talkPairs, upsertOutline } from '../../src/store/meeting.repository.js';
import { addRole, createPerson, rosterOf } from '../../src/store/person.repository.js';
import { audit, markProcessed } from '../../src/store/audit.repository.js';
import { createUnit } from '../../src/store/unit.repository.js';
import { onPostgres } from '../helpers/pg.js';
import { query, testStore } from '../helpers/store.js';

const AT = '2026-12-01T09:00:00+08:00';
let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

/** A unit of four with a meeting; the people's ids in roster order. */
async function meetingOfFour(store: Db) {
  const unit = await createUnit(store, '一支部', null, AT);
  const ids: number[] = [];
  for (const [name, role] of [['王书记', 'principal'], ['李委员', 'member'], ['张委员', 'member'], ['赵委员', 'member']] as const) {
    const id = await createPerson(store, name, AT);
    await addRole(store, unit.id, id, role, AT);
    ids.push(id);
  }
  const meeting = await createMeeting(store, { unitId: unit.id, kind: 'democratic_life', date: '2027-01-15', topic: null }, AT);
  return { unit, meeting, ids };
}

describe("a meeting's facts, read in one statement", () => {
  it('are every step, talk, outline, item and archived material as stored', async () => {
    ({ db } = await testStore());
    const { unit, meeting, ids } = await meetingOfFour(db);
    const [a, b, c, d] = ids as [number, number, number, number];
    await recordStep(db, meeting.id, 'plan', '2026-12-20', a, null, AT);
    await recordStep(db, meeting.id, 'notice', '2026-12-28', a, '通知已发', AT);
    await addTalk(db, { meetingId: meeting.id, x: a, y: b, date: '2026-12-21', mode: 'face', note: '谈话内容, 含逗号', by: a }, AT);
    await addTalk(db, { meetingId: meeting.id, x: d, y: c, date: '2026-12-22', mode: 'phone', note: null, by: d }, AT);
    await upsertOutline(db, meeting.id, b, { submitted_on: '2026-12-23' }, AT);
    await upsertOutline(db, meeting.id, c, { submitted_on: '2026-12-23', reviewed_on: '2026-12-24', reviewed_by: a }, AT);
    const item = (no: number, deadline: string) =>
      createItem(db!, { unitId: unit.id, meetingId: meeting.id, no, content: `整改事项${no}，含逗号`, kind: 'fixed', deadline, leadUnit: null, ownerIds: [b], by: a }, AT);
    await item(1, '2027-02-01');
    await markItemDone(db, await item(2, '2027-02-15'), '已整改, 到位', '2027-02-10', AT);
    await updateItem(db, await item(3, '2027-03-01'), { status: 'extended', deadline: '2027-03-31' }, AT);
    await markArchived(db, meeting.id, 'plan', '2027-01-20', a);
    await markArchived(db, meeting.id, 'minutes', '2027-01-20', a);
    await addLeave(db, meeting.id, d, '外出培训，两天', AT);

    const facts = await loadMeetingFacts(db, meeting, await rosterOf(db, unit.id));
    expect(facts.stepsDone).toEqual(new Map([['plan', '2026-12-20'], ['notice', '2026-12-28']]));
    expect(facts.talkPairs).toEqual(new Set([pairKey(a, b), pairKey(c, d)]));
    expect(facts.talkPairs).toEqual(await talkPairs(db, meeting.id));
    expect(facts.outlines).toEqual(new Map([[b, { submitted: true, reviewed: false }], [c, { submitted: true, reviewed: true }]]));
    expect(facts.outlines).toEqual(await outlinesOf(db, meeting.id));
    expect([...facts.items].sort((x, y) => x.deadline.localeCompare(y.deadline))).toEqual([
      { status: 'open', deadline: '2027-02-01' },
      { status: 'done', deadline: '2027-02-15' },
      { status: 'extended', deadline: '2027-03-31' },
    ]);
    expect(facts.archived).toEqual(new Set(['plan', 'minutes']));
    expect(facts.leaves.map((l) => [l.personId, l.status])).toEqual([[d, 'pending']]);
  });

  it('are empty for a meeting with nothing recorded, and leave other meetings out', async () => {
    ({ db } = await testStore());
    const { unit, meeting, ids } = await meetingOfFour(db);
    const other = await createUnit(db, '二支部', null, AT);
    const next = await createMeeting(db, { unitId: other.id, kind: 'democratic_life', date: '2027-01-20', topic: null }, AT);
    await recordStep(db, next.id, 'plan', '2026-12-20', ids[0]!, null, AT);
    await addTalk(db, { meetingId: next.id, x: ids[0]!, y: ids[1]!, date: '2026-12-21', mode: 'face', note: null, by: ids[0]! }, AT);

    const facts = await loadMeetingFacts(db, meeting, await rosterOf(db, unit.id));
    expect(facts.stepsDone.size).toBe(0);
    expect(facts.talkPairs.size).toBe(0);
    expect(facts.outlines.size).toBe(0);
    expect(facts.items).toEqual([]);
    expect(facts.archived.size).toBe(0);
    expect(facts.leaves).toEqual([]);
  });
});

describe('migration 10 (on SQLite: processed_message WITHOUT ROWID, appended tables without AUTOINCREMENT)', () => {
  it('keeps every message and audit row recorded before, with its id, and still refuses the same message twice', async () => {
    const record = async (store: Kysely<any>) => {
      for (let i = 0; i < 300; i++) await markProcessed(store, 'wecom', `msg-${i}`, AT);
      await markProcessed(store, 'dingtalk', 'msg-0', AT);
      for (let i = 0; i < 5; i++) await audit(store, AT, { actorId: null, unitId: null, chat: null, action: `a${i}`, entity: 'unit' });
    };
    if (onPostgres()) {
      ({ db } = await testStore());
      await record(db);
    } else {
      // A store of the version before, with rows in it, opened by this version (which migrates it).
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shh-pm-')), 'old.db');
      const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
      await new Migrator({ db: old, provider: { getMigrations: async () => migrations } }).migrateTo('2026_12_03_09_outbox_claims');
      await record(old);
      await old.destroy();
      db = await openDatabase(file);
      const tables = await query<{ name: string; sql: string }>(db, "SELECT name, sql FROM sqlite_master WHERE name IN ('processed_message', 'talk', 'audit_log', 'item_event') ORDER BY name");
      expect(tables.map((t) => t.name)).toEqual(['audit_log', 'item_event', 'processed_message', 'talk']);
      expect(tables.find((t) => t.name === 'processed_message')!.sql).toMatch(/without rowid$/i);
      for (const t of tables.filter((x) => x.name !== 'processed_message')) expect(t.sql).not.toMatch(/autoincrement/i);
      const indexes = await query<{ name: string }>(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('talk', 'audit_log', 'item_event') AND sql IS NOT NULL ORDER BY name");
      expect(indexes.map((i) => i.name)).toEqual(['audit_unit_at_idx', 'item_event_item_idx', 'talk_meeting_pair_idx']);
    }
    expect(await query(db, 'SELECT count(*) AS n FROM processed_message')).toEqual([{ n: 301 }]);
    expect(await markProcessed(db, 'wecom', 'msg-17', AT)).toBe(false);
    expect(await markProcessed(db, 'dingtalk', 'msg-0', AT)).toBe(false);
    expect(await markProcessed(db, 'dingtalk', 'msg-1', AT)).toBe(true);
    expect(await query(db, "SELECT count(*) AS n FROM processed_message WHERE channel = 'dingtalk'")).toEqual([{ n: 2 }]);
    expect(await query(db, 'SELECT id, action FROM audit_log ORDER BY id')).toEqual([1, 2, 3, 4, 5].map((id) => ({ id, action: `a${id - 1}` })));
    await audit(db, AT, { actorId: null, unitId: null, chat: null, action: 'after', entity: 'unit' });
    expect(await query(db, "SELECT id FROM audit_log WHERE action = 'after'")).toEqual([{ id: 6 }]);
  });
});
