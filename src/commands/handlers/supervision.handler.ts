import { addDays, type LocalDate } from '../../domain/dates.js';
import { UserError } from '../../domain/errors.js';
import { itemState, daysOverdue } from '../../domain/rectification.js';
import { campaignOffsetsFor, offsetOf, offsetsFor, stepRule, themeFor, type OffsetOverrides } from '../../domain/rules.js';
import {
  campaignOffsets, hasOverdue, paperStepId, totalsOf, worstFirst, type Campaign, type PaperStep, type UnitSummary,
} from '../../domain/summary.js';
import { MEETING_KINDS, type MeetingKind, type StepId } from '../../domain/types.js';
import { itemsOfUnit } from '../../store/item.repository.js';
import { currentMeeting } from '../../store/meeting.repository.js';
import { refreshObligations } from '../../store/obligation.repository.js';
import { rosterOf } from '../../store/person.repository.js';
import { loadUnitSummaries, supervisedUnits } from '../../store/supervision.repository.js';
import { saveUnitSettings, unitSubtree, type Unit, type UnitSettings } from '../../store/unit.repository.js';
import { textOf } from '../../text/index.js';
import { chunkLines } from '../../text/supervision.js';
import { here, record, requireUnit, type Ctx, type Out } from '../context.js';
import type { Command } from '../types.js';
import { progress } from './meeting.handler.js';

type C<K extends Command['kind']> = Extract<Command, { kind: K }>;

/** A chat message stays under this many characters; longer summaries become several messages. */
export const MESSAGE_LIMIT = 3500;

/** Several messages for this chat: the lines split at line boundaries, the first lines first. */
function pages(allLines: readonly string[]): Out[] {
  const chunks = chunkLines(allLines, MESSAGE_LIMIT);
  return chunks.map((lines, i) => here('summary.page', { lines, page: i + 1, pages: chunks.length }));
}

/** The summary lines of a set of units: the totals, then one line per unit, worst first. */
export function summaryLines(unitName: string, rows: readonly UnitSummary[], today: LocalDate, overdueOnly = false): string[] {
  const shown = worstFirst(overdueOnly ? rows.filter(hasOverdue) : rows);
  return [
    ...textOf('summary.totals', { unit: unitName, today, totals: totalsOf(shown), overdueOnly }).split('\n'),
    textOf('summary.rowsTitle', { count: shown.length }),
    ...shown.map((row) => textOf('summary.row', { row, today })),
  ];
}

/** The unit a supervisor named: exact name first, else a unique partial match, within what they see. */
function findNamed(units: readonly Unit[], typed: string): Unit {
  const exact = units.find((u) => u.name === typed);
  if (exact) return exact;
  const partial = units.filter((u) => u.name.includes(typed));
  if (partial.length === 1) return partial[0]!;
  if (partial.length > 1) throw new UserError('summary.unitAmbiguous', { typed, candidates: partial.map((u) => u.name) });
  throw new UserError('summary.unitNotFound', { typed });
}

/**
 * /汇总 in a supervisor's chat: every unit below (武组发〔2017〕129号 三、4: the upper level checks
 * each unit's rectification). `/汇总 逾期` keeps the units with overdue steps or items; `/汇总 <单位名>`
 * shows one unit like /进度 plus its item list. Nothing confidential is loaded.
 */
export async function summary(cmd: C<'summary'>, ctx: Ctx): Promise<Out[]> {
  const root = requireUnit(ctx);
  const units = await supervisedUnits(ctx.db, root.id);
  if (cmd.unit) return unitDetail(ctx, findNamed(units, cmd.unit));
  if (units.length === 0) return [here('summary.empty', { unit: root.name })];
  const rows = await loadUnitSummaries(ctx.db, units, ctx.today);
  if (cmd.overdueOnly && !rows.some(hasOverdue)) return [here('summary.noneOverdue', { count: rows.length })];
  return pages(summaryLines(root.name, rows, ctx.today, cmd.overdueOnly === true));
}

