import { addDays, atLocalTime, type LocalDate } from './dates.js';
import { userError } from './errors.js';
import type { Meeting, Member, Role } from './types.js';

/**
 * 民主评议党员 — the appraisal that closes a 党支部组织生活会 (武组发〔2017〕129号 附件2 五、六):
 * self-appraisal, mutual appraisal, an appraisal of the branch committee and a 民主测评 of every
 * member on a uniform form; then the branch grades each member (预备党员 take part but are not
 * graded) and every member makes a 整改承诺 that is publicly posted. Pure rules; no I/O.
 */

/** The four grades of the 民主测评表 and of the 组织评定, best first. */
export type Grade = 'excellent' | 'qualified' | 'basically_qualified' | 'unqualified';
export const GRADES: readonly Grade[] = ['excellent', 'qualified', 'basically_qualified', 'unqualified'];

/** A ballot's target: the branch committee as a whole, or one member (person id). */
export type BallotTarget = 'committee' | number;

export interface Ballot {
  voterId: number;
  target: BallotTarget;
  grade: Grade;
  comment: string | null;
}

export type AppraisalStatus = 'open' | 'closed';

export interface Appraisal {
  id: number;
  meetingId: number;
  unitId: number;
  status: AppraisalStatus;
  /** ISO instant after which no vote counts (exclusive); null = until /评议 结束. */
  closesAt: string | null;
  openedAt: string;
  closedAt: string | null;
  publicityDays: number | null;
  publicityFrom: LocalDate | null;
}

/** Roles that take part: they vote and are appraised. */
export const APPRAISAL_ROLES: readonly Role[] = ['principal', 'member', 'party_member', 'probationary'];
/** Roles of full members. */
const FULL_MEMBER_ROLES: readonly Role[] = ['principal', 'member', 'party_member'];

/** 党员人数较多，20人以上的支部，可分党小组进行 (“以上”含本数). */
export const PARTY_GROUP_MIN_BRANCH = 20;
/** A 党小组 needs at least this many members so that its members have someone to appraise. */
export const PARTY_GROUP_MIN_SIZE = 2;
/**
 * A target's distribution is shown to a reader only when at least this many ballots other than the
 * reader's own name it: with fewer, the counts (less the reader's own vote) would reveal how the few
 * other voters voted.
 */
export const MIN_VOTES_SHOWN = 3;
/** Days a list of 整改承诺 stays posted (公示) unless the command says otherwise; the source gives no number. */
export const DEFAULT_PUBLICITY_DAYS = 5;
export const MAX_PUBLICITY_DAYS = 30;

export const isParticipant = (m: Pick<Member, 'roles'>): boolean => m.roles.some((r) => APPRAISAL_ROLES.includes(r));
/** 预备党员可参加民主评议，但不评定等次 — whatever else the roster says about them. */
export const isGradable = (m: Pick<Member, 'roles'>): boolean => !m.roles.includes('probationary') && m.roles.some((r) => FULL_MEMBER_ROLES.includes(r));
export const isProbationary = (m: Pick<Member, 'roles'>): boolean => isParticipant(m) && !isGradable(m);

/** The branch members who take part in the appraisal, in roster order. */
export function participantsOf(roster: readonly Member[]): Member[] {
  return roster.filter(isParticipant);
}

/** Party groups of a unit: person id → group name. Empty = no groups, everyone appraises everyone. */
export type PartyGroups = ReadonlyMap<number, string>;

/**
 * The members a voter appraises besides the committee: everyone else taking part, or, when the
 * branch is split into 党小组, the other members of the voter's group.
 */
export function targetsOf(voterId: number, participants: readonly Member[], groups: PartyGroups): Member[] {
  const own = groups.size ? groups.get(voterId) : undefined;
  return participants.filter((m) => m.id !== voterId && (!groups.size || (own !== undefined && groups.get(m.id) === own)));
}

/** Whether the appraisal accepts votes at `now`: open and before its closing time. */
export function appraisalState(a: Pick<Appraisal, 'status' | 'closesAt'>, now: Date): 'open' | 'expired' | 'closed' {
  if (a.status === 'closed') return 'closed';
  if (a.closesAt && now.getTime() >= new Date(a.closesAt).getTime()) return 'expired';
  return 'open';
}

