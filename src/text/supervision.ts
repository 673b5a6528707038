import { daysBetween, type LocalDate } from '../domain/dates.js';
import type { ArchiveMaterial } from '../domain/rules.js';
import type { DeadlineState, Light, PaperStep, SummaryTotals, UnitFlag, UnitSummary } from '../domain/summary.js';
import type { ItemKind, ItemState, LeaveStatus, MeetingKind, MeetingPhase, TalkMode } from '../domain/types.js';
import { d, itemKindLabel, kindLabel, lines, modeLabel, names } from './format.js';

/**
 * Text of the supervisor's views (/汇总, the weekly digest, /部署, /设置), the paperwork drafts
 * (/报告 草稿, /通报 草稿, /归档) and the operator exports. Nothing here takes a criticism, a talk
 * note, a leave reason or a vote as a parameter, except the export cells behind explicit flags.
 */

type Empty = Record<string, never>;

export const LIGHT_MARK: Record<Light, string> = { red: '🔴', yellow: '🟡', green: '🟢' };
const LIGHT_WORD: Record<Light, string> = { red: '红', yellow: '黄', green: '绿' };

const PHASE: Record<MeetingPhase, string> = { prepare: '会前准备', hold: '会议召开', rectify: '会后整改', completed: '已完成', cancelled: '已取消' };
const ITEM_STATE: Record<ItemState, string> = { open: '进行中', extended: '已延期', overdue: '已逾期', done: '已完成' };
const LEAVE_STATE: Record<LeaveStatus, string> = { pending: '待审批', approved: '已批准', rejected: '未批准' };

/** 方案 / 通知 / 报告 (组织生活会: 备案). */
export const paperLabel = (p: PaperStep, kind?: MeetingKind): string =>
  p === 'plan' ? '方案' : p === 'notice' ? '通知' : kind === 'org_life' ? '备案' : kind ? '报告' : '报告/备案';

/** Labels of the 7 archive materials (归卷存档, 武组发〔2017〕129号 三、6). */
export const ARCHIVE_LABEL: Record<ArchiveMaterial, string> = {
  plan: '会议方案',
  notice: '会议通知',
  opinions: '群众意见',
  minutes: '会议发言原始记录',
  rectify_plan: '整改方案',
  last_rectify_report: '上次整改情况通报',
  report: '综合情况报告',
};

/** Settings words shown by /设置 (the parser's words live in grammar.ts); without a kind, for both kinds. */
const SETTING_LABEL: Record<PaperStep, (days: number, kind?: MeetingKind) => string> = {
  plan: (n) => `方案：会前${n}天报上级审核`,
  notice: (n) => `通知：会前${n}天`,
  report: (n, kind) => `${paperLabel('report', kind)}：会后${n}天内`,
};
type SettingSource = 'own' | 'campaign' | 'rule';
const SOURCE_LABEL = { own: '本单位设置', campaign: '上级部署', rule: '默认' } as const;

/** A paper step in one short cell: 按时, 晚3天, 未登记（逾期2天）, 12月10日前 (also the dashboard's tree). */
export function deadlineText(s: DeadlineState, today: LocalDate): string {
  switch (s.state) {
    case 'on_time':
      return '按时';
    case 'late':
      return `晚${s.days}天`;
    case 'missing':
      return `未登记（逾期${s.days}天）`;
    case 'pending':
      return `${d(s.due, today)}前`;
    case 'not_applicable':
      return '—';
  }
}

function deadlineDetail(s: DeadlineState, today: LocalDate): string {
  switch (s.state) {
    case 'on_time':
      return `按时（${d(s.doneOn, today)}登记，期限${d(s.due, today)}）`;
    case 'late':
      return `晚${s.days}天（${d(s.doneOn, today)}登记，期限${d(s.due, today)}）`;
    case 'missing':
      return `未登记，期限${d(s.due, today)}，已逾期${s.days}天`;
    case 'pending':
      return daysBetween(today, s.due) === 0 ? `待办，今天截止（${d(s.due, today)}）` : `待办，期限${d(s.due, today)}（还有${daysBetween(today, s.due)}天）`;
    case 'not_applicable':
      return '不适用';
  }
}

