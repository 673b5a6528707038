import { describe, expect, it } from 'vitest';
import { decodeDingTalk, parseRobotMessage, sessionOf } from '../../../src/bot/dingtalk/decode.js';
import { fixture } from './helpers.js';

const decodeFixture = (name: string) => {
  const raw = parseRobotMessage(JSON.stringify(fixture(name)));
  if (!raw) throw new Error(`fixture ${name} is not a robot message`);
  return decodeDingTalk(raw);
};

describe(decodeDingTalk.name, () => {
  it('decodes a group command: conversation, sender, trimmed text, colleagues @-mentioned but not the bot', () => {
    expect(decodeFixture('group-text')).toEqual({
      channel: 'dingtalk',
      msgId: 'msgW1x2y3z4A5b6C7d8E9f0g==',
      chatId: 'cidPZb9ab3cKw3Q2mYn1mXy0w==',
      chatType: 'group',
      chatTitle: '机关第一党支部',
      senderId: 'zhangsan01',
      senderName: '张三',
      text: '/请假 外出培训 @李四',
      mentions: [{ userId: 'lisi01' }],
      mentionedBot: true,
    });
  });

  it('uses the sender as the chat of a single chat', () => {
    expect(decodeFixture('single-text')).toMatchObject({
      chatId: 'wangwu01',
      chatType: 'private',
      senderId: 'wangwu01',
      senderName: '王五',
      text: '/我的任务',
      mentions: [],
      mentionedBot: false,
    });
    expect(decodeFixture('single-text')).not.toHaveProperty('chatTitle');
  });

  it('falls back to senderId when the sender has no staffId (another organisation)', () => {
    expect(decodeFixture('group-text-external-sender')).toMatchObject({
      senderId: '$:LWCP_v1:$Zl6aB8cD7eF6gH5iJ4kL3m==',
      text: '/帮助',
      mentions: [],
    });
  });

  it.each(['group-picture', 'group-richtext'])('ignores %s: not a command', (name) => {
    expect(decodeFixture(name)).toBeUndefined();
  });

  it('treats a group message without isInAtList as addressed to the bot', () => {
    const { isInAtList: _drop, ...raw } = fixture('group-text');
    expect(decodeDingTalk(parseRobotMessage(JSON.stringify(raw))!)?.mentionedBot).toBe(true);
  });

  it('gives no message for an unknown conversation type', () => {
    const raw = parseRobotMessage(JSON.stringify({ ...fixture('group-text'), conversationType: '3' }));
    expect(decodeDingTalk(raw!)).toBeUndefined();
  });
});

describe(parseRobotMessage.name, () => {
  it.each([
    ['not JSON', '{"msgtype":'],
    ['no msgtype', JSON.stringify({ conversationType: '2' })],
    ['conversationType as a number', JSON.stringify({ ...fixture('group-text'), conversationType: 2 })],
  ])('refuses %s', (_what, data) => {
    expect(parseRobotMessage(data)).toBeUndefined();
  });
});

describe(sessionOf.name, () => {
  it('keeps the sessionWebhook and its expiry for the reply', () => {
    expect(sessionOf(parseRobotMessage(JSON.stringify(fixture('group-text')))!)).toEqual({
      url: 'https://oapi.dingtalk.com/robot/sendBySession?session=0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      expiresAt: 1796092200000,
    });
  });
});
