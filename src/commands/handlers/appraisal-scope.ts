import { isParticipant, participantsOf, type Appraisal, type PartyGroups } from '../../domain/appraisal.js';
import { UserError } from '../../domain/errors.js';
import type { Meeting, Member } from '../../domain/types.js';
import { findAppraisal, partyGroupsOf } from '../../store/appraisal.repository.js';
import { currentMeeting } from '../../store/meeting.repository.js';
import { rolesIn, rosterOf, unitsOfPerson } from '../../store/person.repository.js';
import { getUnit, type Unit } from '../../store/unit.repository.js';
import { requireUnit, type Ctx } from '../context.js';
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
 * The unit a command is about. In a single chat the dispatcher knows the unit only when the sender
 * belongs to one; a member of several units (say, a branch member who is also 上级 elsewhere) votes
 * in the one unit where they take part in an appraisal.
 */
export async function appraisalScope(ctx: Ctx): Promise<AppraisalScope> {
  let unit = ctx.unit;
  let roster: Member[] | undefined;
  if (!unit && ctx.msg.chatType === 'private' && ctx.actor) {
    unit = await unitOfAppraisal(ctx, ctx.actor.id);
    if (unit) {
      ctx.unit = unit;
      ctx.actor.roles = await rolesIn(ctx.db, unit.id, ctx.actor.id);
      roster = await rosterOf(ctx.db, unit.id);
    }
  }
  if (!unit) {
    if (ctx.pendingName) throw new UserError('identity.pending', { name: ctx.pendingName });
    if (ctx.privateUnits) throw new UserError('unit.privateAmbiguous', { units: ctx.privateUnits });
    unit = requireUnit(ctx);
  }
  roster ??= await ctx.roster();
  const meeting = await currentMeeting(ctx.db, unit.id);
  const appraisal = meeting ? await findAppraisal(ctx.db, meeting.id) : undefined;
  return { unit, meeting, appraisal, roster, participants: participantsOf(roster), groups: await partyGroupsOf(ctx.db, unit.id) };
}

/** Among the person's units, the one whose current appraisal they take part in (an open one first). */
async function unitOfAppraisal(ctx: Ctx, personId: number): Promise<Unit | undefined> {
  const candidates: Array<{ unit: Unit; open: boolean }> = [];
  for (const unitId of await unitsOfPerson(ctx.db, personId)) {
    if (!isParticipant({ roles: await rolesIn(ctx.db, unitId, personId) })) continue;
    const meeting = await currentMeeting(ctx.db, unitId);
    const appraisal = meeting ? await findAppraisal(ctx.db, meeting.id) : undefined;
    const unit = appraisal ? await getUnit(ctx.db, unitId) : undefined;
    if (unit && appraisal) candidates.push({ unit, open: appraisal.status === 'open' });
  }
  const open = candidates.filter((c) => c.open);
  if (open.length === 1) return open[0]!.unit;
  return candidates.length === 1 ? candidates[0]!.unit : undefined;
}

export function requireAppraisal(scope: AppraisalScope): { appraisal: Appraisal; meeting: Meeting } {
  // A leadership team's 民主生活会 has no appraisal to wait for: say so rather than "not started yet".
  if (scope.meeting && scope.meeting.kind !== 'org_life') throw new UserError('appraisal.notOrgLife', {});
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
