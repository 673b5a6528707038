import { afterEach, describe, expect, it } from 'vitest';
import { groupText, recipients, startChat, type Chat } from '../helpers/chat.js';
import { aLeadershipTeam } from '../helpers/units.js';

let chat: Chat;
afterEach(async () => chat?.stop());

const unitIdOfChat = async (c: Chat, chatId: string) =>
  (await c.query<{ unit_id: number }>('SELECT unit_id FROM chat WHERE chat_id = ?', chatId))[0]?.unit_id;
const rolesOf = async (c: Chat, name: string, unit: string) =>
  (await c.query<{ role: string }>(`SELECT m.role FROM membership m JOIN person p ON p.id = m.person_id JOIN unit u ON u.id = m.unit_id
    WHERE p.name = ? AND u.name = ? ORDER BY m.role`, name, unit)).map((r) => r.role);

describe('binding a group to a unit (bootstrap)', () => {
  it('makes the first person to send /单位 设置 the unit’s 联络员', async () => {
    chat = await startChat();
    const lines = await chat.as('刘联络员').in('党办群').say('/单位 设置 区教育局党组');
    expect(recipients(lines)).toEqual(['群 党办群']);
    expect(groupText(lines)).toContain('本群已绑定到单位：区教育局党组');
    expect(groupText(lines)).toContain('刘联络员 已成为本单位联络员');
    expect((await rolesOf(chat, '刘联络员', '区教育局党组'))).toEqual(['operator']);
    expect((await unitIdOfChat(chat, '党办群'))).toBe((await chat.rows<{ id: number }>('unit', 'name = ?', '区教育局党组'))[0]!.id);
  });

  it('after that, a member cannot rebind the group, and nothing changes', async () => {
    chat = await startChat();
    await aLeadershipTeam(chat, null);
    const before = (await chat.snapshot());
    const lines = await chat.as('张三').in('党办群').say('/单位 设置 张三的单位');
    expect(groupText(lines)).toBe('只有联络员可以这样做。');
    expect((await chat.snapshot())).toBe(before);
    expect((await chat.rows('unit', 'name = ?', '张三的单位'))).toEqual([]);
  });

  it('nor can a stranger who is on no roster', async () => {
    chat = await startChat();
    await aLeadershipTeam(chat, null);
    const before = (await chat.snapshot());
    expect(groupText(await chat.as('路人甲').in('党办群').say('/单位 设置 路人的单位'))).toBe('只有联络员可以这样做。');
    expect((await chat.snapshot())).toBe(before);
  });

  it('the operator may set the parent unit later', async () => {
    chat = await startChat();
    await chat.as('陈部长').in('组织部督导群').say('/单位 设置 区委组织部');
    await chat.as('刘联络员').in('党办群').say('/单位 设置 区教育局党组');
    const lines = await chat.as('刘联络员').in('党办群').say('/单位 设置 区教育局党组 上级 区委组织部');
    expect(groupText(lines)).toContain('本群已绑定到单位：区教育局党组（上级：区委组织部）');
    const [unit] = (await chat.rows<{ parent_id: number }>('unit', 'name = ?', '区教育局党组'));
    expect(unit!.parent_id).toBe((await chat.rows<{ id: number }>('unit', 'name = ?', '区委组织部'))[0]!.id);
  });

  it('with ADMIN_USERS set, only those accounts may bind a new group', async () => {
    chat = await startChat({ env: { ADMIN_USERS: '系统管理员' } });
    const refused = await chat.as('刘联络员').in('党办群').say('/单位 设置 区教育局党组');
    expect(groupText(refused)).toContain('只有系统管理员');
    expect((await chat.counts()).unit).toBe(0);
    const ok = await chat.as('系统管理员').in('党办群').say('/单位 设置 区教育局党组');
    expect(groupText(ok)).toContain('本群已绑定到单位：区教育局党组');
  });

  it('tells people in a group that is not bound yet how to bind it', async () => {
    chat = await startChat();
    expect(groupText(await chat.as('张三').in('新群').say('/进度'))).toContain('本群还没有绑定单位。联络员请发送：/单位 设置 <单位名称>');
  });
});

