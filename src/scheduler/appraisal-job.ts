import type { Config } from '../config.js';
import { addDays, localTimeOf, toLocalDate } from '../domain/dates.js';
import { ballotProgress, participantsOf } from '../domain/appraisal.js';
import { chatTargetOf } from '../messages.js';
import { partyGroupsOf, votedTargets } from '../store/appraisal.repository.js';
import type { Q } from '../store/helpers.js';
import { holdersOfRoles, rosterOf } from '../store/person.repository.js';
import { chatsOfUnit, parseSettings } from '../store/unit.repository.js';
import { textOf, type TextKey } from '../text/index.js';
import type { WorkCalendar } from './calendar.js';
import { unitRules } from './due.js';
import { enqueueAll, mentionsOn, type OutboxItem } from './outbox.js';

/**
 * A 民主评议 with a closing time is chased in the branch's group: on the working day before it
 * closes and on its closing day (at the unit's reminder hour), naming who has not finished their
 * ballot — names only, never a choice; once it has closed, the secretary and the operator are asked
 * (at the next reminder hour of a working day) to end it with /评议 结束: votes are refused from then
 * on, but the tally waits for that command.
 * One message per appraisal, chat and day (the key carries it), so a restart repeats nothing.
 */
export async function enqueueAppraisalReminders(db: Q, config: Readonly<Config>, calendar: WorkCalendar, now: Date): Promise<number> {
  return enqueueAll(db, await appraisalReminders(db, config, calendar, now), now);
}

/** The appraisal reminders due at `now`, as outbox items (written nowhere: `remind --preview` shows them too). */
export async function appraisalReminders(db: Q, config: Readonly<Config>, calendar: WorkCalendar, now: Date): Promise<OutboxItem[]> {
  const today = toLocalDate(now);
  const { hour } = localTimeOf(now);
  const open = await db.selectFrom('appraisal').innerJoin('unit', 'unit.id', 'appraisal.unit_id')
    .select(['appraisal.id', 'appraisal.unit_id as unitId', 'appraisal.closes_at as closesAt', 'unit.settings'])
    .where('appraisal.status', '=', 'open').where('appraisal.closes_at', 'is not', null).execute();
  const out: OutboxItem[] = [];
  for (const a of open) {
    const closesAt = a.closesAt!;
    const closingDay = toLocalDate(new Date(closesAt));
    let notice: { key: string; text: TextKey; people: Array<{ id: number; name: string }>; missing?: string[] } | undefined;
    // Both notices go out on working days at the unit's hour (a close at midnight is told the next morning).
    if (!calendar.isWorkday(today) || hour < unitRules(parseSettings(a.settings), config).remindHour) continue;
    if (now >= new Date(closesAt)) {
      notice = { key: `appraisal:${a.id}:expired`, text: 'appraisal.expiredNotice', people: await holdersOfRoles(db, a.unitId, ['principal', 'operator']) };
    } else {
      if (today !== closingDay && today !== calendar.workdayOnOrBefore(addDays(closingDay, -1))) continue;
      const participants = participantsOf(await rosterOf(db, a.unitId));
      const progress = ballotProgress(participants, await partyGroupsOf(db, a.unitId), await votedTargets(db, a.id));
      const missing = participants.filter((m) => progress.partial.includes(m.id) || progress.none.includes(m.id));
      if (missing.length === 0) continue;
      notice = { key: `appraisal:${a.id}:remind:${today}`, text: 'appraisal.remindVoters', people: missing, missing: missing.map((m) => m.name) };
    }
    for (const chat of await chatsOfUnit(db, a.unitId)) {
      const mentions = await mentionsOn(db, notice.people, chat.channel);
      const target = chatTargetOf(chat);
      const text = textOf(notice.text, { closesAt, today, missing: notice.missing ?? [], who: notice.people.map((p) => p.name) });
      out.push({ messageKey: `${notice.key}:${chat.channel}:${chat.chatId}`, unitId: a.unitId, target, message: { text, mentions } });
    }
  }
  return out;
}
