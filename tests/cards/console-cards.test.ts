import { afterEach, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '../../src/scheduler/cron.js';
import { groupLines, groupText, privateText, startChat, type Chat } from '../helpers/chat.js';
import { aLeadershipTeam } from '../helpers/units.js';

/**
 * Buttons in the terminal chat: a card is its text plus numbered buttons, `:点 <n>` presses one.
 * Every button is proved to be the typed command: the same scene is played twice, once pressing
 * and once typing, and the replies, the store's rows and the audit log must come out the same.
 */
const open: Array<{ chat: Chat; scheduler?: Scheduler }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.scheduler?.stop();
    await o.chat.stop();
  }
});

async function aChat(): Promise<Chat> {
  const chat = await startChat({ today: '2026-11-25' });
  open.push({ chat });
  await aLeadershipTeam(chat);
  return chat;
}

/** A unit after its meeting with item 1 (李四's) and, on 12 Jan 2027 09:05, that morning's reminder card in 党办群. */
async function aChatWithReminders(): Promise<{ chat: Chat; digest: string[] }> {
  const chat = await aChat();
  const scheduler = createScheduler(chat.app, { cron: false });
  open[open.length - 1]!.scheduler = scheduler;
  chat.setDay('2026-12-28');
  await chat.as('王书记').in('党办群').say('/会议 召开');
  await chat.as('王书记').in('党办群').say('/整改 新增 @李四 完善请销假制度 截止 2027-01-15');
  chat.setDay('2027-01-12', 9, 5);
  const before = chat.transcript.length;
  await scheduler.tick();
  return { chat, digest: chat.transcript.slice(before) };
}

/** What the user sees of a reply: the messages, without the card's button line and the terminal's own notes. */
const seen = (lines: string[]) => lines.filter((l) => !l.startsWith('[系统]') && !l.startsWith('  按钮：') && !l.startsWith('  【'));

/** The rows a command can change, read through Kysely (card bookkeeping left out: only the press path has it). */
/**
 * The rows a command leaves, without each row's own surrogate id: a button that asks first dry-runs
 * its command in a transaction that is rolled back, and PostgreSQL's sequences do not roll back, so
 * later ids may skip a number there (nobody sees them; item numbers come from the meeting, not ids).
 */
async function state(chat: Chat): Promise<unknown> {
  const rows = async (q: { execute(): Promise<Array<Record<string, unknown>>> }) => (await q.execute()).map(({ id: _id, ...rest }) => rest);
  return {
    leave: await rows(chat.db.selectFrom('leave_request').selectAll().orderBy('id')),
    item: await rows(chat.db.selectFrom('item').selectAll().orderBy('id')),
    itemEvents: await rows(chat.db.selectFrom('item_event').selectAll().orderBy('id')),
    steps: await rows(chat.db.selectFrom('step_record').selectAll().orderBy('id')),
    snooze: await rows(chat.db.selectFrom('snooze').selectAll().orderBy('id')),
    audit: await rows(chat.db.selectFrom('audit_log').selectAll().orderBy('id')),
  };
}

/**
 * The same leave request in two chats; in one `approver` presses button `button` of the card, in
 * the other types `typedText`, both privately: the replies and the rows must be the same.
 */
async function pressedAndTyped(requester: string, reason: string, approver: string, button: number, typedText: string): Promise<{ pressed: Chat; viaButton: string[] }> {
  const [pressed, typed] = [await aChat(), await aChat()];
  for (const chat of [pressed, typed]) await chat.as(requester).in('党办群').say(`/请假 ${reason}`);
  const viaButton = await pressed.as(approver).privately().say(`:点 ${button}`);
  const viaText = await typed.as(approver).privately().say(typedText);
  expect(seen(viaButton)).toEqual(seen(viaText));
  expect(await state(pressed)).toEqual(await state(typed));
  return { pressed, viaButton };
}

