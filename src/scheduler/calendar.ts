import { readFileSync } from 'node:fs';
import chineseDays from 'chinese-days';
import { ConfigError } from '../config.js';
import { calendarFileWords, calendarText } from '../text/calendar.js';

/**
 * The working-day calendar of mainland China, used to decide on which days reminders go out.
 *
 * Three sources, strongest first:
 * 1. the operator's override file (`HOLIDAYS_FILE`, see `docs/holidays.example.txt`);
 * 2. the `chinese-days` package, for every year in which its data lists at least one public
 *    holiday (it follows the State Council's yearly notice, including make-up working days);
 * 3. a fallback for years the package does not know yet: Monday to Friday, minus the holidays
 *    fixed by date (New Year 1 Jan, Labour Day 1 May, National Day 1-3 Oct).
 *
 * Dates are plain `YYYY-MM-DD` strings (Asia/Shanghai calendar dates); nothing here reads the
 * clock or depends on the process time zone.
 * @example
 * const cal = createWorkCalendar({ overrides: loadCalendarOverrides(config.HOLIDAYS_FILE) });
 * cal.workdayOnOrBefore('2026-10-04'); // '2026-09-30': 1-7 Oct 2026 is the National Day holiday
 */
export interface WorkCalendar {
  isWorkday(date: string): boolean;
  /** The latest working day on or before `date` (a reminder due on a weekend/holiday goes out the working day before). */
  workdayOnOrBefore(date: string): string;
  /** The first working day strictly after `date`. */
  nextWorkday(date: string): string;
  /** Working days strictly after `from` up to and including `to` (0 if to <= from). */
  workdaysBetween(from: string, to: string): number;
  /**
   * Moves by `n` working days. For n > 0 the result is the n-th working day after `date`
   * (so `workdaysBetween(date, result) === n`); for n < 0 the |n|-th working day before it;
   * n = 0 returns `date` unchanged.
   */
  addWorkdays(date: string, n: number): string;
  /** Which source decides `date`. */
  source(date: string): DaySource;
  /**
   * Whether the year's holidays and 调休 are known: the package lists them, or the operator's file
   * has days of that year. Otherwise only Monday–Friday and the fixed-date holidays are known.
   */
  yearKnown(year: number): boolean;
}

export type DaySource = 'override' | 'package' | 'fallback';

/** Extra days off and working days from the operator; they win over the package and the fallback. */
export interface CalendarOverrides {
  holidays: string[];
  workdays: string[];
}

/** The holiday file is malformed; the message (Chinese) names the file and the line. */
export class CalendarFileError extends ConfigError {
  constructor(
    readonly path: string,
    problems: string[],
  ) {
    super(problems);
    this.name = 'CalendarFileError';
  }
}

const MS_PER_DAY = 86_400_000;
/** A range in the override file longer than this is almost certainly a typo in a year. */
const MAX_RANGE_DAYS = 366;
/** Public holidays fixed by calendar date (Regulations on Public Holidays, art. 2): 1 Jan, 1 May, 1-3 Oct. */
const FIXED_HOLIDAYS = new Set(['01-01', '05-01', '10-01', '10-02', '10-03']);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real `YYYY-MM-DD` date; undefined for anything else. */
function dayNumber(year: number, month: number, day: number): number | undefined {
  if (year < 1000 || year > 9999) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return ms / MS_PER_DAY;
}