function flagText(f: UnitFlag, today: LocalDate): string {
  if (f.flag === 'no_meeting') return '⚠ 未安排会议';
  return f.passed ? `⚠ 未按部署在${d(f.end, today)}前召开${kindLabel(f.kind)}` : `⚠ 尚未安排${d(f.end, today)}前的${kindLabel(f.kind)}（上级部署）`;
}

/** One unit, one line. */
function rowText(r: UnitSummary, today: LocalDate): string {
  const parts: string[] = [`${LIGHT_MARK[r.light]} ${r.unitName}`];
  if (r.meeting && r.phase) {
    const kind = r.meeting.kind;
    parts.push(`${kindLabel(kind)} ${d(r.meeting.date, today)}·${PHASE[r.phase]}`);
    if (r.papers) parts.push((['plan', 'notice', 'report'] as const).map((p) => `${paperLabel(p, kind)} ${deadlineText(r.papers![p], today)}`).join('，'));
    parts.push(`谈心 ${r.coverage ?? 0}%`, `请假 ${r.leave.approved + r.leave.pending}`);
    parts.push(`整改 未完成${r.items.open}（逾期${r.items.overdue}）已完成${r.items.done}`);
  }
  for (const f of r.flags) parts.push(flagText(f, today));
  if (r.failed > 0) parts.push(`发送失败 ${r.failed}`);
  parts.push(`最近活动 ${r.lastActivity ? d(r.lastActivity, today) : '无'}`);
  return parts.join('｜');
}

function totalsText(p: { unit: string; today: LocalDate; totals: SummaryTotals; title: string }): string {
  const t = p.totals;
  const paper = (k: PaperStep) => {
    const x = t.papers[k];
    return `${paperLabel(k)}：按时 ${x.onTime}，晚报 ${x.late}，未登记 ${x.missing}，未到期 ${x.pending}`;
  };
  return lines(
    `📋 ${p.unit} · ${p.title}（${d(p.today)}）`,
    `共 ${t.units} 个单位：🔴 ${t.lights.red}　🟡 ${t.lights.yellow}　🟢 ${t.lights.green}`,
    `未安排会议 ${t.noMeeting} 个；未按部署安排 ${t.campaignMissing} 个；有逾期 ${t.overdueUnits} 个`,
    paper('plan'),
    paper('notice'),
    paper('report'),
    `整改事项：未完成 ${t.items.open}（逾期 ${t.items.overdue}，延期 ${t.items.extended}），已完成 ${t.items.done}`,
    `请假：已批准 ${t.leave.approved}，待审批 ${t.leave.pending}`,
    `发送失败的消息：${t.failed} 条`,
  );
}

export interface DraftAbsentee {
  name: string;
  statement: boolean;
  relayed: boolean;
}

export interface DraftItem {
  no: number;
  content: string;
  owners: string[];
  deadline: LocalDate;
  state: ItemState;
  kind: ItemKind;
}

const itemLine = (i: DraftItem, today: LocalDate) =>
  `${i.no}. ${i.content}（${itemKindLabel(i.kind)}；责任人：${names(i.owners)}；截止：${d(i.deadline, today)}；${ITEM_STATE[i.state]}）`;

const offsetWords = (p: { planBefore?: number | undefined; noticeBefore?: number | undefined; reportWithin?: number | undefined }) =>
  `方案会前${p.planBefore}天报上级审核，通知会前${p.noticeBefore}天，报告（备案）会后${p.reportWithin}天内`;

