import { afterEach, describe, expect, it } from 'vitest';
import { aBranch, aHeldMeeting, GROUP, LI, OP, SEC, SUP_GROUP, UNIT, who, ZHANG, ZHAO } from './fixtures.js';
import { describeSent, sentLines, startWorld, tickDays, type Sent, type World } from './harness.js';

/** Reminders for one chat that fall due in the same run go out as one message naming everyone. */
let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

/** 第二支部 under 区委组织部, in 二支部群, with 孙书记 as its principal and a 民主生活会 on `meeting`. */
async function aSecondBranch(w: World, meeting: string): Promise<void> {
  await w.must('二支联络员', '二支部群', '/单位 设置 第二支部 上级 区委组织部', '本群已绑定');
  await w.must('二支联络员', '二支部群', '/成员 添加 @孙书记 主要负责人', '已把');
  await w.must('二支联络员', '二支部群', `/会议 新建 民主生活会 ${meeting}`, '已安排');
}

/** 测试支部's 民主生活会 held on 10-26, with items 1 (张委员) and 2 (赵委员) due 11-02; the clock at 10-26. */
async function twoItemsDue1102(): Promise<World> {
  const w = await startWorld({ at: ['2026-10-26', 9, 30] });
  world = w;
  await aBranch(w, { members: [ZHANG, ZHAO] });
  await aHeldMeeting(w, '2026-10-26');
  await w.must(OP, GROUP, `/整改 新增 @${ZHANG} 限期整改 规范三会一课记录 截止 2026-11-02`, '已新增第1号');
  await w.must(OP, GROUP, `/整改 新增 @${ZHAO} 限期整改 完善台账 截止 2026-11-02`, '已新增第2号');
  return w;
}

/** What one scheduler run at `day hour:00` sent. */
async function runAt(w: World, day: string, hour: number): Promise<Sent[]> {
  const before = w.channel.sent.length;
  w.at(day, hour);
  await w.tick();
  return w.channel.sent.slice(before);
}

