import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import {
  CalendarFileError,
  createWorkCalendar,
  loadCalendarOverrides,
  parseCalendarOverrides,
} from '../../src/scheduler/calendar.js';

// Facts below come from the State Council notice for 2026 (国办发明电〔2025〕7号,
// https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm) and the Gregorian calendar;
// each weekday named in a table is checked independently with `weekday()`.
const SUN = 0, MON = 1, TUE = 2, WED = 3, THU = 4, FRI = 5, SAT = 6;
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

const cal = createWorkCalendar();

describe(createWorkCalendar.name, () => {
  describe('years covered by chinese-days (2026)', () => {
    it.each([
      // 国庆节：10月1日（周四）至7日（周三）放假调休，9月20日（周日）、10月10日（周六）上班
      ['2026-09-30', WED, true, '国庆前最后一个工作日'],
      ['2026-10-01', THU, false, '国庆'],
      ['2026-10-02', FRI, false, '国庆'],
      ['2026-10-05', MON, false, '国庆'],
      ['2026-10-06', TUE, false, '国庆（调休）'],
      ['2026-10-07', WED, false, '国庆（调休）'],
      ['2026-10-08', THU, true, '国庆后第一天上班'],
      ['2026-09-20', SUN, true, '国庆调休补班（周日）'],
      ['2026-10-10', SAT, true, '国庆调休补班（周六）'],
      ['2026-10-11', SUN, false, '普通周日'],
      // 元旦：1月1日（周四）至3日（周六）放假调休，1月4日（周日）上班
      ['2026-01-01', THU, false, '元旦'],
      ['2026-01-02', FRI, false, '元旦（调休）'],
      ['2026-01-04', SUN, true, '元旦调休补班（周日）'],
      ['2026-01-05', MON, true, '普通周一'],
      // 春节：2月15日至23日放假调休，2月14日（周六）、2月28日（周六）上班
      ['2026-02-14', SAT, true, '春节调休补班（周六）'],
      ['2026-02-16', MON, false, '春节'],
      ['2026-02-23', MON, false, '春节（调休）'],
      ['2026-02-24', TUE, true, '春节后第一天上班'],
      ['2026-02-28', SAT, true, '春节调休补班（周六）'],
      // 中秋节：9月25日（周五）至27日放假
      ['2026-09-25', FRI, false, '中秋'],
    ])('%s (weekday %i) is a workday: %s — %s', (date, day, workday) => {
      expect(weekday(date)).toBe(day);
      expect(cal.isWorkday(date)).toBe(workday);
      expect(cal.source(date)).toBe('package');
    });
  });

  describe('years the package does not cover: Monday–Friday minus fixed-date holidays', () => {
    it.each([
      ['2031-01-01', WED, false, '元旦 on a Wednesday'],
      ['2031-01-02', THU, true, 'an ordinary Thursday'],
      ['2031-01-04', SAT, false, 'Saturday'],
      ['2031-01-05', SUN, false, 'Sunday'],
      ['2031-05-01', THU, false, '劳动节 on a Thursday'],
      ['2031-05-02', FRI, true, 'the day after 劳动节 (no 调休 is known)'],
      ['2031-10-01', WED, false, '国庆 day 1'],
      ['2031-10-02', THU, false, '国庆 day 2'],
      ['2031-10-03', FRI, false, '国庆 day 3'],
      ['2031-10-04', SAT, false, 'Saturday after 国庆: no make-up day is known'],
      ['2031-10-06', MON, true, 'Monday after 国庆'],
      // The package itself calls 1 Jan 2027 (a Friday) a working day: it has no 2027 data yet.
      ['2027-01-01', FRI, false, '元旦 2027, which the package would call a workday'],
    ])('%s (weekday %i) is a workday: %s — %s', (date, day, workday) => {
      expect(weekday(date)).toBe(day);
      expect(cal.isWorkday(date)).toBe(workday);
      expect(cal.source(date)).toBe('fallback');
    });
  });

  describe('workdayOnOrBefore', () => {
    it.each([
      ['a working day is itself', '2026-10-08', '2026-10-08'],
      ['a 调休 Saturday is itself', '2026-10-10', '2026-10-10'],
      ['a Saturday goes to Friday', '2026-03-07', '2026-03-06'],
      ['a Sunday goes to Friday', '2026-03-08', '2026-03-06'],
      ['inside 国庆 goes to the last day before it', '2026-10-05', '2026-09-30'],
      ['inside 春节 goes to the 调休 Saturday before it', '2026-02-18', '2026-02-14'],
      ['元旦 2026 goes back into 2025', '2026-01-03', '2025-12-31'],
      ['元旦 2031 (fallback) goes back into 2030', '2031-01-01', '2030-12-31'],
    ])('%s: %s → %s', (_, date, want) => {
      expect(cal.workdayOnOrBefore(date)).toBe(want);
      expect(cal.isWorkday(want)).toBe(true);
    });
  });

  describe('nextWorkday', () => {
    it.each([
      ['2026-09-30', '2026-10-08'],
      ['2026-10-08', '2026-10-09'],
      ['2026-10-09', '2026-10-10'], // Friday → the 调休 Saturday
      ['2026-02-14', '2026-02-24'],
      ['2030-12-31', '2031-01-02'],
    ])('after %s comes %s', (date, want) => expect(cal.nextWorkday(date)).toBe(want));
  });

  describe('workdaysBetween', () => {
    it.each([
      // Oct 1–7 off; Oct 8 (Thu) and Oct 9 (Fri) on
      ['2026-09-30', '2026-10-09', 2],
      // Sep 20 (Sun, 调休) + Sep 21–24 (Sep 25 中秋) + Sep 28–30 + Oct 8–9 + Oct 10 (Sat, 调休)
      ['2026-09-18', '2026-10-10', 1 + 4 + 3 + 2 + 1],
      // an ordinary week: Mon 9 Mar – Fri 13 Mar 2026
      ['2026-03-06', '2026-03-13', 5],
      ['2026-03-06', '2026-03-06', 0],
      ['2026-03-13', '2026-03-06', 0],
      // 2031 (fallback): Jan 1 off, Jan 2–3 on, weekend, Jan 6–10 on
      ['2030-12-31', '2031-01-10', 2 + 5],
    ])('(%s, %s] has %i working days', (from, to, want) => {
      expect(cal.workdaysBetween(from, to)).toBe(want);
    });
  });

  describe('addWorkdays', () => {
    it.each([
      ['2026-09-30', 1, '2026-10-08'],
      ['2026-09-30', 3, '2026-10-10'], // Thu 8, Fri 9, Sat 10 (调休)
      ['2026-10-08', -1, '2026-09-30'],
      ['2026-10-12', -3, '2026-10-08'], // back over Sun 11: Sat 10, Fri 9, Thu 8
      ['2026-02-13', 1, '2026-02-14'], // Friday → 调休 Saturday
      ['2026-02-14', 1, '2026-02-24'], // across 春节
      ['2026-03-08', -1, '2026-03-06'], // a Sunday's previous working day is Friday
      ['2026-03-07', 0, '2026-03-07'],
    ])('%s plus %i working days = %s', (date, n, want) => expect(cal.addWorkdays(date, n)).toBe(want));

    it('agrees with workdaysBetween', () => {
      for (const date of ['2026-09-19', '2026-09-30', '2026-12-25', '2026-02-10', '2030-12-28']) {
        for (const n of [1, 2, 5, 10, 30]) {
          const later = cal.addWorkdays(date, n);
          expect(cal.workdaysBetween(date, later)).toBe(n);
          expect(cal.isWorkday(later)).toBe(true);
        }
      }
    });

    it('refuses a fractional count', () => {
      expect(() => cal.addWorkdays('2026-03-06', 1.5)).toThrow(RangeError);
    });
  });

  it('refuses dates that are not YYYY-MM-DD or do not exist', () => {
    for (const bad of ['2026-02-29', '2026-2-3', '2026/02/03', '', '2026-13-01']) {
      expect(() => cal.isWorkday(bad)).toThrow(RangeError);
    }
  });

  it('agrees with the package’s published JSON for every day of 2004–2026', () => {
    const require = createRequire(import.meta.url);
    const data = require('chinese-days/dist/chinese-days.json') as {
      holidays: Record<string, string>;
      workdays: Record<string, string>;
    };
    let checked = 0;
    for (let ms = Date.UTC(2004, 0, 1); ms <= Date.UTC(2026, 11, 31); ms += 86_400_000) {
      const date = new Date(ms).toISOString().slice(0, 10);
      const day = new Date(ms).getUTCDay();
      const want = date in data.workdays || (day >= 1 && day <= 5 && !(date in data.holidays));
      if (cal.isWorkday(date) !== want) expect.fail(`${date}: expected workday=${want}`);
      checked++;
    }
    expect(checked).toBe(8401); // 23 years, 6 of them leap years
  });

  it('does not depend on the process time zone', () => {
    // chinese-days reads 'YYYY-MM-DD' strings as UTC midnight but formats them in local time,
    // so west of UTC a string shifts a day; the calendar must still answer for the given date.
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(new Date(Date.UTC(2026, 9, 1)).getDate()).toBe(30); // the zone is really in effect
      const west = createWorkCalendar();
      expect(west.isWorkday('2026-09-30')).toBe(true);
      expect(west.isWorkday('2026-10-01')).toBe(false);
      expect(west.isWorkday('2026-10-08')).toBe(true);
      expect(west.isWorkday('2026-10-10')).toBe(true);
      expect(west.source('2026-10-10')).toBe('package');
      expect(west.source('2027-10-10')).toBe('fallback');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  describe('operator overrides win over the package and the fallback', () => {
    const overridden = createWorkCalendar({
      overrides: {
        holidays: ['2027-02-10', '2026-10-08', '2026-03-09'],
        workdays: ['2027-02-07', '2026-10-04', '2031-01-01'],
      },
    });

    it.each([
      ['2027-02-10', WED, false, 'a fallback Wednesday made a holiday'],
      ['2027-02-07', SUN, true, 'a fallback Sunday made a workday'],
      ['2031-01-01', WED, true, 'a fixed-date holiday made a workday'],
      ['2026-10-08', THU, false, 'a package workday made a holiday'],
      ['2026-10-04', SUN, true, 'a package holiday made a workday'],
    ])('%s (weekday %i) is a workday: %s — %s', (date, day, workday) => {
      expect(weekday(date)).toBe(day);
      expect(overridden.isWorkday(date)).toBe(workday);
      expect(overridden.source(date)).toBe('override');
    });

    it('knows a year from the package or from the file, and no other', () => {
      expect(cal.yearKnown(2026)).toBe(true);
      expect(cal.yearKnown(2030)).toBe(false);
      expect(overridden.yearKnown(2027)).toBe(true); // the file has days of 2027
      expect(overridden.yearKnown(2030)).toBe(false);
    });

    it('leaves other days alone', () => {
      expect(overridden.isWorkday('2027-02-11')).toBe(true);
      expect(overridden.source('2027-02-11')).toBe('fallback');
      expect(overridden.isWorkday('2026-10-09')).toBe(true);
      expect(overridden.source('2026-10-09')).toBe('package');
    });

    it('moves reminders and counts with the overrides', () => {
      // Mon 9 Mar 2026 is an override holiday: a reminder due that day goes out Fri 6 Mar
      expect(overridden.workdayOnOrBefore('2026-03-09')).toBe('2026-03-06');
      // Oct 4 is now a working day, Oct 8 is not: (Sep 30, Oct 9] = Oct 4, Oct 9
      expect(overridden.workdaysBetween('2026-09-30', '2026-10-09')).toBe(2);
      expect(overridden.nextWorkday('2026-09-30')).toBe('2026-10-04');
      expect(overridden.addWorkdays('2026-10-04', 1)).toBe('2026-10-09');
    });

    it('refuses a date that is both a holiday and a workday', () => {
      expect(() => createWorkCalendar({ overrides: { holidays: ['2027-02-10'], workdays: ['2027-02-10'] } })).toThrow(
        /2027-02-10/,
      );
    });
  });
});

describe(parseCalendarOverrides.name, () => {
  it('reads days, ranges, comments, blank lines, CRLF and a BOM', () => {
    const text =
      '\uFEFF# 2027 春节\r\n2027-02-06~2027-02-08 休\r\n\r\n2027-2-7 班 # 补班\r\n' +
      '  2027-02-20班\r\n2027-10-04 至 2027-10-05 休\n2027-10-09～2027-10-09 班\n2027-02-06 休\n';
    expect(() => parseCalendarOverrides(text, 'h.txt')).toThrow(/第 2 行.*第 4 行/); // 02-07 both 休 and 班
    const fixed = text.replace('2027-02-06~2027-02-08 休', '2027-02-06 休\r\n2027-02-08 休');
    expect(parseCalendarOverrides(fixed, 'h.txt')).toEqual({
      holidays: ['2027-02-06', '2027-02-08', '2027-10-04', '2027-10-05'],
      workdays: ['2027-02-07', '2027-02-20', '2027-10-09'],
    });
  });

  it('accepts an empty file', () => {
    expect(parseCalendarOverrides('# nothing yet\n\n', 'h.txt')).toEqual({ holidays: [], workdays: [] });
  });

  it.each([
    ['2027-02-10 休\n2027-02-10 放假\n', 2, '2027-02-10 放假'],
    ['2027-02-10 休\n\n2027.02.11 休\n', 3, '2027.02.11 休'],
    ['2027-02-10\n', 1, '2027-02-10'],
    ['2027-02-10 休 班\n', 1, '2027-02-10 休 班'],
  ])('names the line it cannot read: %j', (text, line, shown) => {
    const err = catchError(() => parseCalendarOverrides(text, 'data/holidays.txt'));
    expect(err).toBeInstanceOf(CalendarFileError);
    expect(err).toBeInstanceOf(ConfigError); // start-up reports it like any other config problem
    expect(err.message).toContain(`节假日文件 data/holidays.txt 第 ${line} 行“${shown}”看不懂`);
    expect(err.message).toContain('2027-02-10 休');
  });

  it.each([
    ['2027-02-30 休', '第 1 行：2027-02-30 不是有效的日期'],
    ['2027-02-10~2027-13-01 休', '第 1 行：2027-13-01 不是有效的日期'],
    ['2027-02-12~2027-02-10 休', '第 1 行：结束日期 2027-02-10 早于开始日期 2027-02-12'],
    ['2027-01-01~2072-01-01 休', '第 1 行：2027-01-01~2072-01-01 超过 366 天'],
  ])('explains a bad date or range: %s', (text, want) => {
    expect(() => parseCalendarOverrides(text, 'h.txt')).toThrow(want);
  });

  it('reports every problem at once', () => {
    const err = catchError(() => parseCalendarOverrides('hello\n2027-02-10 休\n2027-02-31 班\n2027-02-10 班\n', 'h.txt'));
    expect((err as CalendarFileError).problems).toEqual([
      expect.stringContaining('第 1 行“hello”'),
      expect.stringContaining('第 3 行：2027-02-31'),
      expect.stringContaining('2027-02-10 在第 2 行写成“休”，在第 4 行又写成“班”'),
    ]);
  });
});

describe(loadCalendarOverrides.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'calendar-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file and feeds the calendar', () => {
    const path = join(dir, 'holidays.txt');
    writeFileSync(path, '2027-02-10 休\n2027-02-07 班\n');
    const calendar = createWorkCalendar({ overrides: loadCalendarOverrides(path) });
    expect(calendar.isWorkday('2027-02-10')).toBe(false); // a Wednesday
    expect(calendar.isWorkday('2027-02-07')).toBe(true); // a Sunday
    expect(calendar.workdayOnOrBefore('2027-02-10')).toBe('2027-02-09');
  });

  it('throws at load time with the file and line of a mistake', () => {
    const path = join(dir, 'broken.txt');
    writeFileSync(path, '# 2027\n2027-02-10 休\n2027-02-1O 班\n');
    expect(() => loadCalendarOverrides(path)).toThrow(`节假日文件 ${path} 第 3 行“2027-02-1O 班”看不懂`);
  });

  it('says when the file is missing', () => {
    const path = join(dir, 'missing.txt');
    expect(() => loadCalendarOverrides(path)).toThrow(`读不到节假日文件 ${path}（文件不存在）`);
  });

  it('accepts the documented example file', () => {
    const example = loadCalendarOverrides('docs/holidays.example.txt');
    expect(example.holidays).toEqual([
      '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12',
      '2027-07-02',
    ]);
    expect(example.workdays).toEqual(['2027-02-13', '2027-02-20']);
    expect(readFileSync('docs/holidays.example.txt', 'utf8')).toContain('HOLIDAYS_FILE');
  });
});

function catchError(fn: () => unknown): Error & { problems?: string[] } {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}
