import { describe, expect, it } from 'vitest';
import {
  appraisalState, assertMayGrade, assertMayOpen, ballotProgress, closingInstant, distributionShown, isGradable, tally, targetsOf, type Ballot,
} from '../../src/domain/appraisal.js';
import { UserError } from '../../src/domain/errors.js';
import { aBranch, aDay, aMeeting, aMember } from '../helpers/builders.js';

// 孙书记 11, 钱委员 12, 吴委员 13, 郑党员 14, 冯党员 15, 陈预备 16 (probationary), 周组织员 17 (operator).
const roster = aBranch();
const participants = roster.filter((m) => m.id !== 17);
const keyOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof UserError ? err.key : String(err);
  }
};

describe(targetsOf.name, () => {
  it('is everyone else without 党小组', () => {
    expect(targetsOf(14, participants, new Map()).map((m) => m.id)).toEqual([11, 12, 13, 15, 16]);
  });
  it('is the voter’s group mates with 党小组', () => {
    const groups = new Map([[11, 'A'], [12, 'A'], [14, 'A'], [13, 'B'], [15, 'B'], [16, 'B']]);
    expect(targetsOf(14, participants, groups).map((m) => m.id)).toEqual([11, 12]);
    expect(targetsOf(16, participants, groups).map((m) => m.id)).toEqual([13, 15]);
  });
});

describe(tally.name, () => {
  const b = (voterId: number, target: Ballot['target'], grade: Ballot['grade'], comment: string | null = null): Ballot => ({ voterId, target, grade, comment });

  it('counts per target, with shares of 优秀 and of 合格 or better', () => {
    const t = tally(participants, new Map(), [
      b(11, 'committee', 'excellent'), b(12, 'committee', 'qualified'), b(13, 'committee', 'basically_qualified'),
      b(11, 14, 'excellent', '乙'), b(12, 14, 'excellent', '甲'), b(13, 14, 'unqualified'),
    ]);
    expect(t.voters).toBe(3);
    expect(t.committee.counts).toEqual({ excellent: 1, qualified: 1, basically_qualified: 1, unqualified: 0 });
    expect(t.committee.qualifiedShare).toBeCloseTo(2 / 3);
    const zheng = t.members.find((m) => m.member.id === 14)!.tally;
    expect(zheng.votes).toBe(3);
    expect(zheng.excellentShare).toBeCloseTo(2 / 3);
    expect(zheng.comments).toEqual(['乙', '甲'].sort());
  });

  it('ignores ballots from non-members, on oneself, across 党小组, and second copies', () => {
    const groups = new Map([[11, 'A'], [12, 'A'], [14, 'A'], [13, 'B'], [15, 'B'], [16, 'B']]);
    const t = tally(participants, groups, [
      b(17, 'committee', 'excellent'), // the operator does not vote
      b(14, 14, 'excellent'), // oneself
      b(15, 14, 'unqualified'), // another group
      b(11, 14, 'qualified'), b(11, 14, 'unqualified'), // the first copy counts (the store keeps one)
    ]);
    expect(t.voters).toBe(1);
    expect(t.committee.votes).toBe(0);
    expect(t.members.find((m) => m.member.id === 14)!.tally.counts).toEqual({ excellent: 0, qualified: 1, basically_qualified: 0, unqualified: 0 });
  });
});

describe(distributionShown.name, () => {
  const b = (voterId: number, grade: Ballot['grade']): Ballot => ({ voterId, target: 14, grade, comment: null });
  const zheng = (ballots: Ballot[]) => tally(participants, new Map(), ballots).members.find((m) => m.member.id === 14)!.tally;

  it('needs 3 ballots besides the reader’s own', () => {
    const three = zheng([b(11, 'excellent'), b(12, 'unqualified'), b(13, 'unqualified')]);
    expect(three.voterIds).toEqual([11, 12, 13]);
    expect(distributionShown(three, 11)).toBe(false); // the secretary voted: only 2 others
    expect(distributionShown(three, 17)).toBe(true); // the operator did not vote
    const four = zheng([b(11, 'excellent'), b(12, 'unqualified'), b(13, 'unqualified'), b(15, 'qualified')]);
    expect(distributionShown(four, 11)).toBe(true);
  });
});

