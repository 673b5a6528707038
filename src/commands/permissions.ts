import type { Role } from '../domain/types.js';
import type { CommandKind } from './types.js';

/**
 * Who may run each command, in one place. 'anyone' needs no roster entry; 'unit' needs any role
 * in the chat's unit (or 上级 above it). Finer rules (an item's owner, the leave approver) are
 * checked by the domain on top of this table.
 */
export type Permission = 'anyone' | 'unit' | readonly Role[];

const MANAGERS: readonly Role[] = ['operator', 'principal'];

export const PERMISSIONS: Record<CommandKind, Permission> = {
  // 民主评议党员. Ballots, self-appraisals and commitments: 'anyone' because a voter in a single chat
  // may belong to several units; the handler finds the unit and checks that the sender takes part.
  'appraisal.open': MANAGERS,
  'appraisal.progress': 'unit',
  'appraisal.close': MANAGERS,
  'appraisal.vote': 'anyone',
  'appraisal.mine': 'anyone',
  'appraisal.self': 'anyone',
  'appraisal.selfMine': 'anyone',
  'appraisal.grade': 'anyone', // 组织评定 is the branch's secretary's: the handler finds the branch (as for ballots) and checks the role there
  'partyGroup.set': ['operator'],
  'partyGroup.list': 'unit',
  'partyGroup.clear': ['operator'],
  'commitment.submit': 'anyone',
  'commitment.status': 'unit',
  'publicity.post': MANAGERS,
  summary: ['supervisor'],
  'dashboard.link': 'anyone', // the handler sends a link only to someone with a role that opens the dashboard
  'campaign.deploy': ['supervisor'],
  'settings.show': 'unit',
  'settings.set': ['operator'],
  'paper.report': MANAGERS,
  'paper.inform': MANAGERS,
  'archive.show': 'unit',
  'archive.mark': ['operator'],
  help: 'anyone',
  iam: 'anyone',
  'unit.set': 'anyone', // bootstrap rules live in the handler
  'member.add': ['operator'],
  'member.remove': ['operator'],
  'member.list': 'unit',
  'member.confirm': ['operator'],
  'meeting.create': MANAGERS,
  'meeting.reschedule': MANAGERS,
  'meeting.cancel': MANAGERS,
  'meeting.hold': MANAGERS,
  'meeting.topic': MANAGERS,
  progress: 'unit',
  'step.done': MANAGERS,
  'step.undo': MANAGERS,
  'talk.log': 'unit',
  'talk.status': 'unit',
  'outline.submit': 'unit',
  'outline.review': ['principal', 'supervisor'],
  'outline.status': 'unit',
  'leave.request': 'unit',
  'leave.approve': ['principal', 'supervisor'],
  'leave.reject': ['principal', 'supervisor'],
  'leave.list': ['principal', 'operator', 'supervisor'],
  'statement.submit': 'unit',
  relay: ['principal'],
  'rectify.add': MANAGERS,
  'rectify.complete': 'unit', // owner, operator or principal: checked against the item
  'rectify.extend': 'unit',
  'rectify.verify': MANAGERS,
  'rectify.list': 'unit',
  'rectify.overdue': 'unit',
  'rectify.show': 'unit',
  snooze: 'unit',
  'remind.show': 'unit',
  'remind.set': ['operator'],
};

/** The roles a permission asks for, or undefined when any member may. */
export function requiredRoles(kind: CommandKind): readonly Role[] | undefined {
  const p = PERMISSIONS[kind];
  return typeof p === 'string' ? undefined : p;
}

export function allows(kind: CommandKind, roles: readonly Role[], inUnit: boolean): boolean {
  const p = PERMISSIONS[kind];
  if (p === 'anyone') return true;
  if (p === 'unit') return inUnit;
  return roles.some((r) => p.includes(r));
}