export const supervision = {
  // ── /汇总 ────────────────────────────────────────────────
  'summary.totals': (p: { unit: string; today: LocalDate; totals: SummaryTotals; overdueOnly?: boolean }) =>
    totalsText({ ...p, title: p.overdueOnly ? '有逾期的下级单位' : '下级单位汇总' }),
  'summary.row': (p: { row: UnitSummary; today: LocalDate }) => rowText(p.row, p.today),
  'summary.rowsTitle': (p: { count: number }) => `各单位（${p.count}个，按严重程度排列）：`,
  'summary.page': (p: { lines: string[]; page: number; pages: number }) => lines(p.page > 1 ? `（续 ${p.page}/${p.pages}）` : undefined, ...p.lines),
  'summary.empty': (p: { unit: string }) =>
    `${p.unit} 下面还没有下级单位。请下级单位的联络员在本单位群里发送：/单位 设置 <单位名称> 上级 ${p.unit}`,
  'summary.noneOverdue': (p: { count: number }) => `${p.count}个单位中没有逾期的环节或整改事项。发送 /汇总 查看全部。`,
  'summary.unitNotFound': (p: { typed: string }) => `在您督导的单位中没有找到“${p.typed}”。发送 /汇总 查看全部单位的名称。`,
  'summary.unitAmbiguous': (p: { typed: string; candidates: string[] }) =>
    `“${p.typed}”对应多个单位：${names(p.candidates, 10)}。请写全称，例如：/汇总 ${p.candidates[0] ?? ''}`,
  'summary.detailHead': (p: { row: UnitSummary; today: LocalDate }) => {
    const r = p.row;
    const kind = r.meeting?.kind;
    return lines(
      `📋 ${r.unitName} · 督导详情（${d(p.today)}）　状态：${LIGHT_MARK[r.light]} ${LIGHT_WORD[r.light]}`,
      r.meeting ? undefined : '未安排会议。',
      ...r.flags.filter((f) => f.flag !== 'no_meeting').map((f) => flagText(f, p.today)),
      ...(r.papers ? (['plan', 'notice', 'report'] as const).map((k) => `${paperLabel(k, kind)}：${deadlineDetail(r.papers![k], p.today)}`) : []),
      `发送失败的消息：${r.failed} 条`,
      `最近活动：${r.lastActivity ? d(r.lastActivity, p.today) : '无'}`,
    );
  },

  // ── weekly digest ────────────────────────────────────────
  'digest.weekly': (p: { unit: string; today: LocalDate; totals: SummaryTotals; attention: UnitSummary[]; more: number }) =>
    lines(
      `【每周督导汇总】`,
      totalsText({ unit: p.unit, today: p.today, totals: p.totals, title: '下级单位汇总' }),
      p.attention.length ? '需要关注的单位：' : '各单位均正常，无逾期。',
      ...p.attention.map((r) => rowText(r, p.today)),
      p.more > 0 ? `还有${p.more}个需要关注的单位未列出。` : undefined,
      '发送 /汇总 查看全部，/汇总 <单位名> 查看某个单位。',
    ),

  // ── /部署 ────────────────────────────────────────────────
  'campaign.deployed': (p: {
    kind: MeetingKind; theme: string; end: LocalDate; today: LocalDate; units: number;
    planBefore: number; noticeBefore: number; reportWithin: number;
    scheduled: string[]; ownSettings: string[]; unscheduled: string[];
  }) =>
    lines(
      `已向 ${p.units} 个单位部署${kindLabel(p.kind)}：主题“${p.theme}”，${d(p.end, p.today)}前召开。`,
      `期限：${offsetWords(p)}。`,
      p.scheduled.length ? `已安排会议：${names(p.scheduled, 10)}（期限已按部署更新）。` : undefined,
      p.ownSettings.length ? `${names(p.ownSettings, 10)} 有本单位设置的期限，以本单位设置为准。` : undefined,
      p.unscheduled.length ? `尚未安排：${names(p.unscheduled, 10)}。请在${d(p.end, p.today)}前发送 /会议 新建 ${kindLabel(p.kind)} <日期>，主题默认为部署的主题。` : undefined,
      '发送 /汇总 跟踪各单位进度。',
    ),
  'campaign.endInPast': (p: { kind: MeetingKind; theme: string; end: LocalDate; example: LocalDate }) =>
    `截止日期 ${d(p.end)} 已经过去。请填写以后的日期，例如：/部署 ${kindLabel(p.kind)} ${p.theme} 截止 ${p.example}`,
  'campaign.badDays': (p: { typed: string; word: string }) =>
    p.typed
      ? `“${p.typed}”不是有效天数。请写 0 到 90 的整数，例如：${p.word} 15`
      : `“${p.word}”后面请写天数（0 到 90 的整数），例如：${p.word} 15`,
  /** A date typed without 截止 in front of it (it would otherwise become part of the theme). */
  'campaign.dateWithoutDeadline': (p: { kind: MeetingKind; theme: string; date: string }) =>
    `日期前面请写“截止”，例如：/部署 ${kindLabel(p.kind)} ${p.theme || '<主题>'} 截止 ${p.date}`,
  'campaign.noUnits': (p: { unit: string }) => `${p.unit} 下面还没有下级单位，无处部署。`,
  'campaign.chase': (p: { unit: string; kind: MeetingKind; end: LocalDate; theme: string; passed: boolean; who: string[]; today: LocalDate }) =>
    [
      p.passed
        ? `📣 ${p.unit}：上级部署的${kindLabel(p.kind)}应在${d(p.end, p.today)}前召开，期限已过，本单位仍未安排。`
        : `📣 ${p.unit}：上级部署的${kindLabel(p.kind)}${p.theme ? `（主题：${p.theme}）` : ''}应在${d(p.end, p.today)}前召开，本单位还没有安排。`,
      `请尽快发送：/会议 新建 ${kindLabel(p.kind)} <日期> ${p.who.map((n) => `@${n}`).join(' ')}`,
    ].join('\n'),

  // ── /设置 ────────────────────────────────────────────────
  'settings.show': (p: {
    unit: string;
    kinds: Array<{ kind: MeetingKind; theme: string | undefined; rows: Array<{ key: PaperStep; days: number; source: SettingSource }> }>;
  }) =>
    lines(
      `${p.unit} 的期限设置：`,
      ...p.kinds.flatMap((k) => [
        `【${kindLabel(k.kind)}】${k.theme ? `上级部署的主题：${k.theme}` : ''}`,
        ...k.rows.map((r) => `• ${SETTING_LABEL[r.key](r.days, k.kind)}（${SOURCE_LABEL[r.source]}）`),
      ]),
      '本单位的设置对两种会议都适用，优先于上级部署。',
      '修改：/设置 方案提前 20、/设置 通知提前 10、/设置 报告期限 15；恢复：/设置 方案提前 默认',
    ),
  'settings.saved': (p: { key: PaperStep; days: number }) => `已设置：${SETTING_LABEL[p.key](p.days)}。本单位的设置优先于上级部署，已安排会议的期限随之调整。`,
  'settings.cleared': (p: { key: PaperStep; rows: Array<{ kind: MeetingKind; days: number; source: SettingSource }> }) =>
    lines('已恢复：', ...p.rows.map((r) => `• ${kindLabel(r.kind)} ${SETTING_LABEL[p.key](r.days, r.kind)}（${SOURCE_LABEL[r.source]}）`)),
  'settings.badDays': (p: { typed: string }) => `“${p.typed}”不是有效天数。请写 0 到 90 的整数或“默认”，例如：/设置 方案提前 20`,

  // ── /报告 草稿 ───────────────────────────────────────────
  'paper.reportDraft': (p: {
    unit: string; kind: MeetingKind; date: LocalDate; topic: string | null; today: LocalDate;
    opinions?: { doneOn: LocalDate; note: string | null } | undefined;
    held: boolean; heldOn: LocalDate | null; expected: number; present: number; absentees: DraftAbsentee[];
    items: DraftItem[]; reportDue?: LocalDate | undefined;
  }) =>
    lines(
      `关于召开${kindLabel(p.kind)}情况的报告（草稿）`,
      `${p.unit}${p.topic ? `　主题：${p.topic}` : ''}`,
      '一、征求意见情况',
      p.opinions
        ? `已于${d(p.opinions.doneOn, p.today)}登记完成征求意见${p.opinions.note ? `：${p.opinions.note}` : '。'}`
        : '尚未登记征求意见环节。请联络员发送 /完成 征求意见 <征求方式和数量>。',
      '二、开展批评和自我批评情况',
      p.held
        ? `会议于${d(p.heldOn ?? p.date, p.today)}召开，应到${p.expected}人，实到${p.present}人。${p.kind === 'org_life' ? '支部书记代表支部班子述职，支部班子成员和党员逐一开展批评和自我批评。' : '主要负责人代表领导班子作对照检查，班子成员逐一作自我批评，其他成员提出批评意见。'}`
        : `会议尚未召开（定于${d(p.date, p.today)}）。召开后请发送 /会议 召开。`,
      ...p.absentees.map((a) => `缺席：${a.name}，书面发言${a.statement ? '已提交' : '未提交'}，会议情况和批评意见${a.relayed ? '已转告' : '尚未转告'}。`),
      '三、主要问题及整改措施',
      ...(p.items.length ? p.items.map((i) => itemLine(i, p.today)) : ['尚未登记整改事项。请发送 /整改 新增 @责任人 <内容> 截止 <日期>。']),
      p.reportDue ? `报送期限：${d(p.reportDue, p.today)}前报上级党组织、纪委和组织部门。报送后请发送 /完成 报告。` : undefined,
      '（本草稿由机器人根据登记情况生成，批评意见的具体内容不在其中，请核对补充后使用。）',
    ),

  // ── /通报 草稿 ───────────────────────────────────────────
  'paper.informDraft': (p: {
    unit: string; kind: MeetingKind; date: LocalDate; topic: string | null; today: LocalDate;
    held: boolean; heldOn: LocalDate | null; attendees: string[]; absent: number;
    items: DraftItem[];
    previous?: { date: LocalDate; items: DraftItem[] } | undefined;
  }) => {
    const byKind = (k: ItemKind) => p.items.filter((i) => i.kind === k).length;
    const prev = p.previous;
    const prevDone = prev ? prev.items.filter((i) => i.state === 'done').length : 0;
    return lines(
      `关于${p.unit}召开${kindLabel(p.kind)}情况的通报（草稿）`,
      `一、时间：${p.held ? `${d(p.heldOn ?? p.date, p.today)}召开` : `定于${d(p.date, p.today)}召开（尚未召开）`}`,
      `二、参会人员：${p.attendees.length ? names(p.attendees, 30) : '—'}${p.absent ? `（另有${p.absent}人请假缺席）` : ''}`,
      `三、主题：${p.topic ?? '（未设置，请发送 /会议 主题 <主题>）'}`,
      '四、查找出的主要问题',
      ...(p.items.length ? p.items.map((i) => `${i.no}. ${i.content}`) : ['尚未登记。']),
      '五、整改方案',
      p.items.length
        ? `共${p.items.length}项：立行立改${byKind('immediate')}项，限期整改${byKind('fixed')}项，需协调${byKind('coordinate')}项；已完成${p.items.filter((i) => i.state === 'done').length}项。`
        : '尚未登记整改事项。',
      ...p.items.map((i) => itemLine(i, p.today)),
      '六、上次会议整改方案落实情况',
      prev
        ? lines(`上次会议（${d(prev.date, p.today)}）共${prev.items.length}项整改事项，已完成${prevDone}项，未完成${prev.items.length - prevDone}项。`, ...prev.items.map((i) => itemLine(i, p.today)))
        : '没有上次会议的记录。',
      '（本草稿由机器人根据登记情况生成，请核对补充后使用。通报后请发送 /完成 通报。）',
    );
  },

  // ── /归档 ────────────────────────────────────────────────
  'archive.checklist': (p: { rows: Array<{ material: ArchiveMaterial; doneOn?: LocalDate | undefined }>; today: LocalDate }) => {
    const done = p.rows.filter((r) => r.doneOn).length;
    const next = p.rows.find((r) => !r.doneOn);
    return lines(
      `归卷存档（${done}/${p.rows.length}）`,
      ...p.rows.map((r) => `${r.doneOn ? '✅' : '⬜'} ${ARCHIVE_LABEL[r.material]}${r.doneOn ? `（${d(r.doneOn, p.today)}）` : ''}`),
      next ? `登记：/归档 ${ARCHIVE_LABEL[next.material]} 已归档` : '7项材料已全部归档。',
    );
  },
  'archive.marked': (p: { material: ArchiveMaterial }) => `已登记：${ARCHIVE_LABEL[p.material]} 已归档。`,
  'archive.already': (p: { material: ArchiveMaterial; on: LocalDate }) => `${ARCHIVE_LABEL[p.material]} 已于${d(p.on)}登记归档。`,
  'archive.unknownMaterial': (p: { typed: string }) =>
    `没有“${p.typed}”这项归档材料。可登记：${Object.values(ARCHIVE_LABEL).join('、')}。例如：/归档 会议方案 已归档`,
  'archive.notApplicable': (p: { kind: MeetingKind }) => `${kindLabel(p.kind)}没有归卷存档环节（7项材料是民主生活会的要求）。`,

  // ── exports (command line) ───────────────────────────────
  'export.usage': (_: Empty) =>
    lines(
      '用法：shenghuohui export <items|summary|talks|leave> --unit <单位名称> [--format csv|xlsx] [--out 文件] [--date 2026-12-31]',
      '  items    整改清单（责任人、期限、状态、历史）',
      '  summary  该单位及下级单位的汇总表（同 /汇总）',
      '  talks    谈心谈话记录；备注只在加 --with-notes 时导出',
      '  leave    请假记录；原因只在加 --with-reasons 时导出',
    ),
  'export.unknownUnit': (p: { name: string }) => `没有名为“${p.name}”的单位。请用单位全称，例如：--unit 区教育局党组`,
  'export.unitRequired': (_: Empty) => '请用 --unit <单位名称> 指定单位。',
  'export.badKind': (p: { typed: string }) => `不能导出“${p.typed}”。可导出：items（整改清单）、summary（汇总）、talks（谈心谈话）、leave（请假）。`,
  'export.badFormat': (p: { typed: string }) => `不支持格式“${p.typed}”。请用 --format csv 或 --format xlsx。`,
  'export.badDate': (p: { typed: string }) => `看不懂日期“${p.typed}”。请写成 2026-12-31。`,
  'export.xlsxToTty': (_: Empty) => 'XLSX 是二进制文件，不能直接显示在终端里。请加 --out 文件名.xlsx，或改用 --format csv。',
  'export.written': (p: { file: string; rows: number }) => `已导出 ${p.rows} 行到 ${p.file}`,
  'export.cannotWrite': (p: { file: string; folder: string; problem: 'noFolder' | 'folderIsFile' | 'isFolder' | 'denied' | 'other'; code: string }) => {
    switch (p.problem) {
      case 'noFolder':
        return `无法写入 ${p.file}：文件夹 ${p.folder} 不存在。请先创建这个文件夹，或在 --out 中换一个已有的文件夹。`;
      case 'folderIsFile':
        return `无法写入 ${p.file}：${p.folder} 是一个文件，不是文件夹。请在 --out 中换一个已有的文件夹。`;
      case 'isFolder':
        return `无法写入 ${p.file}：这是一个文件夹。请在 --out 中写上文件名，例如：--out ${p.file.replace(/[\\/]+$/, '')}/导出.csv`;
      case 'denied':
        return `无法写入 ${p.file}：没有写入权限（或文件正被其他程序打开）。请换一个有写入权限的文件夹，或先关闭该文件。`;
      case 'other':
        return `无法写入 ${p.file}（${p.code}）。请检查 --out 的路径和磁盘空间。`;
    }
  },
  'export.notesIncluded': (_: Empty) => '注意：导出文件包含谈心谈话备注，属于保密内容，请妥善保管。',
  'export.reasonsIncluded': (_: Empty) => '注意：导出文件包含请假原因，属于保密内容，请妥善保管。',
  'export.event': (p: { at: string; actor: string; action: string; from?: string | null; to?: string | null; note?: string | null }) =>
    `${p.at} ${p.actor} ${({ created: '新增', completed: '完成', extended: '延期', verified: '核实' } as Record<string, string>)[p.action] ?? p.action}${p.from && p.to ? ` ${p.from}→${p.to}` : ''}${p.note ? `：${p.note}` : ''}`,
};

