import { atLocalTime, type LocalDate } from '../../src/domain/dates.js';
import type { LeaveFacts } from '../../src/domain/leave.js';
import type { MeetingFacts } from '../../src/domain/meeting.js';
import type { ItemFacts } from '../../src/domain/rectification.js';
import { pairKey } from '../../src/domain/talks.js';
import type { Meeting, Member, Role, StepId } from '../../src/domain/types.js';

/** An instant on `date` at `hour:00` Asia/Shanghai (what a ManualClock is built from). */
export const aDay = (date: LocalDate, hour = 9): Date => atLocalTime(date, hour);

/** A scheduled 民主生活会 on 2026-12-28 unless told otherwise. */
export function aMeeting(over: Partial<Meeting> = {}): Meeting {
  return { id: 1, unitId: 1, kind: 'democratic_life', date: '2026-12-28', topic: null, status: 'scheduled', heldOn: null, ...over };
}

export function aMember(id: number, name: string, ...roles: Role[]): Member {
  return { id, name, roles };
}

/** A leadership team: 王书记 (principal), 张三 李四 赵敏 (members), 刘联络员 (operator). */
export function aTeam(): Member[] {
  return [
    aMember(1, '王书记', 'principal'),
    aMember(2, '张三', 'member'),
    aMember(3, '李四', 'member'),
    aMember(4, '赵敏', 'member'),
    aMember(5, '刘联络员', 'operator'),
  ];
}

/** A branch: 孙书记 (secretary), 钱委员 吴委员 (committee), 郑党员 冯党员 (members), 陈预备 (probationary), 周组织员. */
export function aBranch(): Member[] {
  return [
    aMember(11, '孙书记', 'principal'),
    aMember(12, '钱委员', 'member'),
    aMember(13, '吴委员', 'member'),
    aMember(14, '郑党员', 'party_member'),
    aMember(15, '冯党员', 'party_member'),
    aMember(16, '陈预备', 'probationary'),
    aMember(17, '周组织员', 'operator'),
  ];
}

/** Talk pairs done, by person id: `pairsOf([1, 2], [1, 3])`. */
export function pairsOf(...pairs: Array<[number, number]>): Set<number> {
  return new Set(pairs.map(([a, b]) => pairKey(a, b)));
}

export function anItem(over: Partial<ItemFacts> = {}): ItemFacts {
  return { no: 1, status: 'open', deadline: '2027-01-31', kind: 'fixed', ownerIds: [2], ...over };
}

export function aLeave(over: Partial<LeaveFacts> = {}): LeaveFacts {
  return { personId: 2, status: 'pending', statementOn: null, relayedOn: null, ...over };
}

/** Everything about a meeting with nothing recorded yet; override what the test is about. */
export function factsOf(meeting: Meeting = aMeeting(), over: Partial<MeetingFacts> = {}): MeetingFacts {
  return {
    meeting,
    roster: meeting.kind === 'org_life' ? aBranch() : aTeam(),
    stepsDone: new Map<StepId, LocalDate>(),
    talkPairs: new Set<number>(),
    leaves: [],
    outlines: new Map(),
    items: [],
    archived: new Set<string>(),
    ...over,
  };
}

/** Steps recorded with /完成 on one date. */
export function stepsDoneOn(date: LocalDate, ...steps: StepId[]): Map<StepId, LocalDate> {
  return new Map(steps.map((s) => [s, date]));
}

/** Outlines of these people, all submitted (and reviewed when `reviewed`). */
export function outlinesOf(ids: number[], state: { submitted?: boolean; reviewed?: boolean } = {}): Map<number, { submitted: boolean; reviewed: boolean }> {
  return new Map(ids.map((id) => [id, { submitted: state.submitted ?? true, reviewed: state.reviewed ?? false }]));
}