function parseIsoDate(date: string): number | undefined {
  const m = ISO_DATE.exec(date);
  return m ? dayNumber(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

function requireDate(date: string): number {
  const n = parseIsoDate(date);
  if (n === undefined) throw new RangeError(`expected a real date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return n;
}

function isoOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * The package's own answer for a date. It is asked with a local-midnight `Date`, never a string:
 * the package parses `'YYYY-MM-DD'` as UTC midnight but reads it back with local getters, so in a
 * process time zone west of UTC a string shifts to the previous day.
 */
function packageIsWorkday(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return chineseDays.isWorkday(new Date(y, m - 1, d));
}

/** A year is covered when the package's data lists at least one public holiday in it. */
function packageCoversYear(year: number): boolean {
  return chineseDays.getHolidaysInRange(new Date(year, 0, 1), new Date(year, 11, 31), false).length > 0;
}

function checkOverrides(overrides: CalendarOverrides): void {
  for (const date of [...overrides.holidays, ...overrides.workdays]) requireDate(date);
  const holidays = new Set(overrides.holidays);
  const both = overrides.workdays.filter((d) => holidays.has(d));
  if (both.length) throw new RangeError(`dates both holiday and workday in overrides: ${both.join(', ')}`);
}

/**
 * Builds a calendar. Pure after construction: answers are memoized per date, so after warm-up
 * `isWorkday` is one Map lookup.
 * @example createWorkCalendar().isWorkday('2026-10-10') // true: a Saturday made a working day
 */
/** The calendar the configuration asks for: the package, the fallback, and HOLIDAYS_FILE when set. */
export function calendarFromConfig(config: { HOLIDAYS_FILE?: string | undefined }): WorkCalendar {
  return config.HOLIDAYS_FILE ? createWorkCalendar({ overrides: loadCalendarOverrides(config.HOLIDAYS_FILE) }) : createWorkCalendar();
}

export function createWorkCalendar(opts: { overrides?: CalendarOverrides } = {}): WorkCalendar {
  const overrides = opts.overrides ?? { holidays: [], workdays: [] };
  checkOverrides(overrides);
  const overrideHolidays = new Set(overrides.holidays);
  const overrideWorkdays = new Set(overrides.workdays);
  const memo = new Map<string, boolean>();
  const coveredYears = new Map<number, boolean>();

  const yearCovered = (year: number): boolean => {
    let covered = coveredYears.get(year);
    if (covered === undefined) {
      covered = packageCoversYear(year);
      coveredYears.set(year, covered);
    }
    return covered;
  };

  const source = (date: string): DaySource => {
    requireDate(date);
    if (overrideHolidays.has(date) || overrideWorkdays.has(date)) return 'override';
    return yearCovered(Number(date.slice(0, 4))) ? 'package' : 'fallback';
  };

  const isWorkday = (date: string): boolean => {
    const cached = memo.get(date);
    if (cached !== undefined) return cached;
    const day = requireDate(date);
    let answer: boolean;
    switch (source(date)) {
      case 'override':
        answer = overrideWorkdays.has(date);
        break;
      case 'package':
        answer = packageIsWorkday(date);
        break;
      case 'fallback': {
        const weekday = weekdayOf(day);
        answer = weekday >= 1 && weekday <= 5 && !FIXED_HOLIDAYS.has(date.slice(5));
        break;
      }
    }
    memo.set(date, answer);
    return answer;
  };

  /** The same answer keyed by day number, so loops over days skip formatting dates. */
  const memoByDay = new Map<number, boolean>();
  const workdayAt = (day: number): boolean => {
    let answer = memoByDay.get(day);
    if (answer === undefined) {
      answer = isWorkday(isoOf(day));
      memoByDay.set(day, answer);
    }
    return answer;
  };

  /** The |n|-th working day after (n > 0) or before (n < 0) day number `day`. */
  const step = (day: number, n: number): number => {
    const dir = n < 0 ? -1 : 1;
    for (let left = Math.abs(n); left > 0; left--) {
      do day += dir;
      while (!workdayAt(day));
    }
    return day;
  };

  const overrideYears = new Set([...overrides.holidays, ...overrides.workdays].map((d) => Number(d.slice(0, 4))));
  return {
    isWorkday,
    source,
    yearKnown: (year) => overrideYears.has(year) || yearCovered(year),
    workdayOnOrBefore: (date) => (isWorkday(date) ? date : isoOf(step(requireDate(date), -1))),
    nextWorkday: (date) => isoOf(step(requireDate(date), 1)),
    workdaysBetween(from, to) {
      const last = requireDate(to);
      let count = 0;
      for (let day = requireDate(from) + 1; day <= last; day++) if (workdayAt(day)) count++;
      return count;
    },
    addWorkdays(date, n) {
      if (!Number.isInteger(n)) throw new RangeError(`addWorkdays needs an integer, got ${n}`);
      const day = requireDate(date);
      return n === 0 ? date : isoOf(step(day, n));
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const words = calendarFileWords;
const LINE = new RegExp(
  '^(\\d{4})-(\\d{1,2})-(\\d{1,2})' +
    `(?:\\s*(?:${words.rangeSeparators.map(escapeRegExp).join('|')})\\s*(\\d{4})-(\\d{1,2})-(\\d{1,2}))?` +
    `\\s*(${escapeRegExp(words.holiday)}|${escapeRegExp(words.workday)})$`,
);

/** The shown part of a bad line, short enough for one chat/console line. */
function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Parses the text of an override file (pure). One entry per line: a date (or a range
 * `from~to`, both ends included) followed by the holiday or the workday keyword of
 * {@link calendarFileWords}; blank lines and `#` comments are ignored. The format is documented
 * for operators in `docs/holidays.example.txt`. Every problem is collected and thrown together
 * as a {@link CalendarFileError} naming its line.
 * @example parseCalendarOverrides(readFileSync('docs/holidays.example.txt', 'utf8'), 'holidays.txt')
 */
export function parseCalendarOverrides(text: string, path: string): CalendarOverrides {
  const problems: string[] = [];
  const seen = new Map<string, { kind: 'holiday' | 'workday'; line: number }>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);

  lines.forEach((raw, index) => {
    const line = index + 1;
    const commentAt = raw.indexOf(words.comment);
    const entry = (commentAt >= 0 ? raw.slice(0, commentAt) : raw).trim();
    if (!entry) return;
    const m = LINE.exec(entry);
    if (!m) {
      problems.push(calendarText.badLine({ path, line, text: shown(raw.trim()) }));
      return;
    }
    const [, y1, m1, d1, y2, m2, d2, keyword] = m;
    const from = dayNumber(Number(y1), Number(m1), Number(d1));
    if (from === undefined) {
      problems.push(calendarText.badDate({ path, line, date: `${y1}-${m1}-${d1}` }));
      return;
    }
    let to = from;
    if (y2 !== undefined) {
      const end = dayNumber(Number(y2), Number(m2), Number(d2));
      if (end === undefined) {
        problems.push(calendarText.badDate({ path, line, date: `${y2}-${m2}-${d2}` }));
        return;
      }
      if (end < from) {
        problems.push(calendarText.rangeBackwards({ path, line, from: isoOf(from), to: isoOf(end) }));
        return;
      }
      if (end - from + 1 > MAX_RANGE_DAYS) {
        problems.push(
          calendarText.rangeTooLong({ path, line, from: isoOf(from), to: isoOf(end), maxDays: MAX_RANGE_DAYS }),
        );
        return;
      }
      to = end;
    }
    const kind = keyword === words.holiday ? 'holiday' : 'workday';
    for (let day = from; day <= to; day++) {
      const date = isoOf(day);
      const earlier = seen.get(date);
      if (!earlier) {
        seen.set(date, { kind, line });
      } else if (earlier.kind !== kind) {
        const [holidayLine, workdayLine] = kind === 'holiday' ? [line, earlier.line] : [earlier.line, line];
        problems.push(calendarText.conflict({ path, date, holidayLine, workdayLine }));
      }
    }
  });

  if (problems.length) throw new CalendarFileError(path, problems);
  const of = (kind: 'holiday' | 'workday') =>
    [...seen].filter(([, v]) => v.kind === kind).map(([date]) => date).sort();
  return { holidays: of('holiday'), workdays: of('workday') };
}

/**
 * Reads and checks the operator's override file at start-up (config time), so a mistake stops
 * the bot with a Chinese message naming the line instead of surfacing in a later scheduler run.
 * @example const overrides = config.HOLIDAYS_FILE ? loadCalendarOverrides(config.HOLIDAYS_FILE) : undefined;
 */
export function loadCalendarOverrides(path: string): CalendarOverrides {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CalendarFileError(path, [calendarText.fileUnreadable({ path, code })]);
  }
  return parseCalendarOverrides(text, path);
}
