import type { Config } from '../config.js';
import { addDays, localTimeOf, toLocalDate, weekdayOf, type LocalDate } from '../domain/dates.js';
import { chatTargetOf, type ChatTarget } from '../messages.js';
import type { Q } from '../store/helpers.js';
import { chatsOfUnit } from '../store/unit.repository.js';
import type { WorkCalendar } from './calendar.js';
import { weeklyDigests } from './digest.js';
import { enqueueAll } from './outbox.js';

/**
 * Puts the supervisors' weekly digest in the outbox once a week: on DIGEST_WEEKDAY at or after
 * DIGEST_HOUR (Asia/Shanghai), one message per chat of each supervising unit. The message key
 * carries the date, so a restart or a second run that day adds nothing. A digest day that is a
 * holiday moves to the next working day of that week (never to a weekend).
 * Returns how many messages were written.
 */
export async function enqueueWeeklyDigests(db: Q, config: Readonly<Config>, calendar: WorkCalendar, now: Date): Promise<number> {
  const today = toLocalDate(now);
  const { hour } = localTimeOf(now);
  if (hour < config.DIGEST_HOUR || !isDigestDate(today, config, calendar)) return 0;
  if (await digestsWritten(db, today)) return 0;
  return enqueueAll(db, (await digestMessages(db, today)).map((m) => ({ messageKey: m.messageKey, unitId: m.unitId, target: m.target, message: { text: m.text, mentions: [] } })), now);
}

/** Whether the weekly digest goes out on `date` under the configuration (DIGEST_WEEKDAY 0 = never). */
export function isDigestDate(date: LocalDate, config: Readonly<Config>, calendar: WorkCalendar): boolean {
  return config.DIGEST_WEEKDAY !== 0 && isDigestDay(date, config.DIGEST_WEEKDAY, calendar);
}

/** Whether the digests of `date` are in the outbox already (their keys carry the date). */
export async function digestsWritten(db: Q, date: LocalDate): Promise<boolean> {
  return (await db.selectFrom('outbox').select('id').where('message_key', 'like', `digest:${date}:%`).executeTakeFirst()) !== undefined;
}

/** One digest to one chat of a supervising unit. */
export interface DigestMessage {
  messageKey: string;
  unitId: number;
  target: ChatTarget;
  text: string;
}

/** The weekly digest messages of `date`: each supervising unit's digest to each of its chats (written nowhere). */
export async function digestMessages(db: Q, date: LocalDate): Promise<DigestMessage[]> {
  const out: DigestMessage[] = [];
  for (const digest of await weeklyDigests(db, date)) {
    for (const chat of await chatsOfUnit(db, digest.unitId)) {
      out.push({ messageKey: `digest:${date}:${digest.unitId}:${chat.channel}:${chat.chatId}`, unitId: digest.unitId, target: chatTargetOf(chat), text: digest.text });
    }
  }
  return out;
}

/** The configured weekday, or — when that is a holiday — the first working day after it in the same week. */
export function isDigestDay(date: string, weekday: number, calendar: WorkCalendar): boolean {
  const dow = weekdayOf(date);
  if (!calendar.isWorkday(date) || dow < weekday) return false;
  if (dow === weekday) return true;
  // A later day of the week: only when every day from the configured weekday up to yesterday was off.
  let probe = date;
  for (let i = 0; i < dow - weekday; i++) {
    probe = previousDay(probe);
    if (calendar.isWorkday(probe)) return false;
  }
  return true;
}

const previousDay = (date: string): string => addDays(date, -1);