describe('who may do what', () => {
  it('a team member cannot schedule a meeting; the refusal names who may', async () => {
    chat = await startChat();
    await aLeadershipTeam(chat, null);
    const lines = await chat.as('张三').in('党办群').say('/会议 新建 民主生活会 2026-12-28');
    expect(groupText(lines)).toBe('只有联络员、主要负责人可以这样做。');
    expect((await chat.counts()).meeting).toBe(0);
  });

  it('the operator and the principal can', async () => {
    chat = await startChat();
    await aLeadershipTeam(chat, null);
    expect(groupText(await chat.as('王书记').in('党办群').say('/会议 新建 民主生活会 2026-12-28'))).toContain('已安排区教育局党组民主生活会');
    expect((await chat.rows('meeting'))).toHaveLength(1);
  });

  it.each([
    ['/成员 添加 @黄主任 列席', '只有联络员可以这样做。'],
    ['/成员 移除 @李四', '只有联络员可以这样做。'],
    ['/完成 方案', '只有联络员、主要负责人可以这样做。'],
    ['/会议 改期 2027-01-05', '只有联络员、主要负责人可以这样做。'],
    ['/会议 取消', '只有联络员、主要负责人可以这样做。'],
    ['/批准 @李四', '只有主要负责人、上级可以这样做。'],
    ['/提纲 审核 @李四', '只有主要负责人、上级可以这样做。'],
    ['/请假 列表', '只有主要负责人、联络员、上级可以这样做。'],
    ['/转告 @李四', '只有主要负责人可以这样做。'],
    ['/整改 新增 @李四 清理办公用房', '只有联络员、主要负责人可以这样做。'],
    ['/整改 核实 1', '只有联络员、主要负责人可以这样做。'],
  ])('a team member sending %s is told: %s', async (text, reply) => {
    chat = await startChat();
    await aLeadershipTeam(chat);
    await chat.as('刘联络员').in('党办群').say('/整改 新增 @李四 完善请销假制度 截止 2027-01-31');
    const before = (await chat.snapshot());
    expect(groupText(await chat.as('张三').in('党办群').say(text))).toBe(reply);
    expect((await chat.snapshot())).toBe(before);
  });

  it('only the owner, the operator or the principal may complete or extend an item', async () => {
    chat = await startChat();
    await aLeadershipTeam(chat);
    await chat.as('刘联络员').in('党办群').say('/整改 新增 @李四 完善请销假制度 截止 2027-01-31');
    const before = (await chat.snapshot());
    expect(groupText(await chat.as('张三').in('党办群').say('/整改 完成 1 已修订'))).toBe('只有第1号的责任人、联络员或主要负责人可以这样做。');
    expect(groupText(await chat.as('张三').in('党办群').say('/整改 延期 1 2027-02-28 需协调'))).toBe('只有第1号的责任人、联络员或主要负责人可以这样做。');
    expect((await chat.snapshot())).toBe(before);
    expect(groupText(await chat.as('李四').in('党办群').say('/整改 完成 1 已修订并印发'))).toContain('第1号整改事项已完成（李四）');
  });

  it('a supervisor of the parent unit may review the principal’s outline; a member may not', async () => {
    chat = await startChat();
    await aLeadershipTeam(chat);
    await chat.as('王书记').in('党办群').say('/提纲 提交');
    expect(groupText(await chat.as('张三').in('党办群').say('/提纲 审核 @王书记'))).toBe('只有主要负责人、上级可以这样做。');
    expect(groupText(await chat.as('王书记').in('党办群').say('/提纲 审核 @王书记'))).toBe('只有上级可以这样做。');
    expect(groupText(await chat.as('陈部长').in('党办群').say('/提纲 审核 @王书记'))).toBe('已登记：王书记 的发言提纲审核通过。');
  });
});

describe('people the bot does not know', () => {
  it('tells an unknown sender how to be added, and changes nothing', async () => {
    chat = await startChat();
    await aLeadershipTeam(chat);
    const before = (await chat.snapshot());
    const text = groupText(await chat.as('路人甲').in('党办群').say('/进度'));
    expect(text).toContain('您还不在本单位名单中');
    expect(text).toContain('/我是 <您的姓名>');
    expect(text).toContain('/成员 添加 @您 <角色>');
    expect((await chat.snapshot())).toBe(before);
  });

  it('lets anyone read /帮助', async () => {
    chat = await startChat();
    await aLeadershipTeam(chat);
    expect(groupText(await chat.as('路人甲').in('党办群').say('/帮助'))).toContain('/进度 查看会议进度');
  });

  it('refuses to bind a name already bound to another account', async () => {
    chat = await startChat();
    await aLeadershipTeam(chat);
    const before = (await chat.snapshot());
    expect(groupText(await chat.as('路人甲').in('党办群').say('/我是 张三'))).toContain('“张三”已绑定了其他账号');
    expect((await chat.snapshot())).toBe(before);
  });
});
