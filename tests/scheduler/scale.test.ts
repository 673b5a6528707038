import { afterEach, describe, expect, it } from 'vitest';
import { planReminders } from '../../src/scheduler/run-once.js';
import { aBranch, aHeldMeeting, GROUP, OP } from './fixtures.js';
import { startWorld, type World } from './harness.js';

/**
 * SQLite binds at most 32,766 values per statement. A run that addresses more people than that
 * (a city-wide store) must still plan its reminders instead of failing every run.
 */
let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('a run addressing more people than SQLite binds in one statement', () => {
  it('plans and composes every mention', async () => {
    const w = await startWorld({ at: ['2026-11-02', 9] });
    world = w;
    await aBranch(w, { supervisor: false });
    await aHeldMeeting(w, '2026-11-02');
    await w.must(OP, GROUP, '/整改 新增 @张委员 限期整改 模板事项 截止 2026-11-05', '已新增第1号');
    const template = (await w.rows<{ unit_id: number; meeting_id: number; created_by: number }>('SELECT unit_id, meeting_id, created_by FROM item'))[0]!;
    const ITEMS = 5_500, OWNERS = 6; // 33,000 owners + the roster > 32,766
    const at = '2026-11-02T02:00:00.000Z';
    // Written in one transaction, in batches (as a bulk import would), behind the commands' back.
    await w.app.db.transaction().execute(async (tx) => {
      const BATCH = 500;
      for (let from = 0; from < ITEMS; from += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, ITEMS - from) }, (_, j) => from + j);
        const items = await tx.insertInto('item').values(batch.map((i) => ({
          unit_id: template.unit_id, meeting_id: template.meeting_id, item_no: i + 2, content: '台账', kind: 'fixed', deadline: '2026-11-05',
          status: 'open', created_by: template.created_by, created_at: at, updated_at: at,
        }))).returning(['id', 'item_no']).execute();
        const people = await tx.insertInto('person').values(batch.flatMap((i) => Array.from({ length: OWNERS }, (_, k) => ({ name: `党员${i}-${k}`, mobile: null, created_at: at }))))
          .returning(['id', 'name']).execute();
        const personId = new Map(people.map((p) => [p.name, p.id]));
        await tx.insertInto('item_owner').values(items.flatMap((it) => Array.from({ length: OWNERS }, (_, k) => ({ item_id: it.id, person_id: personId.get(`党员${it.item_no - 2}-${k}`)! })))).execute();
      }
    });

    w.at('2026-11-05', 9);
    const plan = await planReminders({ db: w.app.db, config: w.app.config, calendar: w.app.calendar }, w.clock.now());
    expect(plan.reminders).toHaveLength(ITEMS + 1);
    expect(plan.messages).toHaveLength(1);
    const message = plan.messages[0]!.compose(plan.reminders.map((_, i) => i + 1));
    expect(message.mentions).toHaveLength(ITEMS * OWNERS + 1);
    expect(message.mentions.filter((m) => m.name === '')).toEqual([]);
  }, 30_000);
});
