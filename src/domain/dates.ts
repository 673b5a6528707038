import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezone from 'dayjs/plugin/timezone.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** A calendar date in Asia/Shanghai, written `YYYY-MM-DD`. */
export type LocalDate = string;

export const ZONE = 'Asia/Shanghai';
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `en-CA` formats as YYYY-MM-DD; one formatter, built once (dayjs' tz plugin builds one per call). */
const LOCAL_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Asia/Shanghai calendar date of an instant. */
export function toLocalDate(at: Date): LocalDate {
  return LOCAL_DATE.format(at);
}

const HOUR_MS = 3_600_000;
/** The local day {@link localDateOfNow} last returned, as the instants it spans `[from, to)`. */
let today = { from: 1, to: 0, date: '' };

/**
 * {@link toLocalDate} for the clock's own instant, which moves forward: the local day's bounds are
 * kept, so that the commands that arrive on one day (all of them, but around midnight) format no date.
 * The bounds are Shanghai's UTC+8 and are kept only when the formatter agrees with them at both ends.
 */
export function localDateOfNow(at: Date): LocalDate {
  const t = at.getTime();
  if (t >= today.from && t < today.to) return today.date;
  const date = LOCAL_DATE.format(at);
  const from = Date.UTC(digitsAt(date, 0, 4), digitsAt(date, 5, 7) - 1, digitsAt(date, 8, 10)) - 8 * HOUR_MS;
  const to = from + 24 * HOUR_MS;
  const agrees = LOCAL_DATE.format(from) === date && LOCAL_DATE.format(to - 1) === date && LOCAL_DATE.format(from - 1) !== date && LOCAL_DATE.format(to) !== date;
  if (agrees) today = { from, to, date };
  return date;
}

/** The instant of `date` at `hour:minute` Asia/Shanghai. */
export function atLocalTime(date: LocalDate, hour: number, minute = 0): Date {
  const pad = (n: number) => String(n).padStart(2, '0');
  return dayjs.tz(`${date} ${pad(hour)}:${pad(minute)}`, ZONE).toDate();
}

/** `HH:MM` on a 24-hour clock from 00:00 (`h23`: midnight is 00, not 24); one formatter, built once. */
const LOCAL_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Local hour and minute of an instant in Asia/Shanghai. */
export function localTimeOf(at: Date): { hour: number; minute: number } {
  const hhmm = LOCAL_TIME.format(at);
  return { hour: digitsAt(hhmm, 0, 2), minute: digitsAt(hhmm, 3, 5) };
}

export function isValidDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  const days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function makeDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The number in `text[from, to)` when it is all ASCII digits, else -1 (no regex, no allocation: dates are read per row). */
function digitsAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Year, month and day of a LocalDate, checked for its shape (`YYYY-MM-DD`). */
function field(date: LocalDate, which: 'y' | 'm' | 'd'): number {
  const n = date.length === 10 && date.charCodeAt(4) === 45 && date.charCodeAt(7) === 45
    ? (which === 'y' ? digitsAt(date, 0, 4) : which === 'm' ? digitsAt(date, 5, 7) : digitsAt(date, 8, 10))
    : -1;
  if (n < 0) throw new RangeError(`not a LocalDate: ${date}`);
  return n;
}

function toEpochDay(date: LocalDate): number {
  return Math.floor(Date.UTC(field(date, 'y'), field(date, 'm') - 1, field(date, 'd')) / 86_400_000);
}

/** Epoch day → LocalDate, remembered: a run turns the same few hundred days into text thousands of times. */
const dayText = new Map<number, LocalDate>();

function fromEpochDay(day: number): LocalDate {
  let text = dayText.get(day);
  if (text === undefined) {
    const d = new Date(day * 86_400_000);
    text = makeDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    if (dayText.size >= 20_000) dayText.clear();
    dayText.set(day, text);
  }
  return text;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  const w = (((toEpochDay(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return w === 0 ? 7 : w;
}

export function yearOf(date: LocalDate): number {
  return field(date, 'y');
}

/** `12月28日` for this year, `2027年1月5日` otherwise. */
export function formatDate(date: LocalDate, today?: LocalDate): string {
  const y = field(date, 'y');
  const m = field(date, 'm');
  const d = field(date, 'd');
  if (today && yearOf(today) === y) return `${m}月${d}日`;
  return `${y}年${m}月${d}日`;
}

export function isLocalDate(text: string): boolean {
  const m = ISO.exec(text);
  return !!m && isValidDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export type DateParse =
  | { ok: true; date: LocalDate }
  | { ok: false; reason: 'format' | 'impossible'; typed: string };

const RELATIVE: Record<string, number> = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3, 昨天: -1, 昨日: -1, 前天: -2 };

/**
 * Reads a date as users type it: `2026-12-28`, `2026/12/28`, `2026.12.28`, `12-28`, `12/28`,
 * `12月28日`, `2026年12月28日`, `明天`, `后天`, `昨天`, `前天`. A date without a year is the next such date
 * on or after today. Impossible dates (`2026-02-30`) are refused, not rolled over.
 * @example parseDate('12月28日', '2026-11-25') // { ok: true, date: '2026-12-28' }
 */
export function parseDate(input: string, today: LocalDate): DateParse {
  const typed = input.trim();
  // `12月28日。`: punctuation typed after the date is not part of it.
  const text = typed.replace(/[。，,！!；;、]+$/u, '').replace(/[号]$/, '日').replace(/[．。]/g, '.');
  if (Object.hasOwn(RELATIVE, text)) return { ok: true, date: addDays(today, RELATIVE[text] ?? 0) };
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return isValidDate(y, mo, d) ? { ok: true, date: makeDate(y, mo, d) } : { ok: false, reason: 'impossible', typed };
  }
  m = /^(\d{1,2})[-/.](\d{1,2})$/.exec(text) ?? /^(\d{1,2})月(\d{1,2})日?$/.exec(text);
  if (m) {
    const [mo, d] = [Number(m[1]), Number(m[2])];
    const y = yearOf(today);
    // 2月29日 without a year: the next year that has it.
    for (const year of [y, y + 1, y + 2, y + 3, y + 4]) {
      if (!isValidDate(year, mo, d)) continue;
      const date = makeDate(year, mo, d);
      if (date >= today) return { ok: true, date };
    }
    return { ok: false, reason: 'impossible', typed };
  }
  if (/^\d{8}$/.test(text)) {
    const [y, mo, d] = [Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6, 8))];
    return isValidDate(y, mo, d) ? { ok: true, date: makeDate(y, mo, d) } : { ok: false, reason: 'impossible', typed };
  }
  return { ok: false, reason: 'format', typed };
}

/** True when the token looks like an attempt at a date (so the parser can treat it as one). */
export function looksLikeDate(token: string): boolean {
  return /^\d{1,4}[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?$|^\d{1,2}月\d{1,2}[日号]?$|^\d{8}$/.test(token) || Object.hasOwn(RELATIVE, token);
}
