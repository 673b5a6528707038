import {
  appraisalState, assertMayGrade, assertMayOpen, assertMayVote, ballotProgress, checkTarget, closingInstant, distributionShown, isGradable, isProbationary,
  MIN_VOTES_SHOWN, participantsOf, tally, targetsOf, type BallotTarget, type Grade, type TargetTally,
} from '../../domain/appraisal.js';
import { UserError } from '../../domain/errors.js';
import { dueDate } from '../../domain/meeting.js';
import { offsetsFor, stepRule } from '../../domain/rules.js';
import type { Member } from '../../domain/types.js';
import {
  ballotOf, ballotsForTally, closeAppraisal, createAppraisal, gradesOf, ownText, textAuthors, upsertBallot, upsertGrade, upsertText, votedTargets,
} from '../../store/appraisal.repository.js';
import { recordStep } from '../../store/meeting.repository.js';
import { textOf } from '../../text/index.js';
import type { BallotHint, TallyLine } from '../../text/appraisal.js';
import { ballotWords, parseBallot, type BallotParse } from '../appraisal.parser.js';
import { announce, here, privately, record, requireActor, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';
import { appraisalScope, assertOrgLife, groupList, memberByRef, requireAppraisal, scopeOf, takesPartElsewhere, type AppraisalScope, type ChosenScope } from './appraisal-scope.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

const nowOf = (ctx: Ctx): Date => new Date(ctx.now);

/**
 * Ballots and self-appraisals are taken only in the single chat. This runs before anything else
 * reads the command, so a ballot typed in a group is refused without repeating a word of it.
 */
function assertPrivate(ctx: Ctx): void {
  if (ctx.msg.chatType !== 'private') throw new UserError('ballot.inGroup', {});
}

/** /评议 开始 [截止 <日期> [时:分]]: in the branch's group, after the 组织生活会 is held. */
export async function openAppraisal(cmd: C<'appraisal.open'>, ctx: Ctx): Promise<Out[]> {
  if (ctx.msg.chatType !== 'group') throw new UserError('appraisal.groupOnly', { action: 'open' });
  const actor = requireActor(ctx);
  const s = await appraisalScope(ctx);
  if (!s.meeting) throw new UserError('meeting.none', {});
  const closesAt = cmd.closesOn ? closingInstant(cmd.closesOn, cmd.closesTime) : undefined;
  assertMayOpen(s.meeting, s.appraisal, s.participants, s.groups, closesAt, nowOf(ctx));
  const appraisal = await createAppraisal(ctx.db, { meetingId: s.meeting.id, unitId: s.unit.id, by: actor.id, closesAt: closesAt?.toISOString() ?? null }, ctx.now);
  await record(ctx, 'appraisal.open', 'appraisal', appraisal.id, { meeting: s.meeting.id, participants: s.participants.length, closesAt: appraisal.closesAt });
  const out: Out[] = [
    here('appraisal.opened', {
      unit: s.unit.name,
      participants: s.participants.map((m) => m.name),
      probationary: s.participants.filter(isProbationary).map((m) => m.name),
      closesAt: appraisal.closesAt,
      groups: groupList(s.groups, s.roster),
    }),
  ];
  for (const voter of s.participants) out.push(await ballotFormOf(ctx, s, voter, appraisal.closesAt));
  return out;
}

/** The ballot form sent privately to one voter. */
async function ballotFormOf(ctx: Ctx, s: AppraisalScope, voter: Member, closesAt: string | null): Promise<Out> {
  const targets = targetsOf(voter.id, s.participants, s.groups).map((m) => m.name);
  const nameUnit = await takesPartElsewhere(ctx, voter.id, s.unit.id);
  return privately(voter, 'ballot.instructions', { unit: s.unit.name, targets, group: s.groups.get(voter.id), closesAt, nameUnit });
}

/**
 * Members added to the branch while its appraisal is open take part from then on: each gets the
 * ballot form privately, and the group is told who joined (the others' lists now name them too).
 */
export async function ballotsForNewMembers(ctx: Ctx, before: readonly Member[]): Promise<Out[]> {
  if (!ctx.unit) return [];
  const s = await scopeOf(ctx, ctx.unit); // the roster read afresh: the command has just changed it
  if (s.appraisal?.status !== 'open') return [];
  // Those who take part now and did not before (a new role for someone already voting changes nothing).
  const took = new Set(participantsOf(before).map((m) => m.id));
  const joined = s.participants.filter((m) => !took.has(m.id));
  if (joined.length === 0) return [];
  const out: Out[] = [...announce(ctx, 'appraisal.joined', { names: joined.map((m) => m.name) })];
  for (const voter of joined) out.push(await ballotFormOf(ctx, s, voter, s.appraisal.closesAt));
  return out;
}

/** /评议 进度: who has voted how much and who has self-appraised — names and counts, never choices. */
export async function appraisalProgress(_cmd: C<'appraisal.progress'>, ctx: Ctx): Promise<Out[]> {
  const s = await appraisalScope(ctx);
  const { appraisal } = requireAppraisal(s);
  const progress = ballotProgress(s.participants, s.groups, await votedTargets(ctx.db, appraisal.id));
  const selfDone = await textAuthors(ctx.db, appraisal.id, 'self');
  const nameOf = new Map(s.participants.map((m) => [m.id, m.name]));
  const gradable = s.participants.filter(isGradable);
  const grades = appraisal.status === 'closed' ? await gradesOf(ctx.db, appraisal.id) : undefined;
  return [
    here('appraisal.progress', {
      total: s.participants.length,
      complete: progress.complete.length,
      partial: progress.partial.map((id) => nameOf.get(id) ?? ''),
      none: progress.none.map((id) => nameOf.get(id) ?? ''),
      selfDone: s.participants.filter((m) => selfDone.has(m.id)).length,
      selfMissing: s.participants.filter((m) => !selfDone.has(m.id)).map((m) => m.name),
      state: appraisalState(appraisal, nowOf(ctx)),
      closesAt: appraisal.closesAt,
      graded: grades ? { done: gradable.filter((m) => grades.has(m.id)).length, total: gradable.length } : undefined,
    }),
  ];
}

/** One target's line of the tally as `reader` may see it: the distribution only with enough ballots besides the reader's own. */
function tallyLine(reader: Member, name: string, t: TargetTally, probationary = false): TallyLine {
  const shown = distributionShown(t, reader.id);
  const line: TallyLine = {
    name, votes: t.votes, shown, ownVote: t.voterIds.includes(reader.id),
    counts: t.counts, excellentShare: t.excellentShare, qualifiedShare: t.qualifiedShare, comments: shown ? t.comments : [],
  };
  if (probationary) line.probationary = true;
  return line;
}

/** The branch's secretary (principal) and operators: the only people who receive the tally. */
function resultRecipients(s: AppraisalScope): Member[] {
  return s.roster.filter((m) => m.roles.includes('principal') || m.roles.includes('operator'));
}

/**
 * /评议 结束: closes the vote, in the branch's group as /评议 开始 (a reply in a single chat would tell
 * the group nothing). The group learns only that it closed and how many voted; the counts per member
 * go privately to the secretary and the operators, each seeing a distribution only where ballots
 * besides their own are enough.
 */
export async function closeAppraisalCmd(_cmd: C<'appraisal.close'>, ctx: Ctx): Promise<Out[]> {
  if (ctx.msg.chatType !== 'group') throw new UserError('appraisal.groupOnly', { action: 'close' });
  const actor = requireActor(ctx);
  const s = await appraisalScope(ctx);
  const { appraisal, meeting } = requireAppraisal(s);
  if (appraisal.status === 'closed') throw new UserError('appraisal.alreadyEnded', {});
  await closeAppraisal(ctx.db, appraisal.id, actor.id, ctx.now);
  const result = tally(s.participants, s.groups, await ballotsForTally(ctx.db, appraisal.id));
  const progress = ballotProgress(s.participants, s.groups, await votedTargets(ctx.db, appraisal.id));
  const selfDone = await textAuthors(ctx.db, appraisal.id, 'self');
  await record(ctx, 'appraisal.close', 'appraisal', appraisal.id, { voters: result.voters, complete: progress.complete.length });
  const filing = stepRule(meeting.kind, 'filing');
  const filingDue = (filing && dueDate(filing, meeting.date, offsetsFor(s.unit.settings, meeting.kind))) ?? meeting.date;
  const recipients = resultRecipients(s);
  const tallyFor = (reader: Member) => ({
    unit: s.unit.name,
    total: s.participants.length,
    voters: result.voters,
    complete: progress.complete.length,
    committee: tallyLine(reader, textOf('appraisal.committeeName', {}), result.committee),
    members: result.members.map((m) => tallyLine(reader, m.member.name, m.tally, isProbationary(m.member))),
    selfDone: s.participants.filter((m) => selfDone.has(m.id)).length,
    min: MIN_VOTES_SHOWN,
  });
  return [
    here('appraisal.closed', { total: s.participants.length, voters: result.voters, complete: progress.complete.length, filingDue, recipients: recipients.map((r) => r.name) }),
    ...recipients.map((r) => privately(r, 'appraisal.tally', tallyFor(r))),
  ];
}

/** Resolves and checks every entry of a ballot before anything is stored: a ballot counts whole or not at all. */
function resolveBallot(ballot: BallotParse, voter: Member, s: AppraisalScope): Array<{ target: BallotTarget; label: string; grade: Grade; comment: string | null }> {
  if (!ballot.ok) throw new UserError(ballot.error.key, ballot.error.params);
  const committee = textOf('appraisal.committeeName', {});
  const seen = new Set<BallotTarget>();
  const resolved = ballot.entries.map((e) => {
    let target: BallotTarget;
    let label: string;
    if (e.target === 'committee') {
      target = 'committee';
      label = committee;
    } else {
      const member = memberByRef(s.roster, e.target);
      const check = checkTarget(voter.id, member, s.participants, s.groups);
      if (!check.ok) {
        if (check.reason === 'self') throw new UserError('ballot.self', {});
        if (check.reason === 'notParticipant') throw new UserError('ballot.notParticipant', { name: member.name });
        throw new UserError('ballot.otherGroup', { name: member.name, group: s.groups.get(voter.id) ?? '' });
      }
      target = member.id;
      label = member.name;
    }
    if (seen.has(target)) throw new UserError('ballot.duplicate', { target: label });
    seen.add(target);
    // `钱委员 合格 吴委员 冯党员 合格`: 吴委员 lost its grade and became a comment on 钱委员 — ask, do not guess.
    const [firstWord, secondWord] = e.commentMarked ? [] : (e.comment?.split(' ') ?? []);
    const name = firstWord?.replace(/^@+/, '');
    if (name && s.roster.some((m) => m.name === name)) throw new UserError('ballot.commentLooksLikeTarget', { name, previous: label, typed: secondWord });
    return { target, label, grade: e.grade, comment: e.comment ?? null };
  });
  return resolved;
}

/** The committee and the voter's targets, with what the voter has chosen so far. */
async function ballotSheet(ctx: Ctx, s: AppraisalScope, appraisalId: number, voter: Member) {
  const mine = new Map((await ballotOf(ctx.db, appraisalId, voter.id)).map((b) => [b.target, b]));
  const targets: Array<{ target: BallotTarget; label: string }> = [
    { target: 'committee', label: textOf('appraisal.committeeName', {}) },
    ...targetsOf(voter.id, s.participants, s.groups).map((m) => ({ target: m.id as BallotTarget, label: m.name })),
  ];
  return targets.map((t) => ({ ...t, ballot: mine.get(t.target) }));
}

/** The names a voter's examples may use (their own targets) and the branch to name first when they take part in several. */
function hintFor(s: ChosenScope, voterId: number): BallotHint {
  return { sample: targetsOf(voterId, s.participants, s.groups).map((m) => m.name), unit: s.severalUnits ? s.unit.name : undefined };
}

/** Reads a ballot's words with the branch's roster. */
function readBallot(words: readonly string[], s: ChosenScope, voterId: number): BallotParse {
  return parseBallot(words, { names: s.roster.map((m) => m.name), hint: hintFor(s, voterId) });
}

/** A ballot fits a branch when it reads and every name on it takes part there. */
function ballotFits(words: readonly string[], voterId: number) {
  return (s: AppraisalScope): boolean => {
    const b = parseBallot(words, { names: s.roster.map((m) => m.name), hint: { sample: [] } });
    return b.ok && b.entries.every((e) => e.target === 'committee' || s.participants.some((m) => m.name === (e.target as { name: string }).name && m.id !== voterId));
  };
}

/**
 * /测评 [支部名称] …: the voter's ballot, in the single chat only; each target's latest choice counts.
 * A member of two branches names the branch first, unless the names on the ballot tell which.
 */
export async function vote(cmd: C<'appraisal.vote'>, ctx: Ctx): Promise<Out[]> {
  assertPrivate(ctx);
  const actor = requireActor(ctx);
  const words = ballotWords(cmd.words);
  const s = await appraisalScope(ctx, { command: 'vote', word: words[0], fits: ballotFits(words, actor.id) });
  const voter = s.roster.find((m) => m.id === actor.id);
  assertOrgLife(s);
  assertMayVote(s.appraisal, nowOf(ctx), voter);
  const appraisal = s.appraisal!;
  const entries = resolveBallot(readBallot(s.wordUsed ? words.slice(1) : words, s, voter!.id), voter!, s);
  for (const e of entries) await upsertBallot(ctx.db, { appraisalId: appraisal.id, voterId: voter!.id, target: e.target, grade: e.grade, comment: e.comment }, ctx.now);
  await record(ctx, 'appraisal.vote', 'appraisal', appraisal.id, { entries: entries.length });
  const sheet = await ballotSheet(ctx, s, appraisal.id, voter!);
  return [
    here('ballot.saved', {
      entries: entries.map((e) => ({ target: e.label, grade: e.grade, comment: e.comment })),
      done: sheet.filter((r) => r.ballot).length,
      total: sheet.length,
      missing: sheet.filter((r) => !r.ballot).map((r) => r.label),
      closesAt: appraisal.closesAt,
      unit: s.severalUnits ? s.unit.name : undefined,
    }),
  ];
}

/** /测评 我的: the voter's own ballot so far, in the single chat only. */
export async function myBallot(cmd: C<'appraisal.mine'>, ctx: Ctx): Promise<Out[]> {
  if (ctx.msg.chatType !== 'private') throw new UserError('ballot.privateOnly', {});
  const actor = requireActor(ctx);
  const s = await appraisalScope(ctx, { command: 'mine', word: cmd.unitWord });
  if (cmd.unitWord !== undefined && !s.wordUsed) throw new UserError('command.usage', { command: '测评' });
  const { appraisal } = requireAppraisal(s);
  const voter = s.participants.find((m) => m.id === actor.id);
  if (!voter) throw new UserError('appraisal.notVoter', {});
  const sheet = await ballotSheet(ctx, s, appraisal.id, voter);
  return [
    here('ballot.mine', {
      rows: sheet.map((r) => ({ target: r.label, grade: r.ballot?.grade, comment: r.ballot?.comment })),
      closesAt: appraisal.closesAt,
      open: appraisalState(appraisal, nowOf(ctx)) === 'open',
      group: s.groups.get(voter.id),
      hint: hintFor(s, voter.id),
    }),
  ];
}

/** /自评 <内容>: the member's self-appraisal against 四个合格, in the single chat only. */
export async function selfAppraisal(cmd: C<'appraisal.self'>, ctx: Ctx): Promise<Out[]> {
  assertPrivate(ctx);
  const actor = requireActor(ctx);
  const [firstWord, ...rest] = cmd.content.split(' ');
  const s = await appraisalScope(ctx, { command: 'self', word: firstWord });
  const content = s.wordUsed ? rest.join(' ').trim() : cmd.content;
  if (!content) throw new UserError('appraisal.selfEmpty', {});
  const me = s.roster.find((m) => m.id === actor.id);
  assertOrgLife(s);
  assertMayVote(s.appraisal, nowOf(ctx), me);
  const appraisal = s.appraisal!;
  const first = await upsertText(ctx.db, appraisal.id, actor.id, 'self', content, ctx.now);
  await record(ctx, 'appraisal.self', 'appraisal', appraisal.id, {});
  return [here('appraisal.selfSaved', { first, closesAt: appraisal.closesAt })];
}

/** /自评 我的: the member's own self-appraisal, read back in the single chat only. */
export async function mySelfAppraisal(_cmd: C<'appraisal.selfMine'>, ctx: Ctx): Promise<Out[]> {
  assertPrivate(ctx);
  const actor = requireActor(ctx);
  const s = await appraisalScope(ctx, { command: 'self' });
  assertOrgLife(s);
  const { appraisal } = requireAppraisal(s);
  const content = await ownText(ctx.db, appraisal.id, actor.id, 'self');
  return [here('appraisal.selfMine', { content, open: appraisal.status === 'open' })];
}

/**
 * /评定 @某人 <等次> [<姓名> <等次> …]: the branch's grade (组织评定), by the secretary, after the
 * tally; each member is told privately. In a group the reply does not repeat the grades.
 */
export async function gradeMembers(cmd: C<'appraisal.grade'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const names = cmd.entries.map((e) => e.who.name);
  const s = await appraisalScope(ctx, { command: 'grade', word: cmd.unitWord, fits: (scope) => names.every((n) => scope.participants.some((m) => m.name === n)) });
  // `/评定 钱委员 郑党员 合格`: the first word was not a branch but a name left without its grade.
  if (cmd.unitWord !== undefined && !s.wordUsed) throw new UserError('grade.gradeMissing', { name: cmd.unitWord.replace(/^@+/, '') });
  // The branch may have been picked here (a single chat): 组织评定 is its secretary's.
  if (!actor.roles.includes('principal')) throw new UserError('permission.denied', { roles: ['principal'] });
  const { appraisal, meeting } = requireAppraisal(s);
  const seen = new Set<number>();
  const entries = cmd.entries.map((e) => {
    const member = memberByRef(s.roster, e.who);
    assertMayGrade(appraisal, member);
    if (seen.has(member.id)) throw new UserError('grade.duplicate', { name: member.name });
    seen.add(member.id);
    return { member, grade: e.grade };
  });
  const before = await gradesOf(ctx.db, appraisal.id);
  const out: Out[] = [];
  const rows: Array<{ name: string; grade: Grade; changed: boolean }> = [];
  for (const { member, grade } of entries) {
    await upsertGrade(ctx.db, appraisal.id, member.id, grade, actor.id, ctx.now);
    await record(ctx, 'appraisal.grade', 'person', member.id, { appraisal: appraisal.id });
    const changed = before.has(member.id) && before.get(member.id) !== grade;
    rows.push({ name: member.name, grade, changed });
    out.push(privately(member, 'grade.private', { unit: s.unit.name, grade, changed }));
  }
  const grades = await gradesOf(ctx.db, appraisal.id);
  const gradable = s.participants.filter(isGradable);
  const missing = gradable.filter((m) => !grades.has(m.id)).map((m) => m.name);
  const stepRecorded = missing.length === 0 && (await recordStep(ctx.db, meeting.id, 'grading', ctx.today, actor.id, null, ctx.now));
  if (stepRecorded) await record(ctx, 'step.done', 'meeting', meeting.id, { step: 'grading' });
  out.unshift(here('grade.saved', { rows, showGrades: ctx.msg.chatType === 'private', done: gradable.length - missing.length, total: gradable.length, missing, stepRecorded }));
  return out;
}