describe('leave cards in the terminal chat', () => {
  it('shows the principal a card with numbered buttons; the group sees no reason and no card', async () => {
    const chat = await aChat();
    const lines = await chat.as('张三').in('党办群').say('/请假 外出参加培训');
    expect(privateText(lines, '王书记')).toContain('原因：外出参加培训');
    expect(lines).toContain('  按钮：[1] 批准  [2] 驳回（输入 :点 <序号> 按下）');
    expect(groupText(lines)).toBe('张三 已提交请假申请，等待 王书记 审批。原因已私下转给审批人。');
    expect(groupLines(lines).join('\n')).not.toContain('外出参加培训');
  });

  it('批准 pressed is /批准 @张三 typed: the same replies, the same leave row, the same audit row', async () => {
    const { pressed, viaButton } = await pressedAndTyped('张三', '外出参加培训', '王书记', 1, '/批准 @张三');
    expect(groupText(viaButton)).toBe('张三 的请假已批准。请在2026年12月28日会前 /书面发言 提交书面发言材料。');
    expect((await pressed.db.selectFrom('audit_log').select(['action', 'chat']).where('action', '=', 'leave.approve').execute())).toEqual([{ action: 'leave.approve', chat: 'console:王书记' }]);
    // The card now shows the decision and who made it.
    expect(viaButton).toContain('  【已批准 · 王书记 · 2026年11月25日】');
  });

  it('the principal’s own leave: the supervisor’s card, pressed, is the supervisor typing /批准 @王书记 privately', async () => {
    const { viaButton } = await pressedAndTyped('王书记', '参加省委全会', '陈部长', 1, '/批准 @王书记');
    expect(groupText(viaButton)).toContain('王书记 的请假已批准');
  });

  it('驳回 asks for the reason; the next private message is it, as /驳回 @张三 <理由> typed', async () => {
    const [pressed, typed] = [await aChat(), await aChat()];
    for (const chat of [pressed, typed]) await chat.as('张三').in('党办群').say('/请假 外出参加培训');
    const asked = await pressed.as('王书记').privately().say(':点 2');
    expect(privateText(asked, '王书记')).toBe('请直接回复驳回 张三 请假的理由（一句话）。也可以发送：/驳回 @张三 理由');
    expect((await pressed.db.selectFrom('leave_request').select('status').executeTakeFirstOrThrow()).status).toBe('pending');
    const viaButton = await pressed.as('王书记').privately().say('会议重要，请调整安排');
    const viaText = await typed.as('王书记').privately().say('/驳回 @张三 会议重要，请调整安排');
    expect(seen(viaButton)).toEqual(seen(viaText));
    expect(privateText(viaButton, '张三')).toBe('您的请假未获批准，理由：会议重要，请调整安排。请按时参会。');
    expect(groupLines(viaButton).join('\n')).not.toContain('会议重要');
    expect(await state(pressed)).toEqual(await state(typed));
    expect(viaButton).toContain('  【已驳回 · 王书记 · 2026年11月25日】');
  });

  it('a leave decided by typing closes its card; a press on an old copy says it is already decided', async () => {
    const chat = await aChat();
    await chat.as('张三').in('党办群').say('/请假 外出参加培训');
    await chat.as('王书记').in('党办群').say('/批准 @张三');
    const card = await chat.db.selectFrom('card').select(['id', 'status', 'body']).executeTakeFirstOrThrow();
    expect(card.status).toBe('closed');
    expect(JSON.parse(card.body).outcome).toBe('已批准 · 王书记 · 2026年11月25日');
    expect(await chat.as('王书记').privately().say(':点 2')).toEqual(['[系统] 这张卡片已经处理完了，没有可以按的按钮。']);
    // A copy of the card that was never updated (another device): pressing 驳回 on it changes nothing.
    const old = await chat.app.press({ channel: 'console', eventId: 'old-copy', cardId: card.id, button: 1, userId: '王书记' });
    expect(old.deliveries.map((d) => d.message.text)).toEqual(['张三 的请假已经批准（王书记，2026年11月25日），不用再处理。']);
    expect((await chat.db.selectFrom('leave_request').select('status').executeTakeFirstOrThrow()).status).toBe('approved');
    expect(await chat.db.selectFrom('audit_log').select('id').where('action', '=', 'leave.reject').execute()).toEqual([]);
  });

  it('a press on the card of a cancelled meeting is answered clearly and changes nothing', async () => {
    const chat = await aChat();
    await chat.as('张三').in('党办群').say('/请假 外出参加培训');
    await chat.as('刘联络员').in('党办群').say('/会议 取消 另行安排');
    const before = await state(chat);
    // The card was closed with the meeting; an old copy pressed is answered clearly.
    expect(await chat.as('王书记').privately().say(':点 1')).toEqual(['[系统] 这张卡片已经处理完了，没有可以按的按钮。']);
    const card = await chat.db.selectFrom('card').select(['id', 'status']).executeTakeFirstOrThrow();
    expect(card.status).toBe('closed');
    const pressed = await chat.app.press({ channel: 'console', eventId: 'old-copy', cardId: card.id, button: 0, userId: '王书记' });
    expect(pressed.deliveries.map((d) => d.message.text)).toEqual(['这次会议已经取消，卡片上的按钮不再有效。发送 /进度 查看现在的安排。']);
    expect(pressed.card?.card?.outcome).toBe('会议已取消');
    expect(await state(chat)).toEqual(before);
  });

  it('a redelivered press (same event id) is handled once', async () => {
    const chat = await aChat();
    await chat.as('张三').in('党办群').say('/请假 外出参加培训');
    const card = await chat.db.selectFrom('card').select('id').executeTakeFirstOrThrow();
    const press = { channel: 'console', eventId: 'evt-1', cardId: card.id, button: 0, userId: '王书记' };
    const first = await chat.app.press(press);
    const second = await chat.app.press(press);
    expect(first.deliveries.map((d) => d.message.text)).toContain('张三 的请假已批准。请在2026年12月28日会前 /书面发言 提交书面发言材料。');
    expect(second).toEqual({ deliveries: [] });
    expect(await chat.db.selectFrom('audit_log').select('id').where('action', '=', 'leave.approve').execute()).toHaveLength(1);
  });

  it('an unknown card or button is answered, not crashed on', async () => {
    const chat = await aChat();
    expect(await chat.as('王书记').privately().say(':点 1')).toEqual(['[系统] 这里还没有带按钮的卡片。卡片发到哪个群或私聊，就在那里按（:chat <群名> 或 :private）。']);
    await chat.as('张三').in('党办群').say('/请假 外出参加培训');
    expect(await chat.as('王书记').privately().say(':点 7')).toEqual(['[系统] 没有按钮“7”：这张卡片有 2 个按钮，输入 :点 1 到 :点 2。']);
    expect(await chat.as('王书记').privately().say(':press 二')).toEqual(['[系统] 没有按钮“二”：这张卡片有 2 个按钮，输入 :点 1 到 :点 2。']);
    // Another conversation has no card: 张三's private chat.
    expect(await chat.as('张三').privately().say(':点 1')).toEqual(['[系统] 这里还没有带按钮的卡片。卡片发到哪个群或私聊，就在那里按（:chat <群名> 或 :private）。']);
    const gone = await chat.app.press({ channel: 'console', eventId: 'evt-x', cardId: 999, button: 0, userId: '王书记' });
    expect(gone.deliveries.map((d) => d.message.text)).toEqual(['这张卡片已经失效。请按消息里写的命令直接发送。']);
  });
});