/** The closing instant of `截止 <日期> [时:分]`: the given minute, or the end of the day (24:00). */
export function closingInstant(date: LocalDate, time?: { hour: number; minute: number }): Date {
  return time ? atLocalTime(date, time.hour, time.minute) : atLocalTime(addDays(date, 1), 0, 0);
}

/** Opening: only a held 组织生活会, once per meeting; a closing time in the future; 党小组 complete. */
export function assertMayOpen(
  meeting: Meeting,
  existing: Pick<Appraisal, 'status'> | undefined,
  participants: readonly Member[],
  groups: PartyGroups,
  closesAt: Date | undefined,
  now: Date,
): void {
  if (meeting.kind !== 'org_life') throw userError('appraisal.notOrgLife', {});
  if (meeting.status !== 'held') throw userError('appraisal.meetingNotHeld', { date: meeting.date });
  if (existing?.status === 'open') throw userError('appraisal.alreadyOpen', {});
  if (existing?.status === 'closed') throw userError('appraisal.alreadyClosed', {});
  if (participants.length < 2) throw userError('appraisal.tooFew', { count: participants.length });
  if (closesAt && closesAt.getTime() <= now.getTime()) throw userError('appraisal.closesInPast', {});
  if (groups.size) {
    const ungrouped = participants.filter((m) => !groups.has(m.id)).map((m) => m.name);
    if (ungrouped.length) throw userError('partyGroup.incomplete', { names: ungrouped });
    const sizes = new Map<string, number>();
    for (const m of participants) sizes.set(groups.get(m.id)!, (sizes.get(groups.get(m.id)!) ?? 0) + 1);
    const small = [...sizes].filter(([, n]) => n < PARTY_GROUP_MIN_SIZE).map(([g]) => g);
    if (small.length) throw userError('partyGroup.tooSmall', { groups: small, min: PARTY_GROUP_MIN_SIZE });
  }
}

/** Votes are taken while the appraisal is open, from members taking part. */
export function assertMayVote(a: Pick<Appraisal, 'status' | 'closesAt'> | undefined, now: Date, voter: Member | undefined): void {
  if (!a) throw userError('appraisal.notOpen', {});
  const state = appraisalState(a, now);
  if (state === 'closed') throw userError('appraisal.closedNoVote', {});
  if (state === 'expired') throw userError('appraisal.expired', { closesAt: a.closesAt! });
  if (!voter || !isParticipant(voter)) throw userError('appraisal.notVoter', {});
}

export type BallotEntryCheck =
  | { ok: true }
  | { ok: false; reason: 'self' | 'notParticipant' | 'otherGroup' };

/** Whether `voterId` may appraise `target` (the committee always; a member if among their targets). */
export function checkTarget(voterId: number, target: Member, participants: readonly Member[], groups: PartyGroups): BallotEntryCheck {
  if (target.id === voterId) return { ok: false, reason: 'self' };
  if (!participants.some((p) => p.id === target.id)) return { ok: false, reason: 'notParticipant' };
  if (!targetsOf(voterId, participants, groups).some((t) => t.id === target.id)) return { ok: false, reason: 'otherGroup' };
  return { ok: true };
}

export interface BallotProgress {
  /** Voters who appraised the committee and every one of their targets. */
  complete: number[];
  partial: number[];
  none: number[];
}

/**
 * Who has voted how much — never what. `voted` maps a voter to the targets they have a ballot for.
 */
export function ballotProgress(participants: readonly Member[], groups: PartyGroups, voted: ReadonlyMap<number, ReadonlySet<BallotTarget>>): BallotProgress {
  const out: BallotProgress = { complete: [], partial: [], none: [] };
  for (const voter of participants) {
    const mine = voted.get(voter.id);
    const due: BallotTarget[] = ['committee', ...targetsOf(voter.id, participants, groups).map((m) => m.id)];
    const done = due.filter((t) => mine?.has(t)).length;
    if (done === 0) out.none.push(voter.id);
    else if (done === due.length) out.complete.push(voter.id);
    else out.partial.push(voter.id);
  }
  return out;
}

