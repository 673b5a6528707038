import type { LocalDate } from './dates.js';

export type MeetingKind = 'democratic_life' | 'org_life';
export const MEETING_KINDS: readonly MeetingKind[] = ['democratic_life', 'org_life'];

/** Roles a person holds in a unit (see the glossary in shared/domain.md). */
export type Role = 'principal' | 'member' | 'party_member' | 'probationary' | 'attendee' | 'operator' | 'supervisor';
export const ROLES: readonly Role[] = ['principal', 'member', 'party_member', 'probationary', 'attendee', 'operator', 'supervisor'];

export type Stage = 'prepare' | 'hold' | 'rectify';
export type MeetingPhase = Stage | 'completed' | 'cancelled';

export type StepId =
  | 'topic' | 'plan' | 'study' | 'opinions' | 'talks' | 'inspection' | 'outlines' | 'notice' | 'leave'
  | 'committee_meeting' | 'meeting' | 'absentees' | 'grading' | 'rectify_list' | 'report' | 'inform'
  | 'filing' | 'rectify' | 'archive';

export type StepStatus = 'done' | 'pending' | 'due_soon' | 'overdue' | 'optional';

export type MeetingStatus = 'scheduled' | 'held' | 'cancelled';

export interface Meeting {
  id: number;
  unitId: number;
  kind: MeetingKind;
  date: LocalDate;
  topic: string | null;
  status: MeetingStatus;
  heldOn: LocalDate | null;
}

export interface Person {
  id: number;
  name: string;
}

export interface Member extends Person {
  roles: Role[];
}

export type TalkMode = 'in_person' | 'phone' | 'online' | 'home_visit';

export type LeaveStatus = 'pending' | 'approved' | 'rejected';

export type ItemKind = 'immediate' | 'fixed' | 'coordinate';
/** Stored status; "overdue" is derived from the deadline. */
export type ItemStatus = 'open' | 'extended' | 'done';
export type ItemState = ItemStatus | 'overdue';
