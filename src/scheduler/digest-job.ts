import type { Config } from '../config.js';
import { addDays, localTimeOf, toLocalDate, weekdayOf } from '../domain/dates.js';
import type { ChatTarget } from '../messages.js';
import type { Q } from '../store/helpers.js';
import { chatsOfUnit } from '../store/unit.repository.js';
import type { WorkCalendar } from './calendar.js';
import { weeklyDigests } from './digest.js';
import { enqueue } from './outbox.js';

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
  if (config.DIGEST_WEEKDAY === 0 || hour < config.DIGEST_HOUR || !isDigestDay(today, config.DIGEST_WEEKDAY, calendar)) return 0;
  const existing = await db.selectFrom('outbox').select('id').where('message_key', 'like', `digest:${today}:%`).executeTakeFirst();
  if (existing) return 0;
  let written = 0;
  for (const digest of await weeklyDigests(db, today)) {
    for (const chat of await chatsOfUnit(db, digest.unitId)) {
      const target: ChatTarget = { kind: 'chat', channel: chat.channel, chatId: chat.chatId };
      if (chat.title) target.title = chat.title;
      const id = await enqueue(db, { messageKey: `digest:${today}:${digest.unitId}:${chat.channel}:${chat.chatId}`, unitId: digest.unitId, target, message: { text: digest.text, mentions: [] } }, now);
      if (id !== undefined) written++;
    }
  }
  return written;
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
