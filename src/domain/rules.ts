import type { MeetingKind, Role, Stage, StepId } from './types.js';

/**
 * One step (环节) of a meeting, as data. Deadlines are offsets in days from the meeting date D;
 * "before the meeting" steps have offset 0 and `beforeMeeting: true`.
 * Source: 武组发〔2017〕129号, restated in shared/domain.md.
 */
export interface StepRule {
  id: StepId;
  stage: Stage;
  /** Days from D; undefined = no date of its own (e.g. archive, rectify follows each item). */
  offsetDays?: number;
  /** True when the step must be finished before the meeting is held. */
  beforeMeeting?: boolean;
  /** Who owes the step (reminders @mention them). */
  owes: Role[];
  /** manual: someone records it with /完成; derived: the bot computes it from records. */
  completion: 'manual' | 'derived';
  /** Optional steps are shown but never overdue and never reminded. */
  optional?: boolean;
  /** Whether the scheduler sends deadline reminders for it. */
  remind?: boolean;
}

export interface KindRules {
  kind: MeetingKind;
  steps: readonly StepRule[];
  /** Roles that must attend and may ask for leave. */
  participants: readonly Role[];
  /** Roles that hand in an outline (发言提纲 / 个人问题清单). */
  outlineBy: readonly Role[];
  /** Whether the principal must review each outline. */
  outlineReview: boolean;
  /** Roles forming the "team" whose pairs must talk. */
  talkCore: readonly Role[];
  /** How talk pairs are required: principal ↔ each member, or every pair of the core. */
  talkRequirement: 'principal_with_each' | 'all_pairs';
  /** Roles whose talks with the core are expected (shown, not required). */
  talkWide: readonly Role[];
  /** Default days after D for 立行立改 items without a date. */
  immediateItemDays: number;
}

const DEMOCRATIC_LIFE_STEPS: readonly StepRule[] = [
  { id: 'topic', stage: 'prepare', offsetDays: -15, owes: ['operator', 'principal'], completion: 'manual' },
  { id: 'plan', stage: 'prepare', offsetDays: -15, owes: ['operator', 'principal'], completion: 'manual', remind: true },
  { id: 'study', stage: 'prepare', offsetDays: 0, beforeMeeting: true, owes: ['operator', 'principal'], completion: 'manual' },
  { id: 'opinions', stage: 'prepare', offsetDays: 0, beforeMeeting: true, owes: ['operator', 'principal'], completion: 'manual' },
  { id: 'talks', stage: 'prepare', offsetDays: 0, beforeMeeting: true, owes: ['principal', 'member'], completion: 'derived' },
  { id: 'inspection', stage: 'prepare', offsetDays: 0, beforeMeeting: true, owes: ['principal', 'operator'], completion: 'manual' },
  { id: 'outlines', stage: 'prepare', offsetDays: 0, beforeMeeting: true, owes: ['principal', 'member'], completion: 'derived', remind: true },
  { id: 'notice', stage: 'prepare', offsetDays: -10, owes: ['operator', 'principal'], completion: 'manual', remind: true },
  { id: 'leave', stage: 'prepare', offsetDays: 0, beforeMeeting: true, owes: ['principal'], completion: 'derived' },
  { id: 'meeting', stage: 'hold', offsetDays: 0, owes: ['principal', 'operator'], completion: 'derived' },
  { id: 'absentees', stage: 'hold', offsetDays: 15, owes: ['principal'], completion: 'derived', remind: true },
  { id: 'rectify_list', stage: 'rectify', offsetDays: 15, owes: ['operator', 'principal'], completion: 'manual', remind: true },
  { id: 'report', stage: 'rectify', offsetDays: 15, owes: ['operator', 'principal'], completion: 'manual', remind: true },
  { id: 'inform', stage: 'rectify', offsetDays: 15, owes: ['operator', 'principal'], completion: 'manual', remind: true },
  { id: 'rectify', stage: 'rectify', owes: ['principal'], completion: 'derived' },
  { id: 'archive', stage: 'rectify', owes: ['operator'], completion: 'derived' },
];

/**
 * 组织生活会: the source gives no day counts; the bot uses the 民主生活会 offsets
 * (plan D-15 if a plan is used, notice D-10, filing D+15) unless the unit configures others.
 */
const ORG_LIFE_STEPS: readonly StepRule[] = [
  { id: 'plan', stage: 'prepare', offsetDays: -15, owes: ['operator', 'principal'], completion: 'manual', optional: true },
  { id: 'notice', stage: 'prepare', offsetDays: -10, owes: ['operator', 'principal'], completion: 'manual', remind: true },
  { id: 'study', stage: 'prepare', offsetDays: 0, beforeMeeting: true, owes: ['operator', 'principal'], completion: 'manual' },
  { id: 'talks', stage: 'prepare', offsetDays: 0, beforeMeeting: true, owes: ['principal', 'member'], completion: 'derived' },
  { id: 'opinions', stage: 'prepare', offsetDays: 0, beforeMeeting: true, owes: ['principal', 'operator'], completion: 'manual' },
  { id: 'inspection', stage: 'prepare', offsetDays: 0, beforeMeeting: true, owes: ['principal', 'member'], completion: 'manual' },
  { id: 'outlines', stage: 'prepare', offsetDays: 0, beforeMeeting: true, owes: ['principal', 'member', 'party_member', 'probationary'], completion: 'derived', remind: true },
  { id: 'leave', stage: 'prepare', offsetDays: 0, beforeMeeting: true, owes: ['principal'], completion: 'derived' },
  { id: 'committee_meeting', stage: 'hold', offsetDays: 0, owes: ['principal'], completion: 'manual' },
  { id: 'meeting', stage: 'hold', offsetDays: 0, owes: ['principal', 'operator'], completion: 'derived' },
  { id: 'absentees', stage: 'hold', offsetDays: 15, owes: ['principal'], completion: 'derived', remind: true },
  { id: 'grading', stage: 'rectify', offsetDays: 15, owes: ['principal'], completion: 'manual', remind: true },
  { id: 'rectify_list', stage: 'rectify', offsetDays: 15, owes: ['principal', 'operator'], completion: 'manual', remind: true },
  { id: 'filing', stage: 'rectify', offsetDays: 15, owes: ['operator', 'principal'], completion: 'manual', remind: true },
  { id: 'rectify', stage: 'rectify', owes: ['principal'], completion: 'derived' },
];

