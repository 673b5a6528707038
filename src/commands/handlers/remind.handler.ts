import { UserError } from '../../domain/errors.js';
import { unitRules } from '../../scheduler/due.js';
import { saveUnitSettings } from '../../store/unit.repository.js';
import { here, record, requireActor, requireUnit, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

/**
 * /稍后 [编号]: the person addressed by a reminder hears of it again on the next working day —
 * never past the deadline and never for an overdue item. Without a number: the latest reminder
 * addressed to the sender (answering the reminder).
 */
export async function snooze(cmd: C<'snooze'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const unit = requireUnit(ctx);
  const mine = `%,${actor.id},%`;
  const row = cmd.no !== undefined
    ? await ctx.db.selectFrom('reminder_log').select(['id', 'subject', 'due_date', 'kind', 'person_ids', 'unit_id']).where('id', '=', cmd.no).executeTakeFirst()
    : await ctx.db.selectFrom('reminder_log').select(['id', 'subject', 'due_date', 'kind', 'person_ids', 'unit_id'])
        .where('unit_id', '=', unit.id).where('person_ids', 'like', mine).where('kind', 'in', ['before', 'due', 'snoozed']).orderBy('id', 'desc').executeTakeFirst();
  if (!row) throw cmd.no !== undefined ? new UserError('remind.snoozeUnknown', { no: cmd.no }) : new UserError('remind.snoozeNothing', {});
  if (row.unit_id !== unit.id) throw new UserError('remind.snoozeUnknown', { no: row.id });
  if (!row.person_ids.includes(`,${actor.id},`)) throw new UserError('remind.snoozeNotYours', { no: row.id });
  if (row.kind === 'overdue' || row.kind === 'supervisor' || row.due_date < ctx.today) throw new UserError('remind.snoozeOverdue', { no: row.id });
  const until = ctx.calendar.nextWorkday(ctx.today);
  if (until > row.due_date) throw new UserError('remind.snoozePastDeadline', { no: row.id, due: row.due_date });
  const already = await ctx.db.selectFrom('snooze').select('id').where('person_id', '=', actor.id).where('subject', '=', row.subject).where('until_date', '=', until).executeTakeFirst();
  if (!already) {
    await ctx.db.insertInto('snooze').values({ person_id: actor.id, subject: row.subject, until_date: until, created_at: ctx.now }).execute();
    await record(ctx, 'reminder.snooze', 'reminder', row.id, { until });
  }
  return [here('remind.snoozed', { no: row.id, until })];
}

export async function showRemindSettings(_cmd: C<'remind.show'>, ctx: Ctx): Promise<Out[]> {
  const r = unitRules(requireUnit(ctx).settings, ctx.config);
  return [here('remind.settings', { hour: r.remindHour, daysBefore: r.daysBefore, principal: r.escalatePrincipal, supervisor: r.escalateSupervisor })];
}

export async function setRemindSettings(cmd: C<'remind.set'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const settings = { ...unit.settings };
  if (cmd.hour !== undefined) settings.remindHour = cmd.hour;
  if (cmd.daysBefore !== undefined) settings.daysBefore = cmd.daysBefore;
  if (cmd.escalate) [settings.escalatePrincipalDays, settings.escalateSupervisorDays] = cmd.escalate;
  await saveUnitSettings(ctx.db, unit.id, settings);
  unit.settings = settings;
  await record(ctx, 'unit.remindSettings', 'unit', unit.id, { hour: settings.remindHour ?? null, daysBefore: settings.daysBefore ?? null });
  return [here('remind.settingsSaved', {}), ...(await showRemindSettings({ kind: 'remind.show' }, ctx))];
}
