import { describe, expect, it } from 'vitest';
import { cardParamMap, createAndDeliverBody, decodeDingTalkCardCallback } from '../../../src/bot/dingtalk/card.js';
import { fixture } from './helpers.js';

describe(decodeDingTalkCardCallback.name, () => {
  it('reads a click (the payload the official Python SDK records, with our key) as the clicker pressing our button', () => {
    expect(decodeDingTalkCardCallback(JSON.stringify(fixture('card-callback')), 'msg-1')).toEqual({ channel: 'dingtalk', eventId: 'msg-1', cardId: 7, button: 0, userId: 'zhao01' });
  });

  it.each([
    ['not JSON', '{'],
    ['another outTrackId', JSON.stringify({ ...fixture('card-callback'), outTrackId: 'someone-else' })],
    ['a key of another card', JSON.stringify({ ...fixture('card-callback'), outTrackId: 'shh-card-8' })],
    ['unreadable content', JSON.stringify({ ...fixture('card-callback'), content: '{broken' })],
    ['no key', JSON.stringify({ ...fixture('card-callback'), content: JSON.stringify({ cardPrivateData: { actionIds: ['x'], params: {} } }) })],
    ['no user', JSON.stringify({ ...fixture('card-callback'), userId: undefined })],
  ])('ignores %s', (_name, data) => {
    expect(decodeDingTalkCardCallback(data, 'msg-1')).toBeUndefined();
  });
});

describe(createAndDeliverBody.name, () => {
  const card = { id: 3, subject: 'reminders:1', title: '待办提醒', lines: ['1. 方案', '2. 通知'], buttons: [{ label: '明天再提醒', command: '/稍后 1 2' }] };

  it('delivers to a group with the @mentions the card cannot otherwise make, and keeps every parameter a string', () => {
    const body = createAndDeliverBody({ card, templateId: 'tpl', robotCode: 'ding1', target: { kind: 'chat', channel: 'dingtalk', chatId: 'cid==' }, privateChat: false, mentions: [{ personId: 1, name: '王书记', userId: 'wang01' }, { personId: 2, name: '无账号' }] });
    expect(body).toMatchObject({ openSpaceId: 'dtv1.card//IM_GROUP.cid==', imGroupOpenDeliverModel: { robotCode: 'ding1', atUserIds: { wang01: '王书记' } }, outTrackId: 'shh-card-3', callbackType: 'STREAM' });
    expect(Object.values(cardParamMap(card)).every((v) => typeof v === 'string')).toBe(true);
    expect(JSON.parse(cardParamMap(card).buttons!)).toEqual([{ text: '明天再提醒', key: '3:0', color: 'gray' }]);
  });

  it('delivers to a person’s private chat with the robot', () => {
    const body = createAndDeliverBody({ card, templateId: 'tpl', robotCode: 'ding1', target: { kind: 'person', channel: 'dingtalk', userId: 'zhao01', personId: 1, name: '赵书记' }, privateChat: false, mentions: [] });
    expect(body).toMatchObject({ openSpaceId: 'dtv1.card//IM_ROBOT.zhao01', imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: 'ding1' } });
  });
});