export const KIND_RULES: Record<MeetingKind, KindRules> = {
  democratic_life: {
    kind: 'democratic_life',
    steps: DEMOCRATIC_LIFE_STEPS,
    participants: ['principal', 'member'],
    outlineBy: ['principal', 'member'],
    outlineReview: true,
    talkCore: ['principal', 'member'],
    talkRequirement: 'principal_with_each',
    talkWide: [],
    immediateItemDays: 7,
  },
  org_life: {
    kind: 'org_life',
    steps: ORG_LIFE_STEPS,
    participants: ['principal', 'member', 'party_member', 'probationary'],
    outlineBy: ['principal', 'member', 'party_member', 'probationary'],
    outlineReview: false,
    talkCore: ['principal', 'member'],
    talkRequirement: 'all_pairs',
    talkWide: ['party_member', 'probationary'],
    immediateItemDays: 7,
  },
};

/** Per-unit overrides of step offsets, e.g. `{ plan: -20, report: 10 }` (a campaign or the unit's operator). */
export type OffsetOverrides = Partial<Record<StepId, number>>;

/**
 * A unit's deadline and theme settings as the rules read them (the store's `UnitSettings` has this shape).
 * Campaigns (/部署) are kept per meeting kind; `offsets` and `theme` without a kind are what units
 * stored before that, when the last campaign deployed applied to every meeting of the unit.
 */
export interface DeadlineSettings {
  /** Old data: a campaign's offsets for every meeting kind (written by /部署 before campaigns were kept per kind). */
  offsets?: OffsetOverrides | undefined;
  /** Old data: a campaign's theme for every meeting kind. */
  theme?: string | undefined;
  /** Set by the unit itself with /设置, for both kinds; they win over a campaign's. */
  ownOffsets?: OffsetOverrides | undefined;
  campaigns?: Partial<Record<MeetingKind, { theme: string; offsets: OffsetOverrides } | undefined>> | undefined;
}

/**
 * The upper level's offsets for meetings of `kind`: that kind's campaign; with none, the kind-less
 * value of old data (it applied to every meeting then, and still does until a campaign of the kind comes).
 * @example campaignOffsetsFor({ campaigns: { org_life: { theme: 't', offsets: { plan: -20 } } } }, 'democratic_life') // undefined
 */
export function campaignOffsetsFor(s: DeadlineSettings, kind: MeetingKind): OffsetOverrides | undefined {
  const campaign = s.campaigns?.[kind];
  return campaign ? campaign.offsets : s.offsets;
}

/**
 * The offsets that date a meeting of `kind`: the campaign's for that kind under the unit's own (/设置 wins).
 * @example offsetsFor({ ownOffsets: { notice: -12 }, campaigns: { democratic_life: { theme: 't', offsets: { plan: -20 } } } }, 'democratic_life') // { plan: -20, notice: -12 }
 */
export function offsetsFor(s: DeadlineSettings, kind: MeetingKind): OffsetOverrides {
  return { ...campaignOffsetsFor(s, kind), ...s.ownOffsets };
}

/** The theme a new meeting of `kind` takes when none is typed: that kind's campaign's, else the kind-less one of old data. */
export function themeFor(s: DeadlineSettings, kind: MeetingKind): string | undefined {
  const campaign = s.campaigns?.[kind];
  return (campaign ? campaign.theme : s.theme) || undefined;
}

/** Steps that /完成 may record directly. */
export function manualSteps(kind: MeetingKind): StepRule[] {
  return KIND_RULES[kind].steps.filter((s) => s.completion === 'manual');
}

export function stepRule(kind: MeetingKind, id: StepId): StepRule | undefined {
  return KIND_RULES[kind].steps.find((s) => s.id === id);
}

/** Offset of a step after applying the unit's overrides. */
export function offsetOf(rule: StepRule, overrides: OffsetOverrides = {}): number | undefined {
  const o = overrides[rule.id];
  return o === undefined ? rule.offsetDays : o;
}

/** The 7 materials archived after a 民主生活会 (归卷存档). */
export const ARCHIVE_MATERIALS = ['plan', 'notice', 'opinions', 'minutes', 'rectify_plan', 'last_rectify_report', 'report'] as const;
export type ArchiveMaterial = (typeof ARCHIVE_MATERIALS)[number];
