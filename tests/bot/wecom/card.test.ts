import { describe, expect, it } from 'vitest';
import { decodeWecomCardEvent, wecomTemplateCard } from '../../../src/bot/wecom/card.js';
import { fixture } from './helpers.js';

describe(decodeWecomCardEvent.name, () => {
  it('reads a click on one of our cards: the event id, the card, the button and the clicker', () => {
    const frame = fixture('event-template-card.json');
    expect(decodeWecomCardEvent(frame.body)).toEqual({ channel: 'wecom', eventId: 'CAIQ17HMjQYYe2n3t4e5r6c7h8t=', cardId: 12, button: 1, userId: 'lisi' });
  });

  it.each([
    ['another event', { event: { eventtype: 'enter_chat' } }],
    ['a key that is not ours', { event: { eventtype: 'template_card_event', event_key: 'approve', task_id: 'shh-card-12' } }],
    ['a task id of another card', { event: { eventtype: 'template_card_event', event_key: '12:1', task_id: 'shh-card-13' } }],
    ['no clicker', { from: {} }],
    ['no msgid', { msgid: 7 }],
  ])('ignores %s', (_name, change) => {
    const body = { ...fixture('event-template-card.json').body, ...change };
    expect(decodeWecomCardEvent(body)).toBeUndefined();
  });

  it('ignores what is not an event body at all', () => {
    for (const body of [undefined, null, 'x', 3, {}]) expect(decodeWecomCardEvent(body)).toBeUndefined();
  });
});

describe(wecomTemplateCard.name, () => {
  const card = { id: 5, subject: 'leave:1', title: '请假审批：张三', lines: ['原因：外出培训'], buttons: [{ label: '批准', command: '/批准 @张三', style: 'primary' as const }, { label: '驳回', command: '/驳回 @张三', style: 'danger' as const }] };

  it('renders a button_interaction card whose keys name the card and the button', () => {
    expect(wecomTemplateCard(card)).toEqual({
      card_type: 'button_interaction', main_title: { title: '请假审批：张三' }, sub_title_text: '原因：外出培训',
      button_list: [{ text: '批准', style: 1, key: '5:0' }, { text: '驳回', style: 3, key: '5:1' }], task_id: 'shh-card-5',
    });
  });

  it('a closed card keeps one inert button showing the outcome; a settled button drops out but the others keep their keys', () => {
    expect(wecomTemplateCard({ ...card, outcome: '已批准 · 王书记' }).button_list).toEqual([{ text: '已批准 · 王书记', style: 4, key: '5:x' }]);
    expect(wecomTemplateCard({ ...card, buttons: [{ ...card.buttons[0]!, settled: true }, card.buttons[1]!] }).button_list).toEqual([{ text: '驳回', style: 3, key: '5:1' }]);
  });
});
