import { UserError } from '../../domain/errors.js';
import { mayWait, unitRules } from '../../scheduler/due.js';
import { saveUnitSettings } from '../../store/unit.repository.js';
import { here, record, requireActor, requireUnit, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

/**
 * /稍后 [编号]: the person addressed by a reminder hears of it again on the next working day —
 * never past the deadline and never for an overdue item. Without a number it answers the latest
 * reminder message to the sender: every reminder of it addressed to them that can wait is moved;
 * when none can, the reply names the latest and says why.
 */
export async function snooze(cmd: C<'snooze'>, ctx: Ctx): Promise<Out[]> {
  const actor = requireActor(ctx);
  const unit = requireUnit(ctx);
  const until = ctx.calendar.nextWorkday(ctx.today);
  const rows = cmd.nos ? await mineOf(ctx, cmd.nos, actor.id) : cmd.no !== undefined ? await numbered(ctx, cmd.no) : await latestTo(ctx, unit.id, actor.id);
  const last = rows[rows.length - 1];
  if (!last) throw cmd.no !== undefined ? new UserError('remind.snoozeUnknown', { no: cmd.no }) : new UserError('remind.snoozeNothing', {});
  if (last.unit_id !== unit.id) throw new UserError('remind.snoozeUnknown', { no: last.id });
  if (!last.person_ids.includes(`,${actor.id},`)) throw new UserError('remind.snoozeNotYours', { no: last.id });
  const movable = rows.filter((r) => mayWait({ kind: r.kind, due: r.due_date }, ctx.today, until));
  if (movable.length === 0) {
    if (last.kind === 'overdue' || last.kind === 'supervisor' || last.due_date < ctx.today) throw new UserError('remind.snoozeOverdue', { no: last.id });
    throw new UserError('remind.snoozePastDeadline', { no: last.id, due: last.due_date });
  }
  for (const row of movable) {
    const already = await ctx.db.selectFrom('snooze').select('id').where('person_id', '=', actor.id).where('subject', '=', row.subject).where('until_date', '=', until).executeTakeFirst();
    if (already) continue;
    await ctx.db.insertInto('snooze').values({ person_id: actor.id, subject: row.subject, until_date: until, created_at: ctx.now }).execute();
    await record(ctx, 'reminder.snooze', 'reminder', row.id, { until });
  }
  return [here('remind.snoozed', { nos: movable.map((r) => r.id), until })];
}

const LOGGED = ['id', 'subject', 'due_date', 'kind', 'person_ids', 'unit_id', 'remind_on'] as const;

/** Of several numbers, those addressed to the person (all of them when none is, so the refusal names one). */
async function mineOf(ctx: Ctx, nos: number[], personId: number) {
  const rows = await ctx.db.selectFrom('reminder_log').select(LOGGED).where('id', 'in', nos).orderBy('id').execute();
  const mine = rows.filter((r) => r.person_ids.includes(`,${personId},`));
  return mine.length ? mine : rows;
}

async function numbered(ctx: Ctx, no: number) {
  return ctx.db.selectFrom('reminder_log').select(LOGGED).where('id', '=', no).execute();
}

/** The reminders of the latest message to the person in the unit's chat (escalations go to another chat), oldest first. */
async function latestTo(ctx: Ctx, unitId: number, personId: number) {
  const mine = `%,${personId},%`;
  const to = ctx.db.selectFrom('reminder_log').select(LOGGED).where('unit_id', '=', unitId).where('person_ids', 'like', mine).where('kind', '!=', 'supervisor');
  const latest = await to.orderBy('id', 'desc').executeTakeFirst();
  return latest ? to.where('remind_on', '=', latest.remind_on).orderBy('id').execute() : [];
}

export async function showRemindSettings(_cmd: C<'remind.show'>, ctx: Ctx): Promise<Out[]> {
  const r = unitRules(requireUnit(ctx).settings, ctx.config);
  // This year and the next: reminders are planned weeks ahead, so a missing next year matters in December.
  const year = Number(ctx.today.slice(0, 4));
  const unknownYears = [year, year + 1].filter((y) => !ctx.calendar.yearKnown(y));
  return [here('remind.settings', { hour: r.remindHour, daysBefore: r.daysBefore, principal: r.escalatePrincipal, supervisor: r.escalateSupervisor, unknownYears })];
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
