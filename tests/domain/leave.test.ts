import { describe, expect, it } from 'vitest';
import { absenteeGaps, assertMayDecideLeave, assertMayRequestLeave, leaveApproverRole } from '../../src/domain/leave.js';
import type { Role } from '../../src/domain/types.js';
import { aLeave, aMeeting } from '../helpers/builders.js';
import { userErrorOf } from '../helpers/errors.js';

const D = '2026-12-28';
const request = (over: { today?: string; roles?: Role[]; reason?: string; existing?: ReturnType<typeof aLeave>; meeting?: ReturnType<typeof aMeeting> } = {}) =>
  userErrorOf(() => assertMayRequestLeave(over.meeting ?? aMeeting(), over.today ?? '2026-12-01', over.roles ?? ['member'], over.reason ?? '外出参加培训', over.existing))?.key;

describe(assertMayRequestLeave.name, () => {
  it('lets a team member ask before the meeting with a reason', () => {
    expect(request()).toBeUndefined();
    expect(request({ roles: ['principal'] })).toBeUndefined();
  });

  it('still accepts a request on the meeting day before the meeting is marked held', () => {
    expect(request({ today: D })).toBeUndefined();
  });

  it('refuses once the meeting is held or its day has passed', () => {
    expect(request({ today: '2026-12-29' })).toBe('leave.afterMeeting');
    expect(request({ today: D, meeting: aMeeting({ status: 'held', heldOn: D }) })).toBe('leave.afterMeeting');
  });

  it.each([
    [['attendee'], 'democratic_life'],
    [['operator'], 'democratic_life'],
    [['supervisor'], 'democratic_life'],
    [['party_member'], 'democratic_life'], // 党员 do not attend the team's 民主生活会
    [['attendee'], 'org_life'],
  ] as Array<[Role[], 'democratic_life' | 'org_life']>)('refuses %j of a %s: not a participant', (roles, kind) => {
    expect(request({ roles, meeting: aMeeting({ kind }) })).toBe('leave.notParticipant');
  });

  it('lets party members and probationary members of a branch ask for 组织生活会 leave', () => {
    expect(request({ roles: ['party_member'], meeting: aMeeting({ kind: 'org_life' }) })).toBeUndefined();
    expect(request({ roles: ['probationary'], meeting: aMeeting({ kind: 'org_life' }) })).toBeUndefined();
  });

  it('requires a reason', () => {
    expect(request({ reason: '' })).toBe('leave.reasonRequired');
    expect(request({ reason: '   ' })).toBe('leave.reasonRequired');
  });

  it('allows one open request at a time; a rejected person may ask again', () => {
    expect(request({ existing: aLeave({ status: 'pending' }) })).toBe('leave.alreadyPending');
    expect(request({ existing: aLeave({ status: 'approved' }) })).toBe('leave.alreadyApproved');
    expect(request({ existing: aLeave({ status: 'rejected' }) })).toBeUndefined();
  });
});

describe(leaveApproverRole.name, () => {
  it('sends a member’s request to the principal and the principal’s own to the supervisor', () => {
    expect(leaveApproverRole(['member'])).toBe('principal');
    expect(leaveApproverRole(['party_member'])).toBe('principal');
    expect(leaveApproverRole(['principal'])).toBe('supervisor');
    expect(leaveApproverRole(['principal', 'operator'])).toBe('supervisor');
  });
});

describe(assertMayDecideLeave.name, () => {
  const decide = (deciderRoles: Role[], deciderId: number, requesterId: number, requesterRoles: Role[]) =>
    userErrorOf(() => assertMayDecideLeave(deciderRoles, deciderId, requesterId, requesterRoles));

  it('lets the principal decide a member’s request', () => {
    expect(decide(['principal'], 1, 3, ['member'])).toBeUndefined();
  });

  it('never lets anyone decide their own request, not even the principal', () => {
    expect(decide(['principal'], 1, 1, ['principal'])?.key).toBe('leave.notOwnRequest');
    expect(decide(['principal', 'supervisor'], 1, 1, ['principal'])?.key).toBe('leave.notOwnRequest');
  });

  it('sends the principal’s request to the supervisor: another principal may not approve it', () => {
    expect(decide(['supervisor'], 9, 1, ['principal'])).toBeUndefined();
    expect(decide(['principal'], 6, 1, ['principal'])).toEqual({ key: 'leave.onlyApprover', params: { role: 'supervisor' } });
  });

  it('refuses members and operators, naming the approver', () => {
    expect(decide(['member'], 2, 3, ['member'])).toEqual({ key: 'leave.onlyApprover', params: { role: 'principal' } });
    expect(decide(['operator'], 5, 3, ['member'])).toEqual({ key: 'leave.onlyApprover', params: { role: 'principal' } });
  });
});

describe(absenteeGaps.name, () => {
  it('lists approved absentees without a written statement, and after the meeting those not yet told', () => {
    const leaves = [
      aLeave({ personId: 2, status: 'approved', statementOn: null }),
      aLeave({ personId: 3, status: 'approved', statementOn: '2026-12-20' }),
      aLeave({ personId: 4, status: 'rejected' }),
      aLeave({ personId: 6, status: 'pending' }),
    ];
    expect(absenteeGaps(leaves, false)).toEqual({ noStatement: [2], notRelayed: [] });
    expect(absenteeGaps(leaves, true)).toEqual({ noStatement: [2], notRelayed: [2, 3] });
    const relayed = leaves.map((l) => (l.personId === 3 ? { ...l, relayedOn: '2026-12-29' } : l));
    expect(absenteeGaps(relayed, true).notRelayed).toEqual([2]);
  });
});