describe(ballotProgress.name, () => {
  it('sorts voters into complete, partial and none', () => {
    const voted = new Map([
      [11, new Set<'committee' | number>(['committee', 12, 13, 14, 15, 16])],
      [12, new Set<'committee' | number>(['committee'])],
    ]);
    expect(ballotProgress(participants, new Map(), voted)).toEqual({ complete: [11], partial: [12], none: [13, 14, 15, 16] });
  });
});

describe('time', () => {
  it('a date-only closing runs to 24:00 Shanghai time; with a time, to that minute', () => {
    expect(closingInstant('2026-12-20').toISOString()).toBe('2026-12-20T16:00:00.000Z');
    expect(closingInstant('2026-12-20', { hour: 18, minute: 30 }).toISOString()).toBe('2026-12-20T10:30:00.000Z');
  });
  it('an open appraisal expires at its closing instant', () => {
    const a = { status: 'open' as const, closesAt: '2026-12-20T10:30:00.000Z' };
    expect(appraisalState(a, new Date('2026-12-20T10:29:59.999Z'))).toBe('open');
    expect(appraisalState(a, new Date('2026-12-20T10:30:00.000Z'))).toBe('expired');
    expect(appraisalState({ status: 'closed', closesAt: null }, new Date(0))).toBe('closed');
  });
});

describe('rules', () => {
  const held = aMeeting({ kind: 'org_life', status: 'held', heldOn: '2026-12-20', date: '2026-12-20' });

  it.each([
    ['a 民主生活会', () => assertMayOpen(aMeeting({ status: 'held' }), undefined, participants, new Map(), undefined, aDay('2026-12-21')), 'appraisal.notOrgLife'],
    ['a meeting not yet held', () => assertMayOpen(aMeeting({ kind: 'org_life' }), undefined, participants, new Map(), undefined, aDay('2026-12-21')), 'appraisal.meetingNotHeld'],
    ['a second opening', () => assertMayOpen(held, { status: 'open' }, participants, new Map(), undefined, aDay('2026-12-21')), 'appraisal.alreadyOpen'],
    ['a closing time in the past', () => assertMayOpen(held, undefined, participants, new Map(), aDay('2026-12-20'), aDay('2026-12-21')), 'appraisal.closesInPast'],
    ['incomplete 党小组', () => assertMayOpen(held, undefined, participants, new Map([[11, 'A'], [12, 'A']]), undefined, aDay('2026-12-21')), 'partyGroup.incomplete'],
    ['a one-person 党小组', () => assertMayOpen(held, undefined, participants, new Map([[11, 'A'], [12, 'A'], [13, 'A'], [14, 'A'], [15, 'A'], [16, 'B']]), undefined, aDay('2026-12-21')), 'partyGroup.tooSmall'],
    ['grading a probationary member', () => assertMayGrade({ status: 'closed' }, aMember(16, '陈预备', 'probationary')), 'grade.probationary'],
    ['grading before the tally', () => assertMayGrade({ status: 'open' }, aMember(14, '郑党员', 'party_member')), 'grade.notClosed'],
    ['grading the operator', () => assertMayGrade({ status: 'closed' }, aMember(17, '周组织员', 'operator')), 'grade.notParticipant'],
  ])('refuses %s', (_what, fn, key) => expect(keyOf(fn)).toBe(key));

  it('accepts a held 组织生活会 with a future closing time', () => {
    expect(keyOf(() => assertMayOpen(held, undefined, participants, new Map(), aDay('2026-12-22'), aDay('2026-12-21')))).toBeUndefined();
  });

  it('never grades a probationary member, even one the roster also lists in another role', () => {
    expect(isGradable(aMember(20, '某委员', 'probationary', 'member'))).toBe(false);
    expect(isGradable(aMember(14, '郑党员', 'party_member'))).toBe(true);
    expect(isGradable(aMember(16, '陈预备', 'probationary'))).toBe(false);
  });
});
