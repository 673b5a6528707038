import { sql } from 'kysely';
import type { MeetingFacts } from '../domain/meeting.js';
import type { ItemFacts } from '../domain/rectification.js';
import type { OffsetOverrides } from '../domain/rules.js';
import type { Meeting, Member, StepId } from '../domain/types.js';
import { joinedText, type Q } from './helpers.js';
import { leavesOf, pairsOfJoined, talkPairText } from './meeting.repository.js';
import { prepared } from './prepared.js';

/**
 * A meeting's steps, talks, outlines, items and archived materials in one statement: one row per
 * table (`k`), its rows joined into one text (`v`, see {@link joinedText}); NULL where it has none.
 * Every `/进度` and every reminder judges a meeting from these: one statement instead of five,
 * with five strings instead of some eighty row objects for a bench meeting (bench/run.ts, the `progress` measure).
 * Leave requests are read apart: their reasons may hold any text.
 */
const factRows = prepared((db, meetingId: number) => {
  const part = (k: string) => sql.lit(k).as('k');
  return db.selectFrom('step_record').select([part('s'), joinedText(db, sql`${sql.ref('step')} || ' ' || ${sql.ref('done_on')}`).as('v')]).where('meeting_id', '=', meetingId)
    .unionAll(db.selectFrom('talk').select([part('t'), joinedText(db, talkPairText()).as('v')]).where('meeting_id', '=', meetingId))
    .unionAll(db.selectFrom('outline').select([part('o'), joinedText(db, sql`${sql.ref('person_id')} || ' ' || ${flag('submitted_on')} || ${flag('reviewed_on')}`).as('v')]).where('meeting_id', '=', meetingId))
    .unionAll(db.selectFrom('item').select([part('i'), joinedText(db, sql`${sql.ref('status')} || ' ' || ${sql.ref('deadline')}`).as('v')]).where('meeting_id', '=', meetingId))
    .unionAll(db.selectFrom('archive_record').select([part('a'), joinedText(db, sql.ref('material')).as('v')]).where('meeting_id', '=', meetingId));
});

/** '1' when the column has a value, '0' when it is NULL (the same text on every dialect). */
const flag = (column: string) => sql`case when ${sql.ref(column)} is null then '0' else '1' end`;

/** The parts of a joined text: "a,b,c" → ['a', 'b', 'c']; NULL (no rows) → []. */
const partsOf = (v: string | null | undefined): string[] => (v ? v.split(',') : []);

/** Splits "head<sep>rest" at the first `sep`. */
function cut(text: string, sep: string): [string, string] {
  const at = text.indexOf(sep);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** Loads everything the domain needs to judge one meeting (two indexed reads). */
export async function loadMeetingFacts(db: Q, meeting: Meeting, roster: readonly Member[], overrides: OffsetOverrides = {}): Promise<MeetingFacts> {
  const [{ rows }, leaves] = await Promise.all([factRows(db, meeting.id), leavesOf(db, meeting.id)]);
  const joined = new Map<string, string | null>(rows.map((r) => [r.k as string, r.v]));
  const stepsDone = new Map<StepId, string>();
  for (const s of partsOf(joined.get('s'))) {
    const [step, on] = cut(s, ' ');
    stepsDone.set(step as StepId, on);
  }
  const talkPairs = pairsOfJoined(joined.get('t'));
  const outlines = new Map<number, { submitted: boolean; reviewed: boolean }>();
  for (const o of partsOf(joined.get('o'))) {
    const [person, flags] = cut(o, ' ');
    outlines.set(Number(person), { submitted: flags[0] === '1', reviewed: flags[1] === '1' });
  }
  const items = partsOf(joined.get('i')).map((i) => {
    const [status, deadline] = cut(i, ' ');
    return { status: status as ItemFacts['status'], deadline };
  });
  const archived = new Set(partsOf(joined.get('a')));
  return { meeting, overrides, roster, stepsDone, talkPairs, leaves, outlines, items, archived };
}
