import { addDays } from '../../domain/dates.js';
import { DEFAULT_PUBLICITY_DAYS, isParticipant } from '../../domain/appraisal.js';
import { UserError } from '../../domain/errors.js';
import { setPublicity, textAuthors, textsOf, upsertText } from '../../store/appraisal.repository.js';
import { itemsOfUnit } from '../../store/item.repository.js';
import { here, record, requireActor, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';
import { appraisalScope, requireAppraisal } from './appraisal-scope.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

/**
 * /承诺 [支部名称] <内容>: a member's 整改承诺 after the appraisal. The content is not confidential, but it
 * reaches the group only with the 公示; a commitment typed in the group is acknowledged without it.
 */
export async function submitCommitment(cmd: C<'commitment.submit'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  // A member of two branches writes the branch first in a single chat: `/承诺 第二党支部 <内容>`.
  const [firstWord, ...rest] = cmd.content.split(' ');
  const s = await appraisalScope(ctx, { command: 'commitment', word: firstWord });
  const content = s.wordUsed ? rest.join(' ').trim() : cmd.content;
  if (!content) throw new UserError('command.usage', { command: '承诺' });
  const { appraisal } = requireAppraisal(s);
  if (appraisal.status !== 'closed') throw new UserError('commitment.notYet', {});
  const me = s.participants.find((m) => m.id === actor.id);
  if (!me) throw new UserError('commitment.notParticipant', {});
  const first = await upsertText(ctx.db, appraisal.id, me.id, 'commitment', content, ctx.now);
  await record(ctx, 'commitment.submit', 'appraisal', appraisal.id, {});
  return [ctx.msg.chatType === 'group' ? here('commitment.savedGroup', { name: me.name, first }) : here('commitment.savedPrivate', { first })];
}

export async function commitmentStatus(_cmd: C<'commitment.status'>, ctx: Ctx): Promise<Out[]> {
  const s = await appraisalScope(ctx);
  const { appraisal } = requireAppraisal(s);
  const done = await textAuthors(ctx.db, appraisal.id, 'commitment');
  return [here('commitment.status', {
    done: s.participants.filter((m) => done.has(m.id)).length,
    total: s.participants.length,
    missing: s.participants.filter((m) => !done.has(m.id)).map((m) => m.name),
  })];
}

/**
 * /公示 [天数]: posts the members' commitments and the meeting's rectification items in the group
 * (整改内容和完成情况要在一定范围公示). The period is recorded; the post goes out once.
 */
export async function postPublicity(cmd: C<'publicity.post'>, ctx: Ctx): Promise<Out[]> {
  if (ctx.msg.chatType !== 'group') throw new UserError('publicity.groupOnly', {});
  const s = await appraisalScope(ctx);
  const { appraisal, meeting } = requireAppraisal(s);
  if (appraisal.status !== 'closed') throw new UserError('publicity.notClosed', {});
  const texts = await textsOf(ctx.db, appraisal.id, 'commitment');
  const rows = s.participants.filter((m) => texts.has(m.id)).map((m) => ({ name: m.name, content: texts.get(m.id)! }));
  if (rows.length === 0) throw new UserError('publicity.empty', {});
  const days = cmd.days ?? DEFAULT_PUBLICITY_DAYS;
  await setPublicity(ctx.db, appraisal.id, days, ctx.today);
  await record(ctx, 'publicity.post', 'appraisal', appraisal.id, { days, commitments: rows.length });
  const items = (await itemsOfUnit(ctx.db, s.unit.id)).filter((i) => i.meetingId === meeting.id)
    .map((i) => ({ no: i.no, content: i.content, owners: i.owners.map((o) => o.name), deadline: i.deadline }));
  const missing = s.participants.filter((m) => isParticipant(m) && !texts.has(m.id)).map((m) => m.name);
  const out: Out[] = [here('publicity.posted', { unit: s.unit.name, days, from: ctx.today, until: addDays(ctx.today, days - 1), rows, items })];
  if (missing.length) out.push(here('publicity.missing', { names: missing }));
  return out;
}
