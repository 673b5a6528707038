import { addDays, daysBetween, type LocalDate } from './dates.js';
import { userError } from './errors.js';
import { KIND_RULES } from './rules.js';
import type { ItemKind, ItemState, ItemStatus, Meeting } from './types.js';

export interface ItemFacts {
  no: number;
  status: ItemStatus;
  deadline: LocalDate;
  kind: ItemKind;
  ownerIds: number[];
}

/** done / extended / open as stored; open or extended past the deadline is overdue. */
export function itemState(item: Pick<ItemFacts, 'status' | 'deadline'>, today: LocalDate): ItemState {
  if (item.status === 'done') return 'done';
  if (item.deadline < today) return 'overdue';
  return item.status;
}

export function daysOverdue(item: Pick<ItemFacts, 'deadline'>, today: LocalDate): number {
  return Math.max(0, daysBetween(item.deadline, today));
}

/**
 * The deadline of a new item: the typed date, or for 立行立改 the default (7 days after the meeting,
 * or after today if the meeting has passed). 限期整改 and 需协调 items need a date.
 */
/** Deadlines further than this are taken for typos (2099 for 2029): even 需协调 work is planned within it. */
export const MAX_DEADLINE_DAYS = 3 * 365;

function assertNotTooFar(date: LocalDate, today: LocalDate): void {
  if (daysBetween(today, date) > MAX_DEADLINE_DAYS) throw userError('rectify.deadlineTooFar', { date, latest: addDays(today, MAX_DEADLINE_DAYS) });
}

export function newItemDeadline(meeting: Meeting, kind: ItemKind, typed: LocalDate | undefined, today: LocalDate): LocalDate {
  if (typed) {
    if (typed < today) throw userError('rectify.deadlineInPast', { date: typed, today });
    assertNotTooFar(typed, today);
    return typed;
  }
  if (kind !== 'immediate') throw userError('rectify.deadlineRequired', { example: addDays(today, 30) });
  const base = meeting.date > today ? meeting.date : today;
  return addDays(base, KIND_RULES[meeting.kind].immediateItemDays);
}

export function assertMayComplete(item: ItemFacts, note: string): void {
  if (item.status === 'done') throw userError('rectify.alreadyDone', { no: item.no });
  if (!note.trim()) throw userError('rectify.noteRequired', { no: item.no });
}

export function assertMayExtend(item: ItemFacts, newDate: LocalDate, reason: string, today: LocalDate): void {
  if (item.status === 'done') throw userError('rectify.alreadyDone', { no: item.no });
  if (newDate <= item.deadline) throw userError('rectify.extendNotLater', { no: item.no, deadline: item.deadline });
  if (newDate < today) throw userError('rectify.deadlineInPast', { date: newDate, today });
  assertNotTooFar(newDate, today);
  if (!reason.trim()) throw userError('rectify.reasonRequired', { no: item.no });
}

export interface ItemCounts {
  total: number;
  open: number;
  overdue: number;
  done: number;
  extended: number;
  dueSoon: number;
}

export function countItems(items: readonly Pick<ItemFacts, 'status' | 'deadline'>[], today: LocalDate, soonDays = 3): ItemCounts {
  const c: ItemCounts = { total: items.length, open: 0, overdue: 0, done: 0, extended: 0, dueSoon: 0 };
  for (const item of items) {
    const s = itemState(item, today);
    if (s === 'done') c.done++;
    else {
      c.open++;
      if (s === 'overdue') c.overdue++;
      if (item.status === 'extended') c.extended++;
      if (s !== 'overdue' && daysBetween(today, item.deadline) <= soonDays) c.dueSoon++;
    }
  }
  return c;
}
