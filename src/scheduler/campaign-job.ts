import type { Config } from '../config.js';
import { localTimeOf, toLocalDate, weekdayOf } from '../domain/dates.js';
import { campaignFlags } from '../domain/summary.js';
import { chatTargetOf } from '../messages.js';
import type { Q } from '../store/helpers.js';
import { holdersOfRoles } from '../store/person.repository.js';
import { campaignsOf, meetingDates } from '../store/supervision.repository.js';
import { chatsOfUnit, parseSettings, type Unit } from '../store/unit.repository.js';
import { textOf } from '../text/index.js';
import type { WorkCalendar } from './calendar.js';
import { unitRules } from './due.js';
import { enqueueAll, mentionsOn, type OutboxItem } from './outbox.js';

/** In the last working days before a campaign's window closes, units without a meeting are chased daily. */
export const CAMPAIGN_DAILY_WORKDAYS = 10;

/** Whether a unit missing a campaign's meeting is chased today: weekly until the last stretch, then daily. */
export function chaseCampaignToday(today: string, end: string, digestWeekday: number, calendar: WorkCalendar): boolean {
  if (!calendar.isWorkday(today)) return false;
  if (today > end || calendar.workdaysBetween(today, end) <= CAMPAIGN_DAILY_WORKDAYS) return true;
  return weekdayOf(today) === digestWeekday;
}

/**
 * The upper level's /部署 asks every unit below to hold its meeting inside a window. A unit with no
 * meeting of that kind scheduled in the window is chased in its own chat (its operator and principal
 * @mentioned) at its reminder hour — weekly, then every working day in the last
 * {@link CAMPAIGN_DAILY_WORKDAYS} working days and after the window closed — until a meeting is
 * scheduled. One message per unit, chat and day (the key carries the date).
 */
export async function enqueueCampaignChases(db: Q, config: Readonly<Config>, calendar: WorkCalendar, now: Date): Promise<number> {
  return enqueueAll(db, await campaignChases(db, config, calendar, now), now);
}

/** The chases due at `now`, as outbox items (written nowhere: `remind --preview` shows them too). */
export async function campaignChases(db: Q, config: Readonly<Config>, calendar: WorkCalendar, now: Date): Promise<OutboxItem[]> {
  const today = toLocalDate(now);
  if (!calendar.isWorkday(today)) return [];
  const { hour } = localTimeOf(now);
  const rows = await db.selectFrom('unit').select(['id', 'name', 'parent_id', 'settings']).where('settings', 'like', '%"campaigns"%').execute();
  const units: Unit[] = rows.map((r) => ({ id: r.id, name: r.name, parentId: r.parent_id, settings: parseSettings(r.settings) }));
  const withCampaigns = units.filter((u) => campaignsOf(u).length > 0 && hour >= unitRules(u.settings, config).remindHour);
  if (withCampaigns.length === 0) return [];
  const meetings = await meetingDates(db, withCampaigns.map((u) => u.id));
  const out: OutboxItem[] = [];
  for (const unit of withCampaigns) {
    const missing = campaignFlags(campaignsOf(unit), meetings.get(unit.id) ?? [], today)
      .filter((f): f is Extract<typeof f, { flag: 'campaign_missing' }> => f.flag === 'campaign_missing')
      .filter((f) => chaseCampaignToday(today, f.end, config.DIGEST_WEEKDAY, calendar));
    if (missing.length === 0) continue;
    const people = await holdersOfRoles(db, unit.id, ['operator', 'principal']);
    for (const chat of await chatsOfUnit(db, unit.id)) {
      const mentions = await mentionsOn(db, people, chat.channel);
      const target = chatTargetOf(chat);
      for (const f of missing) {
        const theme = unit.settings.campaigns?.[f.kind]?.theme ?? '';
        const text = textOf('campaign.chase', { unit: unit.name, kind: f.kind, end: f.end, theme, passed: f.passed, who: people.map((p) => p.name), today });
        out.push({ messageKey: `campaign:${unit.id}:${f.kind}:${today}:${chat.channel}:${chat.chatId}`, unitId: unit.id, target, message: { text, mentions } });
      }
    }
  }
  return out;
}
