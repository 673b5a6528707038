import { userError } from './errors.js';
import { KIND_RULES } from './rules.js';
import type { LocalDate } from './dates.js';
import type { LeaveStatus, Meeting, Role } from './types.js';

export interface LeaveFacts {
  personId: number;
  status: LeaveStatus;
  statementOn: LocalDate | null;
  relayedOn: LocalDate | null;
}

/** Only before the meeting, only participants, a reason is required, one open request at a time. */
export function assertMayRequestLeave(
  meeting: Meeting,
  today: LocalDate,
  roles: readonly Role[],
  reason: string,
  existing: LeaveFacts | undefined,
): void {
  if (meeting.status === 'held' || today > meeting.date) throw userError('leave.afterMeeting', {});
  if (!roles.some((r) => KIND_RULES[meeting.kind].participants.includes(r))) throw userError('leave.notParticipant', {});
  if (!reason.trim()) throw userError('leave.reasonRequired', {});
  if (existing?.status === 'pending') throw userError('leave.alreadyPending', {});
  if (existing?.status === 'approved') throw userError('leave.alreadyApproved', {});
}

/** Who decides a request: the principal; the principal's own request goes to the supervisor. */
export function leaveApproverRole(requesterRoles: readonly Role[]): Role {
  return requesterRoles.includes('principal') ? 'supervisor' : 'principal';
}

export function assertMayDecideLeave(deciderRoles: readonly Role[], deciderId: number, requesterId: number, requesterRoles: readonly Role[], meeting?: Pick<Meeting, 'status' | 'heldOn' | 'date'>): void {
  if (meeting?.status === 'held') throw userError('leave.decideAfterMeeting', { date: meeting.heldOn ?? meeting.date });
  if (deciderId === requesterId) throw userError('leave.notOwnRequest', {});
  const role = leaveApproverRole(requesterRoles);
  if (!deciderRoles.includes(role)) throw userError('leave.onlyApprover', { role });
}

/** Absentees (approved leave) who still owe a written statement, and those not yet told of the meeting. */
export function absenteeGaps(leaves: readonly LeaveFacts[], held: boolean): { noStatement: number[]; notRelayed: number[] } {
  const approved = leaves.filter((l) => l.status === 'approved');
  return {
    noStatement: approved.filter((l) => !l.statementOn).map((l) => l.personId),
    notRelayed: held ? approved.filter((l) => !l.relayedOn).map((l) => l.personId) : [],
  };
}
