import { addDays, type LocalDate } from './dates.js';
import type { MeetingKind } from './types.js';
import type { Campaign, UnitSummary } from './summary.js';

/**
 * What the dashboard's charts show over time and across campaigns, as plain values. Only dates and
 * states: nothing confidential.
 */

/** An item as far as its history of being overdue needs it. */
export interface ItemTimeline {
  /** Local date it was created. */
  createdOn: LocalDate;
  /** Its deadline now. */
  deadline: LocalDate;
  /** Local date it was completed, if it is done. */
  doneOn: LocalDate | null;
  /** Extensions, oldest first: the day each was granted and the deadline it replaced. */
  extensions: ReadonlyArray<{ on: LocalDate; from: LocalDate }>;
}

/** The deadline the item had at the end of `day`: the one an extension granted later replaced. */
export function deadlineOn(item: ItemTimeline, day: LocalDate): LocalDate {
  for (const e of item.extensions) if (e.on > day) return e.from;
  return item.deadline;
}

/** Overdue at the end of `day`: created by then, past its deadline of then, not done by then. */
export function overdueOn(item: ItemTimeline, day: LocalDate): boolean {
  if (item.createdOn > day) return false;
  if (item.doneOn !== null && item.doneOn <= day) return false;
  return deadlineOn(item, day) < day;
}

/** The days of the overdue chart: every 7 days back from today, oldest first (`points` in all). */
export function seriesDays(today: LocalDate, points = 12): LocalDate[] {
  return Array.from({ length: points }, (_, i) => addDays(today, -7 * (points - 1 - i)));
}

/** How many of the items were overdue on each day. */
export function overdueSeries(items: readonly ItemTimeline[], days: readonly LocalDate[]): number[] {
  return days.map((d) => items.reduce((n, it) => n + (overdueOn(it, d) ? 1 : 0), 0));
}

/** One campaign (年度部署) across the units that carry it. */
export interface CampaignProgress {
  kind: MeetingKind;
  theme: string;
  end: LocalDate;
  /** Units whose meeting of the kind inside the window has been held. */
  held: number;
  /** Units with such a meeting arranged, not yet held. */
  arranged: number;
  /** Units with none inside the window. */
  missing: number;
}

/** A campaign's key in URLs and filters: kind, window end and theme. */
export const campaignKey = (c: Pick<Campaign, 'kind' | 'end' | 'theme'>): string => `${c.kind}|${c.end}|${c.theme}`;

/**
 * Campaign progress from the units' summaries: a unit flagged `campaign_missing` for the kind has
 * no meeting in the window; otherwise its meeting of that kind is held or arranged.
 */
export function campaignProgress(rows: ReadonlyArray<{ summary: UnitSummary; campaigns: readonly Campaign[] }>): CampaignProgress[] {
  const byKey = new Map<string, CampaignProgress>();
  for (const { summary, campaigns } of rows) {
    for (const c of campaigns) {
      const key = campaignKey(c);
      let p = byKey.get(key);
      if (!p) byKey.set(key, (p = { kind: c.kind, theme: c.theme, end: c.end, held: 0, arranged: 0, missing: 0 }));
      const missing = summary.flags.some((f) => f.flag === 'campaign_missing' && f.kind === c.kind);
      if (missing) p.missing++;
      else if (summary.meeting?.kind === c.kind && summary.meeting.status === 'held') p.held++;
      else p.arranged++;
    }
  }
  return [...byKey.values()].sort((a, b) => (a.end < b.end ? -1 : a.end > b.end ? 1 : a.kind.localeCompare(b.kind)));
}
