import { isParticipant, participantsOf, type Appraisal, type PartyGroups } from '../../domain/appraisal.js';
import { UserError } from '../../domain/errors.js';
import type { Meeting, Member } from '../../domain/types.js';
import { findAppraisal, partyGroupsOf } from '../../store/appraisal.repository.js';
import { currentMeeting } from '../../store/meeting.repository.js';
import { rolesIn, rosterOf, unitsOfPerson } from '../../store/person.repository.js';
import { getUnit, type Unit } from '../../store/unit.repository.js';
import type { UnitFormCommand } from '../../text/appraisal.js';
import { strip } from '../appraisal.parser.js';
import { actIn, requireUnit, type Ctx } from '../context.js';
import type { PersonRef } from '../types.js';

/** Everything the appraisal commands read about the unit, loaded once per command. */
export interface AppraisalScope {
  unit: Unit;
  meeting: Meeting | undefined;
  appraisal: Appraisal | undefined;
  roster: Member[];
  participants: Member[];
  groups: PartyGroups;
}

/**
 * How a command typed in a single chat by a member of several branches picks its branch: a branch
 * name typed as the first word, else the one branch whose scope `fits` (e.g. every name on the
 * ballot is taken part in there). Still several: the member is asked to name the branch.
 */
export interface UnitChoice {
  /** The form shown when the branch must be named. */
  command: UnitFormCommand;
  /** The first word typed, which may be a branch's name. */
  word?: string | undefined;
  fits?: (scope: AppraisalScope) => boolean;
}

/** The scope and what the choice of unit used. */
export interface ChosenScope extends AppraisalScope {
  /** The first word was the branch's name (the handler drops it from the command). */
  wordUsed: boolean;
  /** The sender takes part in the appraisals of several branches, so examples must name this one. */
  severalUnits: boolean;
}

/**
 * The unit a command is about. In a single chat the dispatcher knows the unit only when the sender
 * belongs to one; a member of several units (say, a branch member who is also 上级 elsewhere) votes
 * in the one unit where they take part in an appraisal, or — member of two branches whose appraisals
 * both run — the one named first or the one `choice.fits`.
 */
export async function appraisalScope(ctx: Ctx, choice?: UnitChoice): Promise<ChosenScope> {
  let unit = ctx.unit;
  let wordUsed = false;
  let severalUnits = false;
  if (!unit && ctx.msg.chatType === 'private' && ctx.actor) {
    const actor = ctx.actor;
    const candidates = await appraisalCandidates(ctx, actor.id);
    const open = candidates.filter((c) => c.open);
    const pool = open.length ? open : candidates;
    severalUnits = pool.length > 1;
    const word = choice?.word && strip(choice.word);
    const named = word ? await namedUnit(ctx, actor.id, word) : undefined;
    if (named) {
      unit = named;
      wordUsed = true;
    } else if (pool.length === 1) unit = pool[0]!.unit;
    else if (pool.length > 1 && choice) {
      const fitting = [];
      if (choice.fits) for (const c of pool) if (choice.fits(await scopeOf(ctx, c.unit))) fitting.push(c);
      if (fitting.length !== 1) throw new UserError('appraisal.whichUnit', { units: pool.map((c) => c.unit.name), command: choice.command });
      unit = fitting[0]!.unit;
    }
    if (unit) {
      await actIn(ctx, unit);
      actor.roles = await rolesIn(ctx.db, unit.id, actor.id);
      return { ...(await scopeOf(ctx, unit)), wordUsed, severalUnits };
    }
  } else if (unit && choice?.word && ctx.msg.chatType === 'private' && ctx.actor) {
    // A member of one branch may also write its name first (the form the ballot shows to members of several).
    wordUsed = (await namedUnit(ctx, ctx.actor.id, strip(choice.word)))?.id === unit.id;
  }
  if (!unit) {
    if (ctx.pendingName) throw new UserError('identity.pending', { name: ctx.pendingName });
    if (ctx.privateUnits) throw new UserError('unit.privateAmbiguous', { units: ctx.privateUnits });
    unit = requireUnit(ctx);
  }
  const roster = await ctx.roster();
  return { ...(await scopeOf(ctx, unit, roster)), wordUsed, severalUnits };
}

