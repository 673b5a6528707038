import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupText, startChat, type Chat } from '../helpers/chat.js';
import { aLeadershipTeam } from '../helpers/units.js';

/** The roster's roles: one person may hold several; one is taken away without the others. */
let chat: Chat;
beforeEach(async () => {
  chat = await startChat({ today: '2026-11-25' });
  await aLeadershipTeam(chat);
});
afterEach(async () => chat.stop());

const say = (text: string) => chat.as('刘联络员').in('党办群').say(text);
const rolesOf = async (name: string) =>
  (await chat.rows<{ role: string }>('membership', 'person_id = (SELECT id FROM person WHERE name = ?)', name)).map((r) => r.role).sort();

describe('roles on the roster', () => {
  it('a 预备党员 made a 党员 is one no longer (转正)', async () => {
    await say('/成员 添加 @吴预备 预备党员');
    expect(groupText(await say('/成员 添加 @吴预备 党员'))).toBe('已把 吴预备 由预备党员转为正式党员。');
    expect((await rolesOf('吴预备'))).toEqual(['party_member']);
  });

  it('takes away one role and keeps the others', async () => {
    await say('/成员 添加 @张三 联络员');
    expect(groupText(await say('/成员 移除 @张三 联络员'))).toBe('已取消 张三 的联络员身份（其他身份不变）。');
    expect((await rolesOf('张三'))).toEqual(['member']);
    expect(groupText(await say('/成员 移除 @张三 列席'))).toBe('张三 不是列席。发送 /成员 列表 查看各人的身份。');
    expect(groupText(await say('/成员 移除 @刘联络员 联络员'))).toBe('不能移除最后一位联络员。请先添加另一位联络员。');
    expect((await rolesOf('刘联络员'))).toEqual(['operator']);
  });
});

describe('roles, the edge cases', () => {
  it('never leaves the unit without an operator, even when two are named at once', async () => {
    await say('/成员 添加 @张三 联络员');
    expect(groupText(await say('/成员 移除 @刘联络员 @张三 联络员'))).toBe('不能移除最后一位联络员。请先添加另一位联络员。');
    // Nothing of the refused command stays (the first one named keeps the role too).
    expect((await rolesOf('刘联络员'))).toEqual(['operator']);
    expect((await rolesOf('张三'))).toEqual(['member', 'operator']);
  });

  it('a role taken that was the person’s last takes them off the roster, and says so', async () => {
    await say('/成员 添加 @黄主任 列席');
    expect(groupText(await say('/成员 移除 @黄主任 列席'))).toBe('已把 黄主任 移出本单位名单。');
    expect((await rolesOf('黄主任'))).toEqual([]);
  });

  it('a full 党员 is not made a 预备党员 as well', async () => {
    await say('/成员 添加 @郑党员 党员');
    expect(groupText(await say('/成员 添加 @郑党员 预备党员'))).toBe('郑党员 已是正式党员，不能再添加为预备党员。');
    expect((await rolesOf('郑党员'))).toEqual(['party_member']);
  });
});
