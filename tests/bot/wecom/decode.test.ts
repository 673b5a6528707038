import { describe, expect, it } from 'vitest';
import { decodeWecomMessage } from '../../../src/bot/wecom/decode.js';
import { fixture } from './helpers.js';

const botName = '生活会助手';

describe(decodeWecomMessage.name, () => {
  it.each([
    ['group-text.json', { chatId: 'wrkSFfCgAAtM9yUn4V0mQz6mDqsKlrPg', chatType: 'group', senderId: 'zhangsan', text: '/进度', mentionedBot: true }],
    ['group-text-nbsp.json', { chatType: 'group', senderId: 'lisi', text: '/请假 外出培训', mentionedBot: true }],
    ['group-text-mention-only.json', { chatType: 'group', senderId: 'wangwu', text: '', mentionedBot: true }],
    ['group-text-quote.json', { chatType: 'group', text: '/整改 完成 3 已更换门禁' }],
    ['single-text.json', { chatId: 'zhangsan', chatType: 'private', senderId: 'zhangsan', text: '/我的' }],
    ['single-voice.json', { chatId: 'lisi', chatType: 'private', senderId: 'lisi', text: '我的待办' }],
    ['group-mixed.json', { chatType: 'group', senderId: 'zhaoliu', text: '/整改 完成 2 见附图' }],
  ])('%s', (file, want) => {
    const frame = fixture(file);
    const msg = decodeWecomMessage(frame.body, { botName });
    expect(msg).toMatchObject({ channel: 'wecom', msgId: frame.body.msgid, ...want });
  });

  it('marks only group messages as mentioning the bot', () => {
    expect(decodeWecomMessage(fixture('single-text.json').body, { botName })?.mentionedBot).toBeUndefined();
  });

  it.each(['single-image.json', 'event-enter-chat.json'])('ignores %s (not text)', (file) => {
    expect(decodeWecomMessage(fixture(file).body, { botName })).toBeUndefined();
  });

  it('strips any leading @name in a group when the bot name is unknown or different', () => {
    const body = { ...fixture('group-text.json').body, text: { content: '@党建小助手\u2005/帮助' } };
    expect(decodeWecomMessage(body, {})?.text).toBe('/帮助');
    expect(decodeWecomMessage(body, { botName })?.text).toBe('/帮助');
  });

  it('removes the bot mention when it is not first, keeping other mentions', () => {
    const body = { ...fixture('group-text.json').body, text: { content: '@张三 @生活会助手 /催办' } };
    expect(decodeWecomMessage(body, { botName })?.text).toBe('@张三 /催办');
  });

  it.each([
    ['@党建小助手/进度', {}],
    ['@生活会助手／进度', { botName }],
  ])('keeps a command glued to the mention: %s', (content, options) => {
    const body = { ...fixture('group-text.json').body, text: { content } };
    expect(decodeWecomMessage(body, options)?.text).toMatch(/^[/／]进度$/);
  });

  it('leaves a leading @ alone in a 1:1 chat unless it is the bot', () => {
    const body = { ...fixture('single-text.json').body, text: { content: '@张三 的发言提纲' } };
    expect(decodeWecomMessage(body, { botName })?.text).toBe('@张三 的发言提纲');
  });

  it.each([
    ['no sender', { from: {} }],
    ['group without chatid', { chatid: undefined }],
    ['not an object', null],
  ])('rejects a body with %s', (_name, patch) => {
    const body = patch === null ? null : { ...fixture('group-text.json').body, ...patch };
    expect(decodeWecomMessage(body, { botName })).toBeUndefined();
  });
});
