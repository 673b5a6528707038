import { describe, expect, it } from 'vitest';
import { trafficLight } from '../../src/domain/light.js';
import { viewMeeting } from '../../src/domain/meeting.js';
import { ARCHIVE_MATERIALS } from '../../src/domain/rules.js';
import { aMeeting, anItem, factsOf, outlinesOf, pairsOf, stepsDoneOn } from '../helpers/builders.js';

const D = '2026-12-28';
const lightOn = (today: string, facts = factsOf()) => trafficLight(viewMeeting(facts, today));
const held = aMeeting({ status: 'held', heldOn: D });
/** Every manual step of a 民主生活会 recorded, so only the items decide the colour. */
const allRecorded = stepsDoneOn('2027-01-05', 'topic', 'plan', 'study', 'opinions', 'inspection', 'notice', 'rectify_list', 'report', 'inform');
/** A held meeting whose preparation was complete (talks, outlines, every manual step). */
const heldAndPrepared = (items: ReturnType<typeof anItem>[]) =>
  factsOf(held, { stepsDone: allRecorded, talkPairs: pairsOf([1, 2], [1, 3], [1, 4]), outlines: outlinesOf([1, 2, 3, 4], { reviewed: true }), items });

describe(trafficLight.name, () => {
  it('is green when every deadline is more than 3 days away', () => {
    expect(lightOn('2026-11-25')).toBe('green');
  });

  it('is yellow when a step falls due within 3 days (方案 due 12-13, today 12-10)', () => {
    expect(lightOn('2026-12-10')).toBe('yellow');
  });

  it('is red as soon as a step is overdue (方案 not recorded by 12-13)', () => {
    expect(lightOn('2026-12-14')).toBe('red');
  });

  it('turns green again when the overdue step is recorded and nothing else is near', () => {
    expect(lightOn('2026-12-14', factsOf(aMeeting(), { stepsDone: stepsDoneOn('2026-12-14', 'topic', 'plan') }))).toBe('green');
  });

  it('is red when a rectification item is overdue', () => {
    expect(lightOn('2027-01-06', heldAndPrepared([anItem({ deadline: '2027-01-04' })]))).toBe('red');
    expect(lightOn('2027-01-06', heldAndPrepared([anItem({ deadline: '2027-01-31' })]))).toBe('green');
  });

  it('is yellow when an item was extended (the supervisor should look), green when none was', () => {
    expect(lightOn('2027-01-06', heldAndPrepared([anItem({ status: 'extended', deadline: '2027-03-31' })]))).toBe('yellow');
    expect(lightOn('2027-01-06', heldAndPrepared([anItem({ status: 'open', deadline: '2027-03-31' })]))).toBe('green');
  });

  it('is yellow when an item falls due within 3 days', () => {
    expect(lightOn('2027-01-06', heldAndPrepared([anItem({ deadline: '2027-01-09' })]))).toBe('yellow');
  });

  it('is green for a completed or cancelled meeting whatever is left', () => {
    const completed = factsOf(held, {
      stepsDone: stepsDoneOn('2027-01-05', 'rectify_list', 'report', 'inform'),
      items: [anItem({ status: 'done' })],
      archived: new Set(ARCHIVE_MATERIALS),
    });
    expect(viewMeeting(completed, '2027-02-01').phase).toBe('completed');
    expect(lightOn('2027-02-01', completed)).toBe('green');
    expect(lightOn('2026-12-20', factsOf(aMeeting({ status: 'cancelled' })))).toBe('green');
  });
});