async function unitDetail(ctx: Ctx, unit: Unit): Promise<Out[]> {
  const [row] = await loadUnitSummaries(ctx.db, [unit], ctx.today);
  const lines = textOf('summary.detailHead', { row: row!, today: ctx.today }).split('\n');
  const meeting = await currentMeeting(ctx.db, unit.id);
  if (meeting) {
    // /进度 of that unit, as its own members see it (a sub-context bound to the unit).
    const sub: Ctx = { ...ctx, unit, roster: () => rosterOf(ctx.db, unit.id) };
    const [view] = await progress({ kind: 'progress' }, sub);
    if (view) lines.push('', ...view.text.split('\n'));
    const items = (await itemsOfUnit(ctx.db, unit.id)).filter((i) => i.meetingId === meeting.id);
    const rows = items.map((i) => ({
      no: i.no, content: i.content, owners: i.owners.map((o) => o.name), deadline: i.deadline, state: itemState(i, ctx.today), days: daysOverdue(i, ctx.today),
    }));
    lines.push('', ...textOf('rectify.list', { title: textOf('rectify.titleAll', {}), rows, today: ctx.today, more: 0 }).split('\n'));
  }
  return pages(lines);
}

const DEFAULT_OFFSET = (kind: MeetingKind, id: StepId): number | undefined => {
  const rule = stepRule(kind, id);
  return rule ? offsetOf(rule) : undefined;
};

/** A unit with deadline settings of its own: they win over the campaign's. */
const hasOwnOffsets = (u: Unit): boolean => Object.values(u.settings.ownOffsets ?? {}).some((v) => v !== undefined);

/**
 * The unit's settings with a campaign of one meeting kind: campaigns are kept per kind, so a
 * 组织生活会 campaign leaves the 民主生活会's theme and deadlines alone. The kind-less `offsets` and
 * `theme` of old data are dropped here: they were a copy of the last campaign, which is in `campaigns`.
 */
function withCampaign(settings: UnitSettings, campaign: Campaign): UnitSettings {
  const { offsets: _oldOffsets, theme: _oldTheme, ...rest } = settings;
  return { ...rest, campaigns: { ...settings.campaigns, [campaign.kind]: campaign } };
}

/**
 * /部署: the annual campaign from the upper level — theme, window end and deadline offsets for one
 * meeting kind — stored in every unit below. Meetings of that kind already scheduled take the new deadlines at once.
 */
export async function deployCampaign(cmd: C<'campaign.deploy'>, ctx: Ctx): Promise<Out[]> {
  const root = requireUnit(ctx);
  if (cmd.end < ctx.today) throw new UserError('campaign.endInPast', { kind: cmd.meetingKind, theme: cmd.theme, end: cmd.end, example: addDays(ctx.today, 60) });
  // Every unit below: the chat's own unit gets its campaigns from its own upper level.
  const units = (await unitSubtree(ctx.db, root.id)).filter((u) => u.id !== root.id);
  if (units.length === 0) throw new UserError('campaign.noUnits', { unit: root.name });
  const offsets = campaignOffsets(cmd);
  const scheduled: string[] = [];
  const unscheduled: string[] = [];
  const ownSettings: string[] = [];
  for (const u of units) {
    // Deploying again (to correct it) keeps the window's start, so meetings already counted still count.
    const earlier = u.settings.campaigns?.[cmd.meetingKind];
    const start = earlier && earlier.end >= ctx.today && earlier.start < ctx.today ? earlier.start : ctx.today;
    const campaign: Campaign = { kind: cmd.meetingKind, theme: cmd.theme, start, end: cmd.end, offsets };
    await saveUnitSettings(ctx.db, u.id, withCampaign(u.settings, campaign));
    if (hasOwnOffsets(u)) ownSettings.push(u.name);
    const meeting = await currentMeeting(ctx.db, u.id);
    const inWindow = meeting && meeting.kind === cmd.meetingKind && meeting.date >= campaign.start && meeting.date <= cmd.end;
    (inWindow ? scheduled : unscheduled).push(u.name);
    if (meeting) await refreshObligations(ctx.db, u.id, ctx.today);
  }
  await record(ctx, 'campaign.deploy', 'unit', root.id, { kind: cmd.meetingKind, end: cmd.end, units: units.length, offsets });
  const k = cmd.meetingKind;
  const reportId = paperStepId(k, 'report');
  return [here('campaign.deployed', {
    kind: k, theme: cmd.theme, end: cmd.end, today: ctx.today, units: units.length,
    planBefore: -(offsets.plan ?? DEFAULT_OFFSET(k, 'plan') ?? 0),
    noticeBefore: -(offsets.notice ?? DEFAULT_OFFSET(k, 'notice') ?? 0),
    reportWithin: offsets[reportId] ?? DEFAULT_OFFSET(k, reportId) ?? 0,
    scheduled, unscheduled, ownSettings,
  })];
}

