import { UserError } from '../../domain/errors.js';
import { talkCoverage } from '../../domain/talks.js';
import type { Member } from '../../domain/types.js';
import { addTalk, previousMeeting, talkPairs } from '../../store/meeting.repository.js';
import { addDays } from '../../domain/dates.js';
import { here, privately, record, requireActor, resolveMember, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';
import { requireMeeting } from './meeting.handler.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

/**
 * /谈心 @某人 [日期] [方式] [备注]: the sender talked with each person named. An operator who names
 * two people logs the talk between them. The note is stored, never echoed to the group.
 */
export async function logTalk(cmd: C<'talk.log'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const meeting = await requireMeeting(ctx);
  const people: Member[] = [];
  for (const ref of cmd.with) {
    const p = await resolveMember(ctx, ref);
    if (!people.some((q) => q.id === p.id)) people.push(p); // a name typed twice is one person
  }
  let pairs: Array<[Member | { id: number; name: string }, Member]>;
  const sender = { id: actor.id, name: actor.name };
  if (people.some((p) => p.id === actor.id)) {
    const others = people.filter((p) => p.id !== actor.id);
    if (others.length === 0) {
      // The example names someone the sender could have talked with.
      const other = (await ctx.roster()).find((m) => m.id !== actor.id && m.roles.some((r) => r === 'principal' || r === 'member' || r === 'party_member'));
      throw new UserError('talk.self', { example: other?.name ?? '谈话对象' });
    }
    pairs = people.length === 2 && actor.roles.includes('operator') ? [[people[0]!, people[1]!]] : others.map((o) => [sender, o]);
  } else if (people.length === 2 && actor.roles.includes('operator') && !actor.roles.some((r) => r === 'principal' || r === 'member')) {
    pairs = [[people[0]!, people[1]!]];
  } else {
    pairs = people.map((p) => [sender, p]);
  }
  const date = cmd.date ?? ctx.today;
  // A talk of this meeting's preparation: after the unit's last meeting, and within a year of this one.
  const previous = await previousMeeting(ctx.db, meeting);
  const from = previous ? (previous.heldOn ?? previous.date) : addDays(meeting.date, -365);
  if (date <= from) throw new UserError('talk.tooEarly', { date, from });
  for (const [x, y] of pairs) {
    await addTalk(ctx.db, { meetingId: meeting.id, x: x.id, y: y.id, date, mode: cmd.mode, note: cmd.note ?? null, by: actor.id }, ctx.now);
    await record(ctx, 'talk.log', 'meeting', meeting.id, { a: x.id, b: y.id, mode: cmd.mode });
  }
  const coverage = talkCoverage(meeting.kind, await ctx.roster(), await talkPairs(ctx.db, meeting.id));
  const first = pairs[0]![0];
  const withNames = pairs.map(([, y]) => y.name);
  const out: Out[] = [here('talk.logged', { actor: first.name, with: withNames, date, mode: cmd.mode, percent: coverage.percent, notePrivate: Boolean(cmd.note) })];
  if (cmd.note && ctx.msg.chatType === 'group') out.push(privately(sender, 'talk.notePrivate', { with: withNames, date }));
  return out;
}

export async function talkStatus(_cmd: C<'talk.status'>, ctx: Ctx): Promise<Out[]> {
  const meeting = await requireMeeting(ctx);
  const c = talkCoverage(meeting.kind, await ctx.roster(), await talkPairs(ctx.db, meeting.id));
  return [here('talk.status', {
    done: c.done, total: c.required.length, percent: c.percent,
    missing: c.missing.map((p) => `${p.a.name}—${p.b.name}`),
    expectedMissing: c.expectedMissing.length, expectedTotal: c.expectedTotal,
  })];
}
