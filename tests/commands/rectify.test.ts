import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupText, startChat, type Chat } from '../helpers/chat.js';
import { aLeadershipTeam } from '../helpers/units.js';

let chat: Chat;
beforeEach(async () => {
  chat = await startChat({ today: '2026-11-25' });
  await aLeadershipTeam(chat);
  chat.setDay('2026-12-28', 16);
  await chat.as('王书记').in('党办群').say('/会议 召开');
});
afterEach(async () => chat.stop());

const say = (who: string, text: string) => chat.as(who).in('党办群').say(text);

describe('rectification items in the chat', () => {
  it('numbers items 1, 2, 3 within the unit', async () => {
    for (const content of ['甲事项', '乙事项', '丙事项']) await say('刘联络员', `/整改 新增 @张三 ${content} 截止 2027-01-31`);
    expect((await chat.rows<{ item_no: number; content: string }>('item')).map((i) => [i.item_no, i.content])).toEqual([[1, '甲事项'], [2, '乙事项'], [3, '丙事项']]);
  });

  it('@mentions the owners when an item is added', async () => {
    await say('刘联络员', '/整改 新增 @张三 @李四 完善制度 截止 2027-01-31');
    const [delivery] = await chat.handle({
      channel: 'console', msgId: 'm-add', chatId: '党办群', chatType: 'group', chatTitle: '党办群', senderId: '刘联络员', text: '/整改 新增 @赵敏 另一事项 截止 2027-01-31',
    });
    expect(delivery?.message.mentions.map((m) => m.name)).toEqual(['赵敏']);
    expect(delivery?.message.mentions[0]?.userId).toBe('赵敏');
  });

  it('refuses to complete an item twice or to verify it twice, changing nothing', async () => {
    await say('刘联络员', '/整改 新增 @张三 完善制度 截止 2027-01-31');
    await say('张三', '/整改 完成 1 已完成');
    const completed = (await chat.snapshot());
    expect(groupText(await say('张三', '/整改 完成 1 再次完成'))).toBe('第1号整改事项已经完成。');
    expect((await chat.snapshot())).toBe(completed);
    await say('刘联络员', '/整改 核实 1');
    const verified = (await chat.snapshot());
    expect(groupText(await say('王书记', '/整改 核实 1'))).toBe('第1号已经核实过了。');
    expect((await chat.snapshot())).toBe(verified);
    expect((await chat.rows('item'))).toMatchObject([{ status: 'done', done_note: '已完成', verified_on: '2026-12-28' }]);
  });

  it('is verified by someone other than who recorded it completed', async () => {
    await say('刘联络员', '/整改 新增 @王书记 健全台账 截止 2027-01-31');
    await say('王书记', '/整改 完成 1 已建立台账');
    expect(groupText(await say('王书记', '/整改 核实 1'))).toBe('第1号是您登记完成的，核实请由另一位联络员或主要负责人进行：/整改 核实 1');
    expect((await chat.rows<{ verified_on: string | null }>('item'))[0]!.verified_on).toBeNull();
    expect(groupText(await say('刘联络员', '/整改 核实 1'))).toBe('第1号整改事项已核实（刘联络员）。');
  });

  it('lets an item be extended twice, each time later, keeping every change in its history', async () => {
    await say('刘联络员', '/整改 新增 @张三 完善制度 截止 2027-01-31');
    await say('张三', '/整改 延期 1 2027-02-28 等待上级文件');
    expect(groupText(await say('张三', '/整改 延期 1 2027-02-15 提前'))).toBe('新日期要晚于第1号原截止日期 2027年2月28日。');
    await say('张三', '/整改 延期 1 2027-03-31 上级文件未下发');
    const events = (await chat.rows<{ action: string; from_deadline: string | null; to_deadline: string | null; note: string | null }>('item_event', "action = 'extended'"));
    expect(events).toMatchObject([
      { from_deadline: '2027-01-31', to_deadline: '2027-02-28', note: '等待上级文件' },
      { from_deadline: '2027-02-28', to_deadline: '2027-03-31', note: '上级文件未下发' },
    ]);
    expect((await chat.rows('item'))).toMatchObject([{ status: 'extended', deadline: '2027-03-31' }]);
  });

  it('dates the history of an item in Asia/Shanghai, also early in the morning', async () => {
    chat.setDay('2026-12-29', 7, 30); // 2026-12-28 23:30 UTC
    await say('刘联络员', '/整改 新增 @张三 完善制度 截止 2027-01-31');
    const show = groupText(await say('刘联络员', '/整改 查看 1'));
    expect(show).toContain('• 2026-12-29 刘联络员 新增');
  });

  it('shows only my items with /整改 我的, and open items before done ones in /整改 列表', async () => {
    await say('刘联络员', '/整改 新增 @张三 甲事项 截止 2027-01-31');
    await say('刘联络员', '/整改 新增 @李四 乙事项 截止 2027-01-31');
    await say('刘联络员', '/整改 新增 @张三 丙事项 截止 2027-01-31');
    await say('张三', '/整改 完成 1 已完成');
    const mine = groupText(await say('张三', '/整改 我的'));
    expect(mine).toContain('我的整改事项（2项）');
    expect(mine).toContain('甲事项');
    expect(mine).not.toContain('乙事项');
    const all = groupText(await say('张三', '/整改 列表')).split('\n');
    expect(all[0]).toBe('整改事项（3项）');
    expect(all.slice(1).map((l) => l.split('.')[0])).toEqual(['2', '3', '1']);
  });

  it('counts an item completed on its deadline as on time, the day after as one day late', async () => {
    await say('刘联络员', '/整改 新增 @张三 甲事项 截止 2027-01-04');
    await say('刘联络员', '/整改 新增 @张三 乙事项 截止 2027-01-04');
    chat.setDay('2027-01-04');
    expect(groupText(await say('张三', '/整改 完成 1 已完成'))).toBe('第1号整改事项已完成（张三）。请联络员或主要负责人 /整改 核实 1。');
    chat.setDay('2027-01-05');
    expect(groupText(await say('张三', '/整改 完成 2 已完成'))).toContain('比期限晚1天');
  });
});