export interface TargetTally {
  votes: number;
  counts: Record<Grade, number>;
  /** Share of 优秀 among the ballots, 0–1. */
  excellentShare: number;
  /** Share of 优秀 or 合格 among the ballots, 0–1. */
  qualifiedShare: number;
  /** Comments without voter names, sorted so their order says nothing about who wrote them. */
  comments: string[];
  /** Who has a counted ballot on this target (never with their grades): to leave a reader's own vote out. */
  voterIds: number[];
}

export interface Tally {
  committee: TargetTally;
  members: Array<{ member: Member; tally: TargetTally }>;
  /** Voters with at least one counted ballot. */
  voters: number;
}

const emptyCounts = (): Record<Grade, number> => ({ excellent: 0, qualified: 0, basically_qualified: 0, unqualified: 0 });

function summarize(ballots: readonly Ballot[]): TargetTally {
  const counts = emptyCounts();
  for (const b of ballots) counts[b.grade] += 1;
  const votes = ballots.length;
  return {
    votes,
    counts,
    excellentShare: votes ? counts.excellent / votes : 0,
    qualifiedShare: votes ? (counts.excellent + counts.qualified) / votes : 0,
    comments: ballots.map((b) => b.comment?.trim() ?? '').filter(Boolean).sort(),
    voterIds: ballots.map((b) => b.voterId).sort((a, b) => a - b),
  };
}

/**
 * Whether `readerId` may see a target's distribution (and its comments): only when at least
 * {@link MIN_VOTES_SHOWN} ballots besides the reader's own were cast — a secretary who voted on a
 * target with two others would otherwise deduce the other two votes from the counts.
 */
export function distributionShown(t: Pick<TargetTally, 'votes' | 'voterIds'>, readerId: number): boolean {
  const others = t.votes - (t.voterIds.includes(readerId) ? 1 : 0);
  return others >= MIN_VOTES_SHOWN;
}

/**
 * Counts the ballots per target. Only ballots from members taking part, on targets they may
 * appraise, count; each voter has at most one ballot per target (the store upserts).
 */
export function tally(participants: readonly Member[], groups: PartyGroups, ballots: readonly Ballot[]): Tally {
  const voters = new Set<number>();
  const byTarget = new Map<BallotTarget, Ballot[]>();
  const seen = new Set<string>();
  for (const b of ballots) {
    const voter = participants.find((p) => p.id === b.voterId);
    if (!voter) continue;
    if (b.target !== 'committee') {
      const target = participants.find((p) => p.id === b.target);
      if (!target || !checkTarget(voter.id, target, participants, groups).ok) continue;
    }
    const key = `${b.voterId}:${b.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    voters.add(b.voterId);
    byTarget.set(b.target, [...(byTarget.get(b.target) ?? []), b]);
  }
  return {
    committee: summarize(byTarget.get('committee') ?? []),
    members: participants.map((m) => ({ member: m, tally: summarize(byTarget.get(m.id) ?? []) })),
    voters: voters.size,
  };
}

/** 组织评定: after the tally, full members only. */
export function assertMayGrade(a: Pick<Appraisal, 'status'> | undefined, member: Member): void {
  if (!a) throw userError('appraisal.notOpen', {});
  if (a.status !== 'closed') throw userError('grade.notClosed', {});
  if (!isParticipant(member)) throw userError('grade.notParticipant', { name: member.name });
  if (!isGradable(member)) throw userError('grade.probationary', { name: member.name });
}

/** 党小组 may be set only in a branch of 20 or more members, and not while an appraisal runs. */
export function assertMaySetGroups(participantCount: number, running: boolean): void {
  if (running) throw userError('partyGroup.locked', {});
  if (participantCount < PARTY_GROUP_MIN_BRANCH) throw userError('partyGroup.branchTooSmall', { count: participantCount, min: PARTY_GROUP_MIN_BRANCH });
}
