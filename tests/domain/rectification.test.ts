import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/dates.js';
import { assertMayComplete, assertMayExtend, countItems, daysOverdue, itemState, newItemDeadline } from '../../src/domain/rectification.js';
import { aMeeting, anItem } from '../helpers/builders.js';
import { userErrorOf } from '../helpers/errors.js';

const D = '2026-12-28';

describe(itemState.name, () => {
  it.each([
    ['open', '2027-01-31', '2027-01-31', 'open'], // due today: not yet overdue
    ['open', '2027-01-31', '2027-02-01', 'overdue'],
    ['extended', '2027-03-31', '2027-02-01', 'extended'],
    ['extended', '2027-03-31', '2027-04-01', 'overdue'],
    ['done', '2027-01-31', '2027-05-01', 'done'], // done late is still done
  ] as const)('%s item due %s is %s on %s', (status, deadline, today, want) => {
    expect(itemState({ status, deadline }, today)).toBe(want);
  });

  it('counts days overdue, zero when not overdue', () => {
    expect(daysOverdue({ deadline: '2027-01-31' }, '2027-02-03')).toBe(3);
    expect(daysOverdue({ deadline: '2027-01-31' }, '2027-01-31')).toBe(0);
    expect(daysOverdue({ deadline: '2027-01-31' }, '2027-01-20')).toBe(0);
  });
});

describe(newItemDeadline.name, () => {
  it('uses the typed date for a fixed-deadline item', () => {
    expect(newItemDeadline(aMeeting(), 'fixed', '2027-01-31', D)).toBe('2027-01-31');
  });

  it('gives a 立行立改 item without a date the default: 7 days after the meeting', () => {
    expect(newItemDeadline(aMeeting(), 'immediate', undefined, D)).toBe('2027-01-04');
    expect(newItemDeadline(aMeeting(), 'immediate', undefined, '2026-12-20')).toBe('2027-01-04');
  });

  it('never gives an item added after the meeting a deadline already past (7 days from that day)', () => {
    expect(newItemDeadline(aMeeting(), 'immediate', undefined, '2027-01-10')).toBe('2027-01-17');
  });

  it('uses 7 days for 组织生活会 too', () => {
    expect(newItemDeadline(aMeeting({ kind: 'org_life', date: '2026-12-20' }), 'immediate', undefined, '2026-12-20')).toBe('2026-12-27');
  });

  it('requires a date for 限期整改 and 需协调 items', () => {
    expect(userErrorOf(() => newItemDeadline(aMeeting(), 'fixed', undefined, D))).toEqual({ key: 'rectify.deadlineRequired', params: { example: addDays(D, 30) } });
    expect(userErrorOf(() => newItemDeadline(aMeeting(), 'coordinate', undefined, D))?.key).toBe('rectify.deadlineRequired');
  });

  it('refuses a deadline in the past but accepts today', () => {
    expect(userErrorOf(() => newItemDeadline(aMeeting(), 'fixed', '2026-12-27', D))).toEqual({ key: 'rectify.deadlineInPast', params: { date: '2026-12-27', today: D } });
    expect(newItemDeadline(aMeeting(), 'immediate', D, D)).toBe(D);
  });
});

describe('completing an item', () => {
  it('needs a short description of what was done', () => {
    expect(userErrorOf(() => assertMayComplete(anItem({ no: 3 }), '已更换门禁'))).toBeUndefined();
    expect(userErrorOf(() => assertMayComplete(anItem({ no: 3 }), ''))).toEqual({ key: 'rectify.noteRequired', params: { no: 3 } });
    expect(userErrorOf(() => assertMayComplete(anItem({ no: 3 }), ' \t'))?.key).toBe('rectify.noteRequired');
  });

  it('completes an overdue or extended item, but not one already done', () => {
    expect(userErrorOf(() => assertMayComplete(anItem({ status: 'extended' }), '已完成'))).toBeUndefined();
    expect(userErrorOf(() => assertMayComplete(anItem({ no: 4, status: 'done' }), '再次完成'))).toEqual({ key: 'rectify.alreadyDone', params: { no: 4 } });
  });
});

describe('extending an item', () => {
  const item = anItem({ no: 2, deadline: '2027-01-31' });
  const extend = (newDate: string, reason = '需上级协调', today = '2027-01-20', it = item) => userErrorOf(() => assertMayExtend(it, newDate, reason, today));

  it('accepts a later date with a reason', () => {
    expect(extend('2027-02-28')).toBeUndefined();
  });

  it('refuses a date that is not later than the current deadline', () => {
    expect(extend('2027-01-31')).toEqual({ key: 'rectify.extendNotLater', params: { no: 2, deadline: '2027-01-31' } });
    expect(extend('2027-01-25')?.key).toBe('rectify.extendNotLater');
  });

  it('requires a reason', () => {
    expect(extend('2027-02-28', '')).toEqual({ key: 'rectify.reasonRequired', params: { no: 2 } });
  });

  it('refuses a new date already in the past (an overdue item extended to yesterday)', () => {
    expect(extend('2027-02-05', '需协调', '2027-02-10')?.key).toBe('rectify.deadlineInPast');
  });

  it('may extend an item again after an extension, not after it is done', () => {
    expect(extend('2027-04-30', '再次协调', '2027-02-01', anItem({ status: 'extended', deadline: '2027-03-31' }))).toBeUndefined();
    expect(extend('2027-04-30', '再次协调', '2027-02-01', anItem({ status: 'done' }))?.key).toBe('rectify.alreadyDone');
  });
});

describe(countItems.name, () => {
  it('counts open, overdue, extended, done and due within 3 days', () => {
    const today = '2027-01-10';
    const items = [
      anItem({ no: 1, status: 'open', deadline: '2027-01-09' }), // overdue
      anItem({ no: 2, status: 'open', deadline: '2027-01-13' }), // due soon (3 days)
      anItem({ no: 3, status: 'open', deadline: '2027-01-14' }), // 4 days: not soon
      anItem({ no: 4, status: 'extended', deadline: '2027-03-01' }),
      anItem({ no: 5, status: 'done', deadline: '2027-01-01' }),
      anItem({ no: 6, status: 'open', deadline: today }), // due today: soon, not overdue
    ];
    expect(countItems(items, today)).toEqual({ total: 6, open: 5, overdue: 1, done: 1, extended: 1, dueSoon: 2 });
  });
});
