import type { MeetingFacts } from '../domain/meeting.js';
import type { Meeting, Member } from '../domain/types.js';
import type { Q } from './helpers.js';
import { archivedOf, itemFactsOf, leavesOf, outlinesOf, stepsDone, talkPairs } from './meeting.repository.js';
import type { OffsetOverrides } from '../domain/rules.js';

/** Loads everything the domain needs to judge one meeting (six indexed reads). */
export async function loadMeetingFacts(db: Q, meeting: Meeting, roster: readonly Member[], overrides: OffsetOverrides = {}): Promise<MeetingFacts> {
  const [done, pairs, leaves, outlines, items, archived] = await Promise.all([
    stepsDone(db, meeting.id),
    talkPairs(db, meeting.id),
    leavesOf(db, meeting.id),
    outlinesOf(db, meeting.id),
    itemFactsOf(db, meeting.id),
    archivedOf(db, meeting.id),
  ]);
  return { meeting, overrides, roster, stepsDone: done, talkPairs: pairs, leaves, outlines, items, archived };
}
