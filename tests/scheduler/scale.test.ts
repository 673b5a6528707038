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
    const template = w.rows<{ unit_id: number; meeting_id: number; created_by: number }>('SELECT unit_id, meeting_id, created_by FROM item')[0]!;
    const ITEMS = 5_500, OWNERS = 6; // 33,000 owners + the roster > 32,766
    const at = '2026-11-02T02:00:00.000Z';
    const person = w.sql.prepare('INSERT INTO person (name, mobile, created_at) VALUES (?, NULL, ?)');
    const item = w.sql.prepare("INSERT INTO item (unit_id, meeting_id, item_no, content, kind, deadline, status, created_by, created_at, updated_at) VALUES (?, ?, ?, '台账', 'fixed', '2026-11-05', 'open', ?, ?, ?)");
    const owner = w.sql.prepare('INSERT INTO item_owner (item_id, person_id) VALUES (?, ?)');
    w.sql.transaction(() => {
      for (let i = 0; i < ITEMS; i++) {
        const itemId = Number(item.run(template.unit_id, template.meeting_id, i + 2, template.created_by, at, at).lastInsertRowid);
        for (let k = 0; k < OWNERS; k++) owner.run(itemId, Number(person.run(`党员${i}-${k}`, at).lastInsertRowid));
      }
    })();

    w.at('2026-11-05', 9);
    const plan = await planReminders({ db: w.app.db, config: w.app.config, calendar: w.app.calendar }, w.clock.now());
    expect(plan.reminders).toHaveLength(ITEMS + 1);
    expect(plan.messages).toHaveLength(1);
    const message = plan.messages[0]!.compose(plan.reminders.map((_, i) => i + 1));
    expect(message.mentions).toHaveLength(ITEMS * OWNERS + 1);
    expect(message.mentions.filter((m) => m.name === '')).toEqual([]);
  }, 30_000);
});