export type SupervisionKey = keyof typeof supervision;

/** Column headers of the exports (the first row of the CSV/XLSX). */
export const EXPORT_HEADERS = {
  items: ['单位', '会议', '编号', '整改内容', '类型', '牵头单位', '责任人', '截止日期', '状态', '逾期天数', '完成日期', '完成情况', '核实日期', '历史'],
  summary: ['单位', '状态', '会议', '会议日期', '阶段', '方案', '通知', '报告/备案', '谈心覆盖率', '请假人数', '整改未完成', '整改逾期', '整改已完成', '最近活动', '提示', '发送失败'],
  talks: ['单位', '会议', '日期', '谈话人', '谈话对象', '方式'],
  talksNote: '备注',
  leave: ['单位', '会议', '姓名', '状态', '申请时间', '审批时间', '书面发言日期', '转告日期'],
  leaveReason: '原因',
  sheets: { items: '整改清单', summary: '汇总', talks: '谈心谈话', leave: '请假' },
} as const;

/** Cell values of the exports (plain words, no emoji: the file is read in Excel/WPS). */
export const exportCell = {
  light: (l: Light) => LIGHT_WORD[l],
  kind: (k: MeetingKind) => kindLabel(k),
  meeting: (k: MeetingKind, date: LocalDate) => `${kindLabel(k)} ${date}`,
  phase: (p: MeetingPhase) => PHASE[p],
  itemKind: (k: ItemKind) => itemKindLabel(k),
  itemState: (s: ItemState) => ITEM_STATE[s],
  leaveState: (s: LeaveStatus) => LEAVE_STATE[s],
  mode: (m: TalkMode) => modeLabel(m),
  deadline: (s: DeadlineState | undefined) => {
    if (!s) return '';
    switch (s.state) {
      case 'on_time':
        return `按时（${s.doneOn}）`;
      case 'late':
        return `晚${s.days}天（${s.doneOn}）`;
      case 'missing':
        return `未登记（逾期${s.days}天）`;
      case 'pending':
        return `未到期（${s.due}）`;
      case 'not_applicable':
        return '不适用';
    }
  },
  flags: (fs: readonly UnitFlag[], today: LocalDate) => fs.map((f) => flagText(f, today).replace(/^⚠ /, '')).join('；'),
  historySeparator: '；',
  none: '无',
};

/**
 * Splits lines into chat messages of at most `max` characters, never inside a line (a line longer
 * than `max` is cut). The first message keeps the first lines (the totals).
 */
export function chunkLines(all: readonly string[], max = 3500): string[][] {
  const pages: string[][] = [];
  let page: string[] = [];
  let size = 0;
  // Room for the "（续 n/m）" line of later pages.
  const budget = max - 16;
  for (const raw of all) {
    const line = raw.length > budget ? `${raw.slice(0, budget - 1)}…` : raw;
    if (page.length && size + line.length + 1 > budget) {
      pages.push(page);
      page = [];
      size = 0;
    }
    page.push(line);
    size += line.length + 1;
  }
  if (page.length) pages.push(page);
  return pages;
}