export async function scopeOf(ctx: Ctx, unit: Unit, known?: Member[]): Promise<AppraisalScope> {
  const roster = known ?? (await rosterOf(ctx.db, unit.id));
  const meeting = await currentMeeting(ctx.db, unit.id);
  const appraisal = meeting ? await findAppraisal(ctx.db, meeting.id) : undefined;
  return { unit, meeting, appraisal, roster, participants: participantsOf(roster), groups: await partyGroupsOf(ctx.db, unit.id) };
}

/** The person's unit of that name. */
async function namedUnit(ctx: Ctx, personId: number, name: string): Promise<Unit | undefined> {
  for (const unitId of await unitsOfPerson(ctx.db, personId)) {
    const unit = await getUnit(ctx.db, unitId);
    if (unit?.name === name) return unit;
  }
  return undefined;
}

/** The person's units whose current meeting has an appraisal they take part in. */
async function appraisalCandidates(ctx: Ctx, personId: number): Promise<Array<{ unit: Unit; open: boolean }>> {
  const candidates: Array<{ unit: Unit; open: boolean }> = [];
  for (const unitId of await unitsOfPerson(ctx.db, personId)) {
    if (!isParticipant({ roles: await rolesIn(ctx.db, unitId, personId) })) continue;
    const meeting = await currentMeeting(ctx.db, unitId);
    const appraisal = meeting ? await findAppraisal(ctx.db, meeting.id) : undefined;
    const unit = appraisal ? await getUnit(ctx.db, unitId) : undefined;
    if (unit && appraisal) candidates.push({ unit, open: appraisal.status === 'open' });
  }
  return candidates;
}

/** Whether the person takes part (as a member) in another unit than `unitId`: their forms then name the branch. */
export async function takesPartElsewhere(ctx: Ctx, personId: number, unitId: number): Promise<boolean> {
  for (const other of await unitsOfPerson(ctx.db, personId)) {
    if (other !== unitId && isParticipant({ roles: await rolesIn(ctx.db, other, personId) })) return true;
  }
  return false;
}

/** A leadership team's 民主生活会 has no appraisal to wait for: say so rather than "not started yet". */
export function assertOrgLife(scope: Pick<AppraisalScope, 'meeting'>): void {
  if (scope.meeting && scope.meeting.kind !== 'org_life') throw new UserError('appraisal.notOrgLife', {});
}

export function requireAppraisal(scope: AppraisalScope): { appraisal: Appraisal; meeting: Meeting } {
  assertOrgLife(scope);
  if (!scope.appraisal || !scope.meeting) throw new UserError('appraisal.none', {});
  return { appraisal: scope.appraisal, meeting: scope.meeting };
}

/** The roster person an @name (or bare name) means; unknown or ambiguous names are asked back. */
export function memberByRef(roster: readonly Member[], ref: PersonRef): Member {
  const matches = roster.filter((m) => m.name === ref.name);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new UserError('member.ambiguous', { name: ref.name, count: matches.length });
  throw new UserError('member.notFound', { name: ref.name });
}

/** 党小组 as a list of groups in the order they were set, with their members' names. */
export function groupList(groups: PartyGroups, roster: readonly Member[]): Array<{ name: string; names: string[] }> {
  const byName = new Map<string, string[]>();
  const nameOf = new Map(roster.map((m) => [m.id, m.name]));
  for (const [personId, group] of groups) {
    const name = nameOf.get(personId);
    if (name !== undefined) byName.set(group, [...(byName.get(group) ?? []), name]);
  }
  return [...byName].map(([name, names]) => ({ name, names }));
}