describe('reminder cards in the terminal chat', () => {
  it('the morning’s digest carries the buttons that apply to everyone it mentions, and its outbox row keeps the card', async () => {
    const { chat, digest } = await aChatWithReminders();
    expect(digest).toContain('  4. 整改第1号「完善请销假制度」：截止1月15日，还有3天 @李四（回复 /稍后 4 改到1月13日再提醒）');
    expect(digest).toContain('  按钮：[1] 明天再提醒  [2] 完成第4条  [3] 完成第1条  [4] 完成第2条  [5] 完成第3条  [6] 查看第4条（输入 :点 <序号> 按下）');
    const row = await chat.db.selectFrom('outbox').select(['card', 'status']).executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
    expect(JSON.parse(row.card!).buttons.map((b: { command: string }) => b.command)).toEqual(['/稍后 4', '/整改 完成 1', '/完成 整改清单', '/完成 报告', '/完成 通报', '/整改 查看 1']);
  });

  it.each([
    ['明天再提醒 by 李四', '李四', 1, '/稍后 4'],
    ['完成第2条 (报告) by 王书记', '王书记', 4, '/完成 报告'],
    ['完成第2条 by 李四, who may not: refused in the same words', '李四', 4, '/完成 报告'],
    ['查看第4条 by 张三', '张三', 6, '/整改 查看 1'],
  ])('%s is the typed command', async (_name, who, button, typedText) => {
    const [pressed, typed] = [await aChatWithReminders(), await aChatWithReminders()];
    const viaButton = await pressed.chat.as(who).in('党办群').say(`:点 ${button}`);
    const viaText = await typed.chat.as(who).in('党办群').say(typedText);
    expect(seen(viaButton)).toEqual(seen(viaText));
    expect(viaText.length).toBeGreaterThan(0);
    expect(await state(pressed.chat)).toEqual(await state(typed.chat));
  });

  it('完成第4条 asks the owner for the 说明; the owner’s next message completes the item as /整改 完成 1 <说明> typed, and the card drops its buttons', async () => {
    const [pressed, typed] = [await aChatWithReminders(), await aChatWithReminders()];
    const asked = await pressed.chat.as('李四').in('党办群').say(':点 2');
    // A command meanwhile is a command, not the answer (the question stays open).
    expect(groupText(await pressed.chat.as('李四').in('党办群').say('进度'))).toContain('会后整改');
    expect(groupText(await typed.chat.as('李四').in('党办群').say('进度'))).toContain('会后整改');
    expect(groupText(asked)).toBe('请直接回复整改第1号的完成说明（一句话，例如：已修订并印发；在群里回复时要 @机器人）。也可以发送：/整改 完成 1 说明');
    const viaButton = await pressed.chat.as('李四').in('党办群').say('已修订并印发');
    const viaText = await typed.chat.as('李四').in('党办群').say('/整改 完成 1 已修订并印发');
    expect(seen(viaButton)).toEqual(seen(viaText));
    expect(await state(pressed.chat)).toEqual(await state(typed.chat));
    expect(viaButton).toContain('  按钮：[1] 明天再提醒  [2] 完成第1条  [3] 完成第2条  [4] 完成第3条（输入 :点 <序号> 按下）');
    // Pressed again from an old copy (its button 2 is the item's): the item is done, said clearly.
    const stale = await pressed.chat.app.press({ channel: 'console', eventId: 'old-copy', cardId: 1, button: 1, userId: '李四' });
    expect(stale.deliveries.map((d) => d.message.text)).toEqual(['整改第1号已经完成，不用再登记。查看记录：/整改 查看 1']);
  });

  it('完成 pressed by someone who does not own the item is refused at once, with the typed command’s words, and asks nothing', async () => {
    const [pressed, typed] = [await aChatWithReminders(), await aChatWithReminders()];
    const viaButton = await pressed.chat.as('张三').in('党办群').say(':点 2');
    const viaText = await typed.chat.as('张三').in('党办群').say('/整改 完成 1 已修订并印发');
    expect(seen(viaButton)).toEqual(seen(viaText));
    expect(groupText(viaButton)).toBe('只有第1号的责任人、联络员或主要负责人可以这样做。');
    expect(await pressed.chat.db.selectFrom('card_prompt').select('id').execute()).toEqual([]);
    expect(await state(pressed.chat)).toEqual(await state(typed.chat));
  });
});
