import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../src/messages.js';
import { startChat, type Chat } from '../helpers/chat.js';
import { aLeadershipTeam } from '../helpers/units.js';

let chat: Chat;
beforeEach(async () => {
  chat = await startChat();
  await aLeadershipTeam(chat);
});
afterEach(async () => chat.stop());

const inGroup = (senderId: string, text: string, msgId: string, over: Partial<IncomingMessage> = {}): IncomingMessage => ({
  channel: 'console', msgId, chatId: '党办群', chatType: 'group', chatTitle: '党办群', senderId, senderName: senderId, text, ...over,
});

describe('a message delivered twice (platform redelivery) is processed once', () => {
  it('logs one talk for two deliveries of the same message id', async () => {
    const first = await chat.handle(inGroup('王书记', '/谈心 @张三 面谈', 'redeliver-1'));
    const second = await chat.handle(inGroup('王书记', '/谈心 @张三 面谈', 'redeliver-1'));
    expect(first.map((d) => d.message.text).join('\n')).toContain('已登记：王书记 与 张三 谈心谈话');
    expect(second).toEqual([]);
    expect((await chat.rows('talk'))).toHaveLength(1);
    expect((await chat.rows('audit_log', "action = 'talk.log'"))).toHaveLength(1);
  });

  it('completes an item once and records one history event', async () => {
    await chat.as('刘联络员').in('党办群').say('/整改 新增 @李四 完善请销假制度 截止 2027-01-31');
    const msg = inGroup('李四', '/整改 完成 1 已修订并印发', 'redeliver-2');
    expect((await chat.handle(msg)).length).toBeGreaterThan(0);
    expect(await chat.handle(msg)).toEqual([]);
    expect((await chat.rows('item_event', "action = 'completed'"))).toHaveLength(1);
  });

  it('answers a refused command once', async () => {
    const msg = inGroup('张三', '/会议 新建 民主生活会 2027-01-05', 'redeliver-3');
    expect((await chat.handle(msg)).map((d) => d.message.text)).toEqual(['只有联络员、主要负责人可以这样做。']);
    expect(await chat.handle(msg)).toEqual([]);
  });

  it('answers a message the parser rejects once', async () => {
    const msg = inGroup('张三', '/吃饭', 'redeliver-4');
    expect((await chat.handle(msg))[0]?.message.text).toContain('没有“/吃饭”这个命令');
    expect(await chat.handle(msg)).toEqual([]);
  });

  it('keeps message ids of different channels apart', async () => {
    await chat.handle(inGroup('王书记', '/谈心 @张三 面谈', 'same-id'));
    const other = await chat.handle(inGroup('wx-王', '/进度', 'same-id', { channel: 'wecom', mentionedBot: true }));
    expect(other.length).toBeGreaterThan(0);
  });

  it('processes messages without an id every time', async () => {
    const { msgId: _none, ...noId } = inGroup('王书记', '/谈心 @张三 面谈', 'x');
    await chat.handle(noId);
    await chat.handle(noId);
    expect((await chat.rows('talk'))).toHaveLength(2);
  });
});

describe('addressing', () => {
  it('stays silent on group chatter that does not mention the bot (a platform group)', async () => {
    const msg: IncomingMessage = { channel: 'wecom', msgId: 'w1', chatId: 'g1', chatType: 'group', senderId: 'u1', text: '明天的会几点开？' };
    expect(await chat.handle(msg)).toEqual([]);
  });

  it('answers chatter that mentions the bot with a pointer to /帮助', async () => {
    const msg: IncomingMessage = { channel: 'wecom', msgId: 'w2', chatId: 'g1', chatType: 'group', senderId: 'u1', text: '你好', mentionedBot: true };
    expect((await chat.handle(msg))[0]?.message.text).toContain('/帮助');
  });

  it('replies to the chat the message came from', async () => {
    const [reply] = await chat.handle(inGroup('王书记', '/进度', 'here-1'));
    expect(reply?.target).toMatchObject({ kind: 'chat', channel: 'console', chatId: '党办群' });
  });
});
