import { describe, expect, it } from 'vitest';
import { viewMeeting } from '../../src/domain/meeting.js';
import { obligationRoles, openObligations } from '../../src/domain/obligations.js';
import { aLeave, aMeeting, factsOf, outlinesOf, stepsDoneOn } from '../helpers/builders.js';

/** What the scheduler is told a meeting still owes (the obligation rows), derived from the rules. */
const owed = (facts: ReturnType<typeof factsOf>, today: string) =>
  openObligations(viewMeeting(facts, today), facts).map((o) => `${o.step}:${o.personId ?? '-'}:${o.due}`).sort();

describe(openObligations.name, () => {
  it('a fresh 民主生活会 owes plan D-15, notice D-10, every outline by D, the meeting, and the D+15 paperwork', () => {
    expect(owed(factsOf(), '2026-11-25')).toEqual([
      'inform:-:2027-01-12', 'meeting:-:2026-12-28', 'notice:-:2026-12-18',
      'outlines:1:2026-12-28', 'outlines:2:2026-12-28', 'outlines:3:2026-12-28', 'outlines:4:2026-12-28',
      'plan:-:2026-12-13', 'rectify_list:-:2027-01-12', 'report:-:2027-01-12',
    ]);
  });

  it('once the meeting is held, preparation steps never recorded are no longer chased; the paperwork after it is', () => {
    const held = factsOf(aMeeting({ status: 'held', heldOn: '2026-12-28' }));
    expect(owed(held, '2026-12-29')).toEqual(['inform:-:2027-01-12', 'rectify_list:-:2027-01-12', 'report:-:2027-01-12']);
  });

  it('drops what was recorded, and a 组织生活会 plan (optional) is never chased', () => {
    const done = factsOf(aMeeting(), { stepsDone: stepsDoneOn('2026-12-01', 'plan', 'notice') });
    expect(owed(done, '2026-12-02').some((o) => o.startsWith('plan') || o.startsWith('notice'))).toBe(false);
    const org = factsOf(aMeeting({ kind: 'org_life' }));
    expect(owed(org, '2026-11-25').some((o) => o.startsWith('plan'))).toBe(false);
    expect(owed(org, '2026-11-25')).toContain('filing:-:2027-01-12');
  });

  it('asks the principal to review only the others’ outlines (their own is a supervisor’s)', () => {
    const onlyOwn = factsOf(aMeeting(), { outlines: new Map([[1, { submitted: true, reviewed: false }], ...outlinesOf([2, 3, 4], { reviewed: true })]) });
    expect(owed(onlyOwn, '2026-12-01').filter((o) => o.startsWith('outline_review'))).toEqual([]);
    expect(owed(onlyOwn, '2026-12-01').filter((o) => o.startsWith('principal_outline_review'))).toEqual(['principal_outline_review:-:2026-12-28']);
    expect(obligationRoles('democratic_life', 'principal_outline_review')).toEqual(['supervisor']);
    const other = factsOf(aMeeting(), { outlines: outlinesOf([1, 2, 3, 4]) });
    expect(owed(other, '2026-12-01').filter((o) => o.startsWith('outline_review'))).toEqual(['outline_review:-:2026-12-28']);
  });

  it('an absentee owes a written statement before the meeting; after it, the principal owes the relay', () => {
    const before = factsOf(aMeeting(), { leaves: [aLeave({ personId: 3, status: 'approved' })] });
    expect(owed(before, '2026-12-20')).toContain('statement:3:2026-12-28');
    const held = factsOf(aMeeting({ status: 'held', heldOn: '2026-12-28' }), { leaves: [aLeave({ personId: 3, status: 'approved' })] });
    const after = owed(held, '2026-12-29');
    expect(after).not.toContain('statement:3:2026-12-28');
    expect(after).toContain('relay:-:2027-01-12');
    // Outlines lapse once the meeting is held.
    expect(after.some((o) => o.startsWith('outlines'))).toBe(false);
  });

  it('a cancelled meeting owes nothing', () => {
    expect(owed(factsOf(aMeeting({ status: 'cancelled' })), '2026-11-25')).toEqual([]);
  });
});

describe(obligationRoles.name, () => {
  it('addresses operator and principal for paperwork, the principal alone for reviews and relays', () => {
    expect(obligationRoles('democratic_life', 'plan')).toEqual(['operator', 'principal']);
    expect(obligationRoles('democratic_life', 'outline_review')).toEqual(['principal']);
    expect(obligationRoles('org_life', 'relay')).toEqual(['principal']);
  });
});
