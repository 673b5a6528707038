import { describe, expect, it } from 'vitest';
import {
  addDays, atLocalTime, daysBetween, formatDate, isLocalDate, localDateOfNow, localTimeOf, looksLikeDate, parseDate, toLocalDate, weekdayOf,
} from '../../src/domain/dates.js';

// Weekdays below were checked against an independent calendar (Python's datetime):
// 2026-11-25 Wednesday, 2026-12-20 Sunday, 2026-12-28 Monday.

describe(parseDate.name, () => {
  const today = '2026-11-25';

  it.each([
    ['2026-12-28', '2026-12-28'],
    ['2026/12/28', '2026-12-28'],
    ['2026.12.28', '2026-12-28'],
    ['2026-1-5', '2026-01-05'],
    ['12-28', '2026-12-28'],
    ['12/28', '2026-12-28'],
    ['12月28日', '2026-12-28'],
    ['12月28号', '2026-12-28'],
    ['12月28', '2026-12-28'],
    ['2026年12月28日', '2026-12-28'],
    ['2027年1月5日', '2027-01-05'],
    ['20261228', '2026-12-28'],
    [' 12月28日 ', '2026-12-28'],
  ])('reads %s as %s', (typed, want) => {
    expect(parseDate(typed, today)).toEqual({ ok: true, date: want });
  });

  it.each([
    ['今天', '2026-11-25', '2026-11-25'],
    ['明天', '2026-11-25', '2026-11-26'],
    ['后天', '2026-11-25', '2026-11-27'],
    ['大后天', '2026-11-25', '2026-11-28'],
    ['昨天', '2026-11-25', '2026-11-24'],
    ['前天', '2026-11-25', '2026-11-23'],
    ['昨日', '2026-03-01', '2026-02-28'],
    ['明天', '2026-12-31', '2027-01-01'],
    ['后天', '2028-02-28', '2028-03-01'],
    ['明天', '2027-02-28', '2027-03-01'],
  ])('reads %s on %s as %s (relative to the given today)', (typed, on, want) => {
    expect(parseDate(typed, on)).toEqual({ ok: true, date: want });
  });

  it.each([
    // A date without a year is the next such date on or after today.
    ['1月5日', '2026-12-20', '2027-01-05'],
    ['1-5', '2026-12-20', '2027-01-05'],
    ['12月28日', '2026-12-29', '2027-12-28'],
    ['11月25日', '2026-11-25', '2026-11-25'],
    ['12月31日', '2026-12-31', '2026-12-31'],
    // 2月29日 without a year: the next leap year.
    ['2月29日', '2026-11-25', '2028-02-29'],
  ])('rolls %s typed on %s over to %s', (typed, on, want) => {
    expect(parseDate(typed, on)).toEqual({ ok: true, date: want });
  });

  it.each(['2026-02-30', '2026/02/30', '2026年2月30日', '2月30日', '2-30', '2026-13-01', '2026-00-10', '2026-04-31', '2027-02-29', '2100-02-29', '20260230', '13月1日'])(
    'refuses the impossible date %s instead of rolling it over',
    (typed) => {
      expect(parseDate(typed, today)).toEqual({ ok: false, reason: 'impossible', typed });
    },
  );

  it('accepts 29 February in a leap year and in a year divisible by 400', () => {
    expect(parseDate('2028-02-29', today)).toEqual({ ok: true, date: '2028-02-29' });
    expect(parseDate('2400-02-29', today)).toEqual({ ok: true, date: '2400-02-29' });
  });

  it.each(['abc', '12月', '2026-12', '下周一', '', '28', '12—28', '2026-12-28-01', 'constructor', '__proto__', 'hasOwnProperty'])('says %j is not a date format it reads', (typed) => {
    expect(parseDate(typed, today)).toMatchObject({ ok: false, reason: 'format' });
  });
});

describe(looksLikeDate.name, () => {
  it.each([['12月1日', true], ['2026-12-01', true], ['12-01', true], ['明天', true], ['20261201', true], ['面谈', false], ['3', false], ['张三', false],
    ['constructor', false], ['__proto__', false], ['toString', false]])(
    '%s → %s',
    (token, want) => expect(looksLikeDate(token)).toBe(want),
  );
});

describe('calendar arithmetic', () => {
  it('counts deadlines across months, years and leap days', () => {
    expect(addDays('2026-12-28', -15)).toBe('2026-12-13');
    expect(addDays('2026-12-28', -10)).toBe('2026-12-18');
    expect(addDays('2026-12-28', 15)).toBe('2027-01-12');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
  });

  it('measures whole days between two dates, negative backwards', () => {
    expect(daysBetween('2026-12-13', '2026-12-28')).toBe(15);
    expect(daysBetween('2026-12-28', '2026-12-13')).toBe(-15);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
  });

  it('names weekdays 1 = Monday … 7 = Sunday', () => {
    expect(weekdayOf('2026-11-25')).toBe(3);
    expect(weekdayOf('2026-12-20')).toBe(7);
    expect(weekdayOf('2026-12-28')).toBe(1);
  });

  it('validates stored dates', () => {
    expect(isLocalDate('2026-12-28')).toBe(true);
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(isLocalDate('2026-1-5')).toBe(false);
  });
});

describe('Asia/Shanghai dates', () => {
  it('changes the date at midnight in Shanghai, not in UTC', () => {
    expect(toLocalDate(new Date('2026-11-24T15:59:59Z'))).toBe('2026-11-24');
    expect(toLocalDate(new Date('2026-11-24T16:00:00Z'))).toBe('2026-11-25');
  });

  it('builds an instant at a local hour and reads it back', () => {
    const at = atLocalTime('2026-11-25', 9, 30);
    expect(at.toISOString()).toBe('2026-11-25T01:30:00.000Z');
    expect(localTimeOf(at)).toEqual({ hour: 9, minute: 30 });
  });

  it('reads midnight as hour 0 and the last minute of the day as 23:59, in Shanghai time', () => {
    expect(localTimeOf(new Date('2026-11-24T16:00:00Z'))).toEqual({ hour: 0, minute: 0 });
    expect(localTimeOf(new Date('2026-11-24T15:59:59Z'))).toEqual({ hour: 23, minute: 59 });
    expect(localTimeOf(new Date('2026-06-30T23:07:00Z'))).toEqual({ hour: 7, minute: 7 });
  });

  it('shows the year only when it is not the current one', () => {
    expect(formatDate('2026-12-28', '2026-11-25')).toBe('12月28日');
    expect(formatDate('2027-01-05', '2026-12-20')).toBe('2027年1月5日');
    expect(formatDate('2026-12-28')).toBe('2026年12月28日');
  });
});

describe(localDateOfNow.name, () => {
  it('gives the Shanghai date of each instant as the clock moves across midnights, back and forth', () => {
    const instants = [
      '2026-11-24T15:59:59.999Z', '2026-11-24T16:00:00.000Z', '2026-11-25T02:00:00Z', '2026-11-25T15:59:59.999Z',
      '2026-11-25T16:00:00.000Z', '2026-11-24T10:00:00Z', '2027-02-28T16:00:00Z', '1988-07-01T15:30:00Z', '1988-07-01T16:30:00Z',
    ];
    for (const at of instants) expect(localDateOfNow(new Date(at)), at).toBe(toLocalDate(new Date(at)));
    expect(localDateOfNow(new Date('2026-11-25T15:59:59.999Z'))).toBe('2026-11-25');
    expect(localDateOfNow(new Date('2026-11-25T16:00:00.000Z'))).toBe('2026-11-26');
  });
});