describe('digest of one run', () => {
  it('merges every reminder for the chat into one message with every @mention once', async () => {
    const w = await startWorld({ at: ['2026-11-30', 9, 30] });
    world = w;
    await aBranch(w, { members: [ZHANG, ZHAO] });
    await w.must(OP, GROUP, '/会议 新建 民主生活会 2026-12-28', '已安排');
    await w.must(ZHANG, GROUP, '/提纲 提交', '已登记');
    await w.must(SEC, GROUP, `/提纲 审核 @${ZHANG}`, '审核通过');
    // Wed 12-23 (3 working days before D): outlines of 王书记 and 赵委员, the meeting itself; the plan
    // (due-day Fri 12-11) and the notice (Fri 12-18) are overdue.
    await tickDays(w, '2026-11-30', '2026-12-22', [9]);
    const before = w.channel.sent.length;
    w.at('2026-12-23', 9);
    await w.tick();
    const run = w.channel.sent.slice(before);
    expect(run).toHaveLength(1);
    const [message] = run;
    expect((await describeSent(w, run)).map((l) => l.split(' ').slice(2).join(' ')).sort()).toEqual([
      `召开会议 before ${who(OP, SEC)}`,
      `提交发言提纲 before ${SEC}`,
      `提交发言提纲 before ${ZHAO}`,
      `方案 overdue ${who(OP, SEC)}`,
      `通知 overdue ${who(OP, SEC)}`,
    ].sort());
    expect(message!.message.mentions.map((m) => m.name).sort()).toEqual([OP, SEC, ZHAO].sort());
    // On the console platform a person's user id is the name typed in /成员 添加 @…: each mention carries it.
    expect(message!.message.mentions.map((m) => [m.name, m.userId])).toEqual(message!.message.mentions.map((m) => [m.name, m.name]));
    const lines = sentLines(run);
    expect(new Set(lines.map((l) => l.no)).size).toBe(5);
    const logged = (await w.rows<{ id: number; remind_on: string }>(`SELECT id, remind_on FROM reminder_log WHERE id IN (${lines.map((l) => l.no).join(',')})`));
    expect(logged.map((r) => r.remind_on)).toEqual(Array(5).fill('2026-12-23'));
    expect(message!.message.text.split('\n')[0]).toBe(`⏰ ${UNIT} 待办提醒（2026年12月23日）`);
  });

  it('sends the supervisor one message a run, the escalations of several units each under its name', async () => {
    const w = await startWorld({ at: ['2026-10-26', 9, 30] });
    world = w;
    await aBranch(w, { members: [ZHANG, ZHAO] });
    await aHeldMeeting(w, '2026-10-26');
    await w.must(OP, GROUP, `/整改 新增 @${ZHANG} 限期整改 规范三会一课记录 截止 2026-11-02`, '已新增第1号');
    await aSecondBranch(w, '2026-10-26');
    await w.must('二支联络员', '二支部群', '/会议 召开', '已记录');
    await w.must('二支联络员', '二支部群', '/整改 新增 @孙书记 限期整改 完善台账 截止 2026-11-02', '已新增第1号');
    await tickDays(w, '2026-10-26', '2026-11-13', [9]);
    // Mon 11-16 09:00: the items of both units reach 10 working days overdue.
    const toSupervisor = (await runAt(w, '2026-11-16', 9)).filter((s) => s.target.kind === 'chat' && s.target.chatId === SUP_GROUP);
    expect(toSupervisor).toHaveLength(1);
    const text = toSupervisor[0]!.message.text.split('\n');
    expect(text[0]).toBe('⚠️ 督办：2个下级单位有整改事项逾期已满10个工作日');
    expect(text.filter((l) => l.startsWith('【')).sort()).toEqual([`【${UNIT}】`, '【第二支部】'].sort());
    // Each unit's line right under its name.
    expect(text[text.indexOf('【第二支部】') + 1]).toMatch(/^\d+\. 整改第1号「完善台账」：/);
    expect(sentLines(toSupervisor).map((l) => l.what)).toHaveLength(2);
  });

  it('an item done while its escalation waits in the supervisor’s message: the message is planned again without it', async () => {
    const w = await twoItemsDue1102();
    await tickDays(w, '2026-10-26', '2026-11-13', [9]);
    // Mon 11-16 09:00: the supervisor's chat is busy, so its message (both escalations) waits in the outbox.
    w.channel.behaviourFor = (t) => (t.kind === 'chat' && t.chatId === SUP_GROUP ? { ok: false, error: 'busy', retryAfterMs: 3_600_000 } : undefined);
    w.at('2026-11-16', 9);
    await w.tick();
    w.channel.behaviourFor = undefined;
    w.at('2026-11-16', 9, 30);
    await w.must(ZHANG, GROUP, '/整改 完成 1 已印发', '已完成');
    w.at('2026-11-16', 9, 31);
    await w.tick();
    const toSupervisor = w.channel.sent.filter((s) => s.target.kind === 'chat' && s.target.chatId === SUP_GROUP);
    expect(toSupervisor).toHaveLength(1);
    expect(sentLines(toSupervisor).map((l) => l.what)).toEqual(['整改第2号「完善台账」']);
  });

  it('keeps units apart, and the supervisor\'s message apart from the unit\'s own digest', async () => {
    const w = await twoItemsDue1102();
    // 第二支部's own overdue step on 11-16: plan of a meeting on 11-30 (D-15 = Sun 11-15).
    await aSecondBranch(w, '2026-11-30');
    await tickDays(w, '2026-10-26', '2026-11-13', [9]);
    // Mon 11-16 09:00: both items reach 10 working days overdue.
    const run = await runAt(w, '2026-11-16', 9);
    const chats = run.map((s) => (s.target.kind === 'chat' ? s.target.chatId : ''));
    expect(chats.sort()).toEqual([GROUP, SUP_GROUP, '二支部群'].sort());
    const toSupervisor = run.find((s) => s.target.kind === 'chat' && s.target.chatId === SUP_GROUP)!;
    expect(sentLines([toSupervisor]).map((l) => `${l.what} ${l.who.join(' ')}`)).toEqual([
      `整改第1号「规范三会一课记录」 ${LI}`,
      `整改第2号「完善台账」 ${LI}`,
    ]);
    // The owners are named (they are not in the supervisors' chat), and only the supervisor is @mentioned.
    expect(toSupervisor.message.text).toContain(`，责任人：${ZHANG} @${LI}`);
    expect(toSupervisor.message.mentions.map((m) => m.name)).toEqual([LI]);
    const own = run.find((s) => s.target.kind === 'chat' && s.target.chatId === GROUP)!;
    expect(own.message.text).not.toContain('督办');
    expect(own.message.mentions.map((m) => m.name).sort()).toEqual([SEC, ZHANG, ZHAO].sort());
    const second = run.find((s) => s.target.kind === 'chat' && s.target.chatId === '二支部群')!;
    expect(second.message.text).toContain('第二支部');
    expect(second.message.text).not.toContain('整改第');
  });
});