const PAPER_KEYS: readonly PaperStep[] = ['plan', 'notice', 'report'];
/** The offsets a /设置 key writes (报告期限 covers every D+15 step of both kinds). */
const SETTING_STEPS: Record<PaperStep, StepId[]> = { plan: ['plan'], notice: ['notice'], report: ['report', 'filing', 'inform', 'rectify_list'] };
const asDays = (key: PaperStep, offset: number): number => (key === 'report' ? offset : -offset);

type SettingRow = { key: PaperStep; days: number; source: 'own' | 'campaign' | 'rule' };

/** One deadline of meetings of `kind` and where it comes from: the unit's own, that kind's campaign, or the rules. */
function settingRow(settings: UnitSettings, kind: MeetingKind, key: PaperStep): SettingRow {
  const id = paperStepId(kind, key);
  const own = settings.ownOffsets?.[id];
  if (own !== undefined) return { key, days: asDays(key, own), source: 'own' };
  const campaign = campaignOffsetsFor(settings, kind)?.[id];
  if (campaign !== undefined) return { key, days: asDays(key, campaign), source: 'campaign' };
  return { key, days: asDays(key, DEFAULT_OFFSET(kind, id) ?? 0), source: 'rule' };
}

/** /设置: per meeting kind, the deadline offsets and where each comes from (本单位 / 上级部署 / 默认), and the campaign's theme. */
export async function showSettings(_cmd: C<'settings.show'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const kinds = MEETING_KINDS.map((kind) => ({
    kind, theme: themeFor(unit.settings, kind), rows: PAPER_KEYS.map((k) => settingRow(unit.settings, kind, k)),
  }));
  return [here('settings.show', { unit: unit.name, kinds })];
}

/** /设置 方案提前 20: the unit's own offset (wins over a campaign); `默认` removes it. */
export async function setSetting(cmd: C<'settings.set'>, ctx: Ctx): Promise<Out[]> {
  const unit = requireUnit(ctx);
  const own: OffsetOverrides = { ...unit.settings.ownOffsets };
  for (const id of SETTING_STEPS[cmd.key]) {
    if (cmd.days === null) delete own[id];
    else own[id] = cmd.key === 'report' ? cmd.days : -cmd.days;
  }
  const settings = { ...unit.settings, ownOffsets: own };
  await saveUnitSettings(ctx.db, unit.id, settings);
  const updated: Unit = { ...unit, settings };
  ctx.unit = updated;
  await refreshObligations(ctx.db, unit.id, ctx.today);
  const effective = Object.fromEntries(MEETING_KINDS.map((kind) => [kind, offsetsFor(settings, kind)]));
  await record(ctx, 'settings.set', 'unit', unit.id, { key: cmd.key, days: cmd.days, effective });
  if (cmd.days === null) {
    const rows = MEETING_KINDS.map((kind) => ({ kind, ...settingRow(updated.settings, kind, cmd.key) }));
    return [here('settings.cleared', { key: cmd.key, rows })];
  }
  return [here('settings.saved', { key: cmd.key, days: cmd.days })];
}
