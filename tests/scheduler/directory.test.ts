import { afterEach, describe, expect, it } from 'vitest';
import { atLocalTime } from '../../src/domain/dates.js';
import { planReminders } from '../../src/scheduler/run-once.js';
import { aBranch, aHeldMeeting, GROUP, LI, OP, SEC, SUP_GROUP, UNIT, ZHANG } from './fixtures.js';
import { startWorld, type World } from './harness.js';

/**
 * The scheduler keeps the directory (units, chats, role holders, names, platform ids) in memory
 * between runs. Whatever changes it — a command, or a raw write as the CLI makes from another
 * process — the next plan must address the people and chats as they are now.
 */
let w: World | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

async function planned(world: World, date: string): Promise<Array<{ chat: string; text: string; mentions: string[] }>> {
  const plan = await planReminders(world.app, atLocalTime(date, 10), { ignoreLog: true, days: [date] });
  return plan.messages.map((m) => {
    const out = m.compose(m.reminders.map((_, i) => i + 1));
    return { chat: m.target.kind === 'chat' ? m.target.chatId : m.target.userId, text: out.text, mentions: out.mentions.map((x) => x.name) };
  });
}

describe('the directory kept between scheduler runs', () => {
  it('sees a renamed person and a newly bound chat at the next plan', async () => {
    w = await startWorld({ at: ['2026-11-30', 9, 30] });
    await aBranch(w);
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');

    const before = await planned(w, '2026-12-11');
    expect(before.map((m) => m.chat)).toEqual([GROUP]);
    expect(before[0]!.mentions.sort()).toEqual([OP, SEC].sort());

    // Behind the bot's back, as `shenghuohui roster import` in another process would write.
    await w.exec('UPDATE person SET name = ? WHERE name = ?', '王新书记', SEC);
    const unitId = ((await w.rows<{ unit_id: number }>('SELECT unit_id FROM chat WHERE chat_id = ?', GROUP)))[0]!.unit_id;
    await w.exec("INSERT INTO chat (channel, chat_id, unit_id, title, created_at) VALUES ('console', '第二群', ?, '第二群', '2026-11-30T01:00:00.000Z')", unitId);

    const after = await planned(w, '2026-12-11');
    expect(after.map((m) => m.chat).sort()).toEqual([GROUP, '第二群'].sort());
    for (const m of after) {
      expect(m.mentions).toContain('王新书记');
      expect(m.text).toContain('@王新书记');
      expect(m.text).not.toContain(`@${SEC}`);
    }
  });

  it('addresses a principal added by command, and forgets one removed', async () => {
    w = await startWorld({ at: ['2026-11-30', 9, 30] });
    await aBranch(w);
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    expect((await planned(w, '2026-12-11'))[0]!.mentions).toContain(SEC);

    await w.must(OP, GROUP, `/成员 移除 @${SEC}`, SEC);
    await w.must(OP, GROUP, '/成员 添加 @刘书记 主要负责人', '已把');
    const mentions = (await planned(w, '2026-12-11'))[0]!.mentions;
    expect(mentions).toContain('刘书记');
    expect(mentions).not.toContain(SEC);
  });

  it('names an item owner as the store has them now (owners come from the directory, not the due query)', async () => {
    w = await startWorld({ at: ['2026-10-26', 9, 30] });
    await aBranch(w);
    await aHeldMeeting(w, '2026-10-26');
    await w.must(OP, GROUP, `/整改 新增 @${ZHANG} 限期整改 规范三会一课记录 截止 2026-11-02`, '已新增第1号');
    expect((await planned(w, '2026-11-02'))[0]!.mentions).toEqual([ZHANG]);

    await w.exec('UPDATE person SET name = ? WHERE name = ?', '张新委员', ZHANG);
    const [m] = await planned(w, '2026-11-02');
    expect(m!.mentions).toEqual(['张新委员']);
    expect(m!.text).toContain('@张新委员');
  });

  it('escalates to the supervisor chat even when bad data puts the unit tree in a loop', async () => {
    w = await startWorld({ at: ['2026-10-26', 9, 30] });
    await aBranch(w);
    await aHeldMeeting(w, '2026-10-26');
    await w.must(OP, GROUP, `/整改 新增 @${ZHANG} 限期整改 规范三会一课记录 截止 2026-11-02`, '已新增第1号');
    // 区委组织部 made a child of its own branch, behind the bot's back.
    const unitOf = async (chat: string) => (await w!.rows<{ unit_id: number }>('SELECT unit_id FROM chat WHERE chat_id = ?', chat))[0]!.unit_id;
    await w.exec('UPDATE unit SET parent_id = ? WHERE id = ?', await unitOf(GROUP), await unitOf(SUP_GROUP));

    const messages = await planned(w, '2026-11-16'); // the 10th working day overdue
    const toSupervisor = messages.filter((m) => m.chat === SUP_GROUP);
    expect(toSupervisor).toHaveLength(1);
    expect(toSupervisor[0]!.text).toContain(UNIT);
    expect(toSupervisor[0]!.mentions).toEqual([LI]); // the owner is named in the text, not @mentioned
  });
});
