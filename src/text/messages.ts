import { daysBetween, type LocalDate } from '../domain/dates.js';
import type { ItemKind, ItemState, MeetingKind, MeetingPhase, Role, StepId, StepStatus, TalkMode } from '../domain/types.js';
import { at, d, itemKindLabel, kindLabel, lines, modeLabel, names, roleLabel, rolesLabel, step } from './format.js';
import { obligationName } from './reminders.js';
import { USAGE } from './help.js';

type Empty = Record<string, never>;

const DERIVED_HINT: Partial<Record<StepId, string>> = {
  talks: '请用 /谈心 @某人 登记谈话，/谈心 情况 查看覆盖情况。',
  outlines: '请本人发送 /提纲 提交，主要负责人 /提纲 审核 @某人。',
  leave: '请用 /批准 或 /驳回 处理请假。',
  meeting: '会议当天请发送 /会议 召开。',
  absentees: '缺席人 /书面发言 提交，主要负责人会后 /转告 @缺席人。',
  rectify: '请用 /整改 完成 <编号> <说明> 逐项销号。',
  archive: '请用 /归档 <材料> 已归档 逐项登记。',
};

const DAY_OFF_NOTE = '注意：这一天是周末或节假日。如果日期写错了，请发送 /会议 改期 <日期>。';

/** A new or moved meeting's dated steps; a deadline already past says so (the meeting is too close for it). */
function deadlineLines(deadlines: ReadonlyArray<{ step: StepId; due: string }>, kind: MeetingKind, today: string): string[] {
  return deadlines.map((x) => `• ${step(x.step, kind)}：${d(x.due)}前${x.due < today ? '（已过，请尽快办理并登记）' : ''}`);
}

const PHASE_LABEL: Record<MeetingPhase, string> = {
  prepare: '会前准备', hold: '会议召开', rectify: '会后整改', completed: '已全部完成', cancelled: '已取消',
};
export const phaseLabel = (p: MeetingPhase): string => PHASE_LABEL[p];

const ITEM_STATE_LABEL: Record<ItemState, string> = { open: '进行中', extended: '已延期', overdue: '已逾期', done: '已完成' };

function dueText(status: StepStatus, due: LocalDate | undefined, today: LocalDate): string {
  if (!due) return '';
  const days = daysBetween(today, due);
  if (status === 'overdue') return `截止${d(due, today)}，已逾期${-days}天`;
  if (days === 0) return `今天截止（${d(due, today)}）`;
  return `截止${d(due, today)}，还有${days}天`;
}

const STATUS_MARK: Record<StepStatus, string> = { done: '✅', pending: '⬜', due_soon: '⏳', overdue: '❗', optional: '➖' };

export interface ProgressStepLine {
  step: StepId;
  status: StepStatus;
  due?: LocalDate;
  doneOn?: LocalDate;
  owes: string[];
  progress?: { done: number; total: number };
}

export interface ProgressView {
  unit: string;
  kind: MeetingKind;
  date: LocalDate;
  topic: string | null;
  phase: MeetingPhase;
  today: LocalDate;
  light: 'green' | 'yellow' | 'red';
  steps: ProgressStepLine[];
  coverage: { done: number; total: number; percent: number; missing: string[] };
  outlines: { required: number; submitted: number; reviewed: number; review: boolean };
  leave: { pending: number; approved: number };
  items: { open: number; overdue: number; done: number; extended: number };
}

const LIGHT: Record<ProgressView['light'], string> = { green: '🟢 正常', yellow: '🟡 注意', red: '🔴 有逾期' };

export const messages = {
  // ── general ──────────────────────────────────────────────
  'command.unknown': (p: { typed: string; nearest?: string | undefined }) =>
    p.nearest ? `没有“${p.typed}”这个命令，您要找的是不是 ${p.nearest}？发送 /帮助 查看全部命令。` : `没有“${p.typed}”这个命令，发送 /帮助 查看全部命令。`,
  /** With the forms of the command (only the sub-command's, when `sub` names one), so the reply says what to type. */
  'command.usage': (p: { command: string; sub?: string | undefined }) => {
    const forms = USAGE[p.command]?.forms ?? [];
    const own = p.sub ? forms.filter((f) => f.startsWith(`/${p.command} ${p.sub} `) || f === `/${p.command} ${p.sub}`) : [];
    const shown = own.length ? own : forms;
    return shown.length ? `格式不对，应写成：${shown.join('；')}。发送 /帮助 ${p.command} 查看说明和例子。` : `格式不对。发送 /帮助 ${p.command} 查看用法。`;
  },
  'command.tooLong': (p: { max: number }) => `消息太长了（超过${p.max}字），请精简后再发。`,
  'command.notCommand': (_: Empty) => '您好，我是生活会助手。发送 /帮助 查看我能做什么，例如：/进度',
  'date.impossible': (p: { typed: string; example: string; command: string }) =>
    `“${p.typed}”不是有效日期（这一天不存在）。请重新输入，例如：${p.example}。发送 /帮助 ${p.command} 查看用法。`,
  /** `past`: the date is of something that has taken place (a talk), so the other examples are too. */
  'date.format': (p: { typed: string; example: string; command: string; past?: boolean }) =>
    `看不懂日期“${p.typed}”。请写成 ${p.example}、${p.past ? '今天 或 昨天' : '12月28日 或 明天'}。发送 /帮助 ${p.command} 查看用法。`,
  'system.busy': (_: Empty) => '系统繁忙，请稍后再试。问题已记录。',
  'permission.denied': (p: { roles: Role[]; extra?: string }) => `只有${rolesLabel(p.roles)}${p.extra ? `或${p.extra}` : ''}可以这样做。`,
  /** `private`: asked in a private chat, where there is no “本单位” and /我是 does not work. */
  'identity.unknown': (p: { private?: boolean }) =>
    p.private
      ? '机器人还不认识您。请在本单位的群里发送 /我是 <您的姓名>，由联络员确认；或请联络员发送 /成员 添加 @您 <角色> 把您加入名单。'
      : '您还不在本单位名单中。请发送 /我是 <您的姓名>，由联络员确认；或请联络员发送 /成员 添加 @您 <角色> 把您加入名单。',
  'identity.pending': (p: { name: string }) => `您已申请绑定为“${p.name}”，请等待联络员发送 /成员 确认 ${p.name}。`,
  'notify.unreachable': (p: { name: string }) => `${p.name} 还没有绑定账号，机器人无法私信通知，请当面告知。`,

  // ── unit ─────────────────────────────────────────────────
  'unit.notBound': (_: Empty) => '本群还没有绑定单位。联络员请发送：/单位 设置 <单位名称>，例如：/单位 设置 区教育局党组',
  'iam.inGroup': (p: { name: string }) => `/我是 要在本单位的群里发送，联络员才能确认。请在群里发送：/我是 ${p.name}`,
  'unit.privateNoUnit': (_: Empty) => '您还不在任何单位的名单中。请在单位群里发送命令，或请联络员把您加入名单。',
  'unit.privateAmbiguous': (p: { units: string[] }) => `您在多个单位（${names(p.units)}）有角色，请到对应单位的群里发送这条命令。`,
  'unit.adminOnly': (_: Empty) => '只有系统管理员（ADMIN_USERS 中的账号）可以绑定新的群。',
  'unit.parentUnknown': (p: { name: string }) => `没有找到上级单位“${p.name}”。请先在上级单位的群里发送 /单位 设置 ${p.name}，再回来设置。`,
  'unit.parentCycle': (p: { name: string }) => `“${p.name}”不能作为上级：这样会形成循环。`,
  'unit.parentSelf': (_: Empty) => '单位不能把自己设为上级。',
  'unit.nameTaken': (p: { name: string }) => `已有名为“${p.name}”的单位，您不是它的联络员。请换一个名称，或请该单位联络员在本群设置。`,
  'unit.bound': (p: { name: string; parent?: string | undefined; operator?: string | undefined }) =>
    lines(
      `本群已绑定到单位：${p.name}${p.parent ? `（上级：${p.parent}）` : ''}`,
      p.operator ? `${p.operator} 已成为本单位联络员。` : undefined,
      '下一步：/成员 添加 @某人 主要负责人，然后 /会议 新建 民主生活会 <日期>',
    ),
  'unit.renamedNotAllowed': (p: { current: string; name: string }) => `本群已绑定到“${p.current}”。如确需把本群改绑到“${p.name}”，请联络员发送：/单位 改绑 ${p.name}`,

  // ── members ──────────────────────────────────────────────
  'member.unknownRole': (p: { typed: string }) =>
    `${p.typed ? `没有“${p.typed}”这个角色。` : '请写明角色。'}可选：主要负责人、班子成员、党员、预备党员、列席、联络员、上级。例如：/成员 添加 @张三 班子成员`,
  'member.mentionNeeded': (p: { example: string }) => `请用 @ 写明是谁（@ 选人能对上他的账号），例如：${p.example}`,
  'member.notFound': (p: { name: string }) => `名单里没有“${p.name}”。请核对姓名，或由联络员先发送 /成员 添加 @${p.name} <角色>。`,
  'member.ambiguous': (p: { name: string; count: number }) => `名单里有${p.count}位“${p.name}”，请联络员在名单中区分（例如 张三（办公室））后再试。`,
  'member.added': (p: { names: string[]; role: Role }) => `已把 ${names(p.names)} 添加为${roleLabel(p.role)}。`,
  'member.alreadyHas': (p: { names: string[]; role: Role }) => `${names(p.names)} 已经是${roleLabel(p.role)}，无需重复添加。`,
  'member.removed': (p: { names: string[] }) => `已把 ${names(p.names)} 移出本单位名单。`,
  'member.alreadyFull': (p: { name: string }) => `${p.name} 已是正式党员，不能再添加为预备党员。`,
  'member.admitted': (p: { names: string[] }) => `已把 ${names(p.names)} 由预备党员转为正式党员。`,
  'member.roleRemoved': (p: { names: string[]; role: Role }) => `已取消 ${names(p.names)} 的${roleLabel(p.role)}身份（其他身份不变）。`,
  'member.lacksRole': (p: { name: string; role: Role }) => `${p.name} 不是${roleLabel(p.role)}。发送 /成员 列表 查看各人的身份。`,
  'member.notMember': (p: { name: string }) => `${p.name} 不在本单位名单中。`,
  'member.lastOperator': (_: Empty) => '不能移除最后一位联络员。请先添加另一位联络员。',
  'member.onlyOperatorAddsOperator': (_: Empty) => '只有联络员可以添加联络员。',
  'member.list': (p: { unit: string; groups: Array<{ role: Role; names: string[] }> }) =>
    p.groups.length === 0
      ? `${p.unit} 的名单还是空的。联络员请发送 /成员 添加 @某人 <角色>。`
      : lines(`${p.unit} 名单`, ...p.groups.map((g) => `${roleLabel(g.role)}（${g.names.length}）：${names(g.names, 30)}`)),
  'member.confirmed': (p: { name: string }) => `已确认 ${p.name} 的账号绑定。`,
  'member.noClaim': (p: { name: string }) => `${p.name} 没有待确认的绑定申请。请让本人先发送 /我是 ${p.name}。`,
  'iam.claimed': (p: { name: string }) => `已收到。请联络员发送 /成员 确认 ${p.name} 完成绑定。`,
  'iam.claimedNotify': (p: { name: string }) => `有人申请绑定为“${p.name}”。核实无误后请发送：/成员 确认 ${p.name}`,
  'iam.already': (p: { name: string }) => `您已经绑定为 ${p.name}。`,
  'iam.taken': (p: { name: string }) => `“${p.name}”已绑定了其他账号。如有误，请联系联络员处理。`,

  // ── meetings ─────────────────────────────────────────────
  'meeting.none': (_: Empty) => '本单位还没有安排会议。联络员或主要负责人请发送：/会议 新建 民主生活会 <日期>',
  'meeting.dateInPast': (p: { date: string; example: string }) => `${d(p.date)} 已经过去。请填写以后的日期，例如：/会议 新建 民主生活会 ${p.example}`,
  'meeting.dateTooFar': (p: { date: string }) => `${d(p.date)} 太远了，是不是写错了？生活会每年召开，请写两年以内的日期。`,
  'meeting.rescheduleInPast': (p: { date: string; example: string }) => `${d(p.date)} 已经过去。请填写以后的日期，例如：/会议 改期 ${p.example}`,
  'meeting.alreadyScheduled': (p: { kind: MeetingKind; date: string }) =>
    `本单位已安排${kindLabel(p.kind)}（${d(p.date)}），尚未召开。如需改期请发送 /会议 改期 <日期>；如需重新安排请先 /会议 取消。`,
  'meeting.alreadyHeld': (p: { date: string }) => `会议已于${d(p.date)}召开，不能再改期、取消或重复标记。`,
  'meeting.sameDate': (p: { date: string }) => `会议本来就是${d(p.date)}，无需改期。`,
  'meeting.heldInFuture': (p: { date: string; today: string }) => `${d(p.date, p.today)}还没到。会议开过后再登记；当天开的发送 /会议 召开，补登记写开会日期，例如：/会议 召开 ${p.today}`,
  'meeting.leavePending': (p: { names: string[] }) => `还有请假没有审批：${names(p.names)}。请审批人先 /批准 @某人 或 /驳回 @某人，再发送 /会议 召开。`,
  'meeting.previousOpen': (p: { kind: MeetingKind; date: string; steps: string[] }) =>
    `上次${kindLabel(p.kind)}（${d(p.date)}召开）还有事项没有完成：${p.steps.map((s) => obligationName(s, p.kind)).join('、')}。完成并登记后（/进度 查看），再安排下一次会议。`,
  'meeting.notYet': (p: { date: string; today: string }) =>
    `会议定在${d(p.date, p.today)}，今天还不能标记召开。如已提前召开，请写上开会日期：/会议 召开 ${p.today}`,
  'meeting.created': (p: { unit: string; kind: MeetingKind; date: string; topic?: string | undefined; deadlines: Array<{ step: StepId; due: string }>; today: string; dayOff?: boolean }) =>
    lines(
      `已安排${p.unit}${kindLabel(p.kind)}：${d(p.date)}${p.topic ? `，主题：${p.topic}` : ''}`,
      p.dayOff ? DAY_OFF_NOTE : undefined,
      ...deadlineLines(p.deadlines, p.kind, p.today),
      '发送 /进度 随时查看进度。',
    ),
  'meeting.rescheduled': (p: { kind: MeetingKind; from: string; to: string; deadlines: Array<{ step: StepId; due: string }>; today: string; dayOff?: boolean }) =>
    lines(`${kindLabel(p.kind)}已从${d(p.from)}改到${d(p.to)}，各环节期限随之调整：`, ...deadlineLines(p.deadlines, p.kind, p.today), p.dayOff ? DAY_OFF_NOTE : undefined),
  'meeting.cancelled': (p: { kind: MeetingKind; date: string }) => `${d(p.date)}的${kindLabel(p.kind)}已取消，相关提醒同时停止。`,
  'meeting.held': (p: { kind: MeetingKind; date: string; attendees: number; absentees: string[] }) =>
    lines(
      `已记录：${kindLabel(p.kind)}于${d(p.date)}召开，应到${p.attendees + p.absentees.length}人，实到${p.attendees}人。`,
      p.absentees.length ? `缺席：${names(p.absentees)}。请主要负责人会后 /转告 @缺席人。` : undefined,
      '进入会后整改阶段：/整改 新增 @责任人 <内容> 截止 <日期>',
    ),
  'meeting.topicSet': (p: { topic: string }) => `会议主题已设为：${p.topic}`,
  'meeting.cancelledNone': (_: Empty) => '没有可以取消或改期的会议。',

  // ── steps ────────────────────────────────────────────────
  'step.unknown': (p: { typed: string }) => `没有“${p.typed}”这个环节。发送 /帮助 完成 查看可登记的环节，例如：/完成 方案`,
  'step.notInKind': (p: { step: StepId; kind: MeetingKind }) => `${kindLabel(p.kind)}没有“${step(p.step)}”这个环节。发送 /帮助 完成 查看可登记的环节。`,
  'step.undone': (p: { step: StepId; kind: MeetingKind; by: string }) => `已撤销“${step(p.step, p.kind)}”的完成登记（${p.by}）。这一环节重新计入待办（/进度 查看）。`,
  'step.notRecorded': (p: { step: StepId; kind: MeetingKind }) => `“${step(p.step, p.kind)}”还没有登记完成，无需撤销。`,
  'step.afterMeeting': (p: { step: StepId; kind: MeetingKind }) => `“${step(p.step, p.kind)}”是会后环节，会议召开（/会议 召开）后再登记。`,
  'step.derived': (p: { step: StepId; kind: MeetingKind }) =>
    `“${step(p.step, p.kind)}”由机器人根据登记自动统计，无需 /完成。${p.step === 'outlines' && p.kind === 'org_life' ? '请本人发送 /提纲 提交（个人问题清单不需要审核）。' : (DERIVED_HINT[p.step] ?? '')}`,

  'step.alreadyDone': (p: { step: StepId; kind: MeetingKind; on: string }) => `“${step(p.step, p.kind)}”已于${d(p.on)}登记完成。`,
  'step.done': (p: { step: StepId; kind: MeetingKind; by: string; due?: string | undefined; late: number }) =>
    `已登记：${step(p.step, p.kind)}完成（${p.by}）。${p.late > 0 ? `比期限晚${p.late}天。` : ''}`,

  // ── progress ─────────────────────────────────────────────
  'progress.view': (p: ProgressView) => {
    const days = daysBetween(p.today, p.date);
    const when = p.phase === 'prepare' ? `（距会议${days}天）` : p.phase === 'hold' && days < 0 ? `（会议日期已过${-days}天，尚未登记召开）` : '';
    const stepLines = p.steps.map((s) => {
      const state = s.status === 'done' ? `已完成${s.doneOn ? `（${d(s.doneOn, p.today)}）` : ''}` : s.status === 'optional' ? '可选' : dueText(s.status, s.due, p.today);
      const prog = s.progress && s.progress.total > 0 && s.status !== 'done' ? ` ${s.progress.done}/${s.progress.total}` : '';
      const owes = s.owes.length && s.status !== 'done' ? ` · 待：${names(s.owes, 5)}` : '';
      return `${STATUS_MARK[s.status]} ${step(s.step, p.kind)}${prog}${state ? ` · ${state}` : ''}${owes}`;
    });
    return lines(
      `${p.unit} · ${kindLabel(p.kind)} · ${d(p.date, p.today)}${p.topic ? ` · ${p.topic}` : ''}`,
      `阶段：${phaseLabel(p.phase)}${when}　状态：${LIGHT[p.light]}`,
      ...stepLines,
      `谈心谈话：必谈 ${p.coverage.done}/${p.coverage.total}（${p.coverage.percent}%）${p.coverage.missing.length ? `，缺：${names(p.coverage.missing, 6)}` : ''}`,
      `${p.kind === 'org_life' ? '个人问题清单' : '发言提纲'}：已交 ${p.outlines.submitted}/${p.outlines.required}${p.outlines.review ? `，已审 ${p.outlines.reviewed}/${p.outlines.required}` : ''}`,
      `请假：待审批 ${p.leave.pending}，已批准 ${p.leave.approved}`,
      `整改：未完成 ${p.items.open}（逾期 ${p.items.overdue}，延期 ${p.items.extended}），已完成 ${p.items.done}`,
    );
  },

  // ── talks ────────────────────────────────────────────────
  'talk.logged': (p: { actor: string; with: string[]; date: string; mode: TalkMode; percent: number; notePrivate: boolean }) =>
    lines(`已登记：${p.actor} 与 ${names(p.with)} 谈心谈话（${d(p.date)}，${modeLabel(p.mode)}）。必谈覆盖 ${p.percent}%。`, p.notePrivate ? '备注已保存，仅本人、主要负责人和联络员可见，不会发到群里。' : undefined),
  'talk.notePrivate': (p: { with: string[]; date: string }) => `您与 ${names(p.with)}（${d(p.date)}）谈心谈话的备注已保存。`,
  'talk.self': (p: { example: string }) => `不能和自己登记谈心谈话。请 @ 谈话对象，例如：/谈心 @${p.example} 面谈`,
  'talk.tooEarly': (p: { date: string; from: string }) => `谈话日期 ${d(p.date)} 太早，不属于本次会议的准备（${d(p.from)}以后的谈话才计入）。请核对日期。`,
  'talk.dateInFuture': (p: { date: string; name: string }) => `谈话日期 ${d(p.date)} 还没到。请登记已经进行的谈话，例如：/谈心 @${p.name} 今天 面谈`,
  'talk.status': (p: { done: number; total: number; percent: number; missing: string[]; expectedMissing: number; expectedTotal: number }) =>
    lines(
      `谈心谈话：必谈 ${p.done}/${p.total}（${p.percent}%）`,
      p.missing.length ? `尚缺：\n${p.missing.map((m) => `• ${m}`).join('\n')}` : '必谈已全部完成。',
      p.expectedTotal ? `提倡谈：还有 ${p.expectedMissing}/${p.expectedTotal} 对未谈。` : undefined,
    ),

  // ── outlines ─────────────────────────────────────────────
  /** `reviewer`: who reviews it (the principal's own outline, a supervisor); none for a 个人问题清单. */
  'outline.submitted': (p: { name: string; reviewer?: 'principal' | 'supervisor' | undefined; kind: MeetingKind }) =>
    `已登记 ${p.name} 提交${p.kind === 'org_life' ? '个人问题清单' : '发言提纲'}${p.reviewer ? `，等待${p.reviewer === 'supervisor' ? '上级' : '主要负责人'}审核` : ''}。`,
  'outline.alreadySubmitted': (p: { name: string }) => `${p.name} 的提纲已经提交过了。`,
  'outline.reviewed': (p: { name: string }) => `已登记：${p.name} 的发言提纲审核通过。`,
  'outline.alreadyReviewed': (p: { name: string }) => `${p.name} 的提纲已经审核过了。`,
  'outline.notSubmitted': (p: { name: string }) => `${p.name} 还没有提交提纲，不能审核。请本人先发送 /提纲 提交。`,
  'outline.notRequired': (p: { name: string; kind: MeetingKind }) => p.kind === 'org_life' ? `${p.name} 不是本支部党员，不需要提交个人问题清单。` : `${p.name} 不需要提交发言提纲（只有班子成员需要）。`,
  'outline.noReview': (_: Empty) => '组织生活会的个人问题清单不需要审核，提交即可。',
  'outline.status': (p: { required: number; submitted: number; reviewed: number; review: boolean; missing: string[]; unreviewed: string[] }) =>
    lines(
      `提纲：已交 ${p.submitted}/${p.required}${p.review ? `，已审 ${p.reviewed}/${p.required}` : ''}`,
      p.missing.length ? `未交：${names(p.missing, 20)}` : undefined,
      p.unreviewed.length ? `待审核：${names(p.unreviewed, 20)}` : undefined,
    ),

  // ── leave ────────────────────────────────────────────────
  'leave.afterMeeting': (_: Empty) => '会议已经召开或日期已过，不能再请假。请假已获批准的同志请 /书面发言 提交书面发言。',
  'leave.decideAfterMeeting': (p: { date: string }) => `会议已于${d(p.date)}召开，请假不能再审批。`,
  'leave.notParticipant': (_: Empty) => '您不是本次会议的参会人员，无需请假。',
  'leave.reasonRequired': (_: Empty) => '请写明请假原因，例如：/请假 外出参加培训。原因只发给审批人。',
  'leave.alreadyPending': (_: Empty) => '您已有一条请假在等待审批，请耐心等待。',
  'leave.alreadyApproved': (_: Empty) => '您的请假已经批准。请在会前 /书面发言 提交。',
  'leave.notOwnRequest': (_: Empty) => '不能审批自己的请假。主要负责人的请假由上级审批。',
  'leave.onlyApprover': (p: { role: Role }) => `这条请假需要由${roleLabel(p.role)}审批。`,
  'leave.requestedGroup': (p: { name: string; approvers: string[] }) => `${p.name} 已提交请假申请，等待 ${names(p.approvers)} 审批。原因已私下转给审批人。`,
  'leave.requestedPrivate': (p: { name: string; reason: string; kind: MeetingKind; date: string; unit: string }) =>
    lines(`【请假待审批】${p.unit} ${kindLabel(p.kind)}（${d(p.date)}）`, `${p.name} 申请请假，原因：${p.reason}`, `同意请发送 /批准 @${p.name}；不同意请发送 /驳回 @${p.name} <理由>`),
  'leave.requestedSelf': (p: { approvers: string[] }) => `您的请假已提交，原因只转给 ${names(p.approvers)}。审批后会通知您。`,
  'leave.noApprover': (p: { role: Role }) => `本单位还没有${roleLabel(p.role)}，请假无人审批。请联络员先添加${roleLabel(p.role)}。`,
  'leave.noPending': (p: { name: string }) => `${p.name} 没有待审批的请假。`,
  'leave.approved': (p: { name: string; due: string }) => `${p.name} 的请假已批准。请在${d(p.due)}会前 /书面发言 提交书面发言材料。`,
  'leave.approvedPrivate': (p: { due: string }) => `您的请假已批准。请在${d(p.due)}会前提交书面发言材料，提交后发送 /书面发言 提交。`,
  'leave.rejected': (p: { name: string }) => `${p.name} 的请假未获批准，请按时参会。`,
  'leave.rejectedPrivate': (p: { reason?: string | undefined }) => `您的请假未获批准${p.reason ? `，理由：${p.reason}` : ''}。请按时参会。`,
  'leave.list': (p: { rows: Array<{ name: string; status: string; reason: string }> }) =>
    p.rows.length ? lines('请假情况（仅您可见）', ...p.rows.map((r) => `• ${r.name}：${r.status}，原因：${r.reason}`)) : '本次会议还没有人请假。',
  'leave.listGroup': (p: { pending: string[]; approved: string[] }) =>
    lines('请假情况', `待审批：${p.pending.length ? names(p.pending) : '无'}`, `已批准：${p.approved.length ? names(p.approved) : '无'}`, '原因已私信发给您。'),
  'leave.status.pending': (_: Empty) => '待审批',
  'leave.status.approved': (_: Empty) => '已批准',
  'leave.status.rejected': (_: Empty) => '未批准',
  'statement.notAbsent': (p: { name: string }) => `${p.name} 没有获批的请假，不需要书面发言。`,
  'statement.submitted': (p: { name: string }) => `已登记 ${p.name} 提交书面发言材料。`,
  'statement.already': (p: { name: string }) => `${p.name} 的书面发言已经登记过了。`,
  'relay.notHeld': (_: Empty) => '会议还没有召开，会后再转告缺席人。',
  'relay.notAbsent': (p: { name: string }) => `${p.name} 不是本次会议的缺席人。`,
  'relay.done': (p: { name: string }) => `已登记：已向 ${p.name} 转告会议情况和批评意见。`,
  'relay.already': (p: { name: string }) => `已经登记过向 ${p.name} 转告。`,

  // ── rectification ────────────────────────────────────────
  'rectify.deadlineInPast': (p: { date: string; today: string }) => `截止日期 ${d(p.date)} 已经过去。请填写今天（${d(p.today)}）以后的日期。`,
  'rectify.deadlineTooFar': (p: { date: string; latest: string }) => `截止日期 ${d(p.date)} 太远了，是不是写错了？整改期限最晚写到 ${d(p.latest)}。`,
  'rectify.deadlineRequired': (p: { example: string }) => `限期整改和需协调事项要写截止日期，例如：/整改 新增 @张三 完善制度 截止 ${p.example}`,
  'rectify.dateWithoutDeadline': (p: { typed: string; example: string }) => `“${p.typed}”是截止日期吗？请在日期前写“截止”，例如：${p.example}`,
  'rectify.deadlineMissing': (p: { example: string }) => `“截止”后面要写日期，例如：截止 ${p.example}`,
  'rectify.contentRequired': (_: Empty) => '请写明整改内容，例如：/整改 新增 @张三 完善请销假制度 截止 2026-12-31',
  'rectify.itemNoNotNumber': (p: { typed: string }) => `“${p.typed}”不是整改编号。编号是数字，发送 /整改 列表 查看，例如：/整改 完成 3 已完成`,
  'rectify.noSuchItem': (p: { no: number }) => `没有第${p.no}号整改事项。发送 /整改 列表 查看编号。`,
  'rectify.alreadyDone': (p: { no: number }) => `第${p.no}号整改事项已经完成。`,
  'rectify.noteRequired': (p: { no: number }) => `请写明完成情况，例如：/整改 完成 ${p.no} 已修订制度并印发`,
  'rectify.extendNotLater': (p: { no: number; deadline: string }) => `新日期要晚于第${p.no}号原截止日期 ${d(p.deadline)}。`,
  'rectify.reasonRequired': (p: { no: number }) => `延期要写理由，例如：/整改 延期 ${p.no} 2027-01-31 需上级协调`,
  'rectify.notDone': (p: { no: number }) => `第${p.no}号还没有完成，完成后才能核实。`,
  'rectify.alreadyVerified': (p: { no: number }) => `第${p.no}号已经核实过了。`,
  'rectify.notOwner': (p: { no: number }) => `只有第${p.no}号的责任人、联络员或主要负责人可以这样做。`,
  'rectify.added': (p: { no: number; owners: string[]; content: string; deadline: string; kind: ItemKind; leadUnit?: string | undefined }) =>
    `已新增第${p.no}号整改事项（${itemKindLabel(p.kind)}）：${p.content}\n${p.leadUnit ? `牵头：${p.leadUnit}，` : ''}责任人：${at(p.owners)}，截止：${d(p.deadline)}`,
  'rectify.leadUnitRequired': (p: { example: string }) => `需协调事项要写牵头单位，例如：${p.example}`,
  'rectify.completed': (p: { no: number; by: string; late: number }) => `第${p.no}号整改事项已完成（${p.by}）${p.late > 0 ? `，比期限晚${p.late}天` : ''}。请联络员或主要负责人 /整改 核实 ${p.no}。`,
  'rectify.extended': (p: { no: number; from: string; to: string }) => `第${p.no}号整改事项截止日期由${d(p.from)}延至${d(p.to)}。延期情况上级可见。`,
  'rectify.verified': (p: { no: number; by: string }) => `第${p.no}号整改事项已核实（${p.by}）。`,
  'rectify.verifyOwn': (p: { no: number }) => `第${p.no}号是您登记完成的，核实请由另一位联络员或主要负责人进行：/整改 核实 ${p.no}`,
  'rectify.list': (p: { title: string; rows: Array<{ no: number; content: string; owners: string[]; deadline: string; state: ItemState; days: number }>; today: string; more: number }) =>
    p.rows.length === 0
      ? `${p.title}：暂无。`
      : lines(
          `${p.title}（${p.rows.length + p.more}项）`,
          ...p.rows.map((r) => `${r.no}. ${r.content} · ${names(r.owners)} · ${d(r.deadline, p.today)} · ${ITEM_STATE_LABEL[r.state]}${r.state === 'overdue' ? `${r.days}天` : ''}`),
          p.more > 0 ? `还有${p.more}项未显示，发送 /整改 逾期 或 /整改 我的 缩小范围。` : undefined,
        ),
  'rectify.show': (p: { no: number; content: string; owners: string[]; deadline: string; state: ItemState; kind: ItemKind; leadUnit?: string | null; history: string[]; today: string }) =>
    lines(
      `第${p.no}号 ${p.content}`,
      `类型：${itemKindLabel(p.kind)}${p.leadUnit ? `，牵头：${p.leadUnit}` : ''}；责任人：${names(p.owners)}；截止：${d(p.deadline, p.today)}；状态：${ITEM_STATE_LABEL[p.state]}`,
      ...p.history,
    ),
  'rectify.event': (p: { at: string; actor: string; action: string; from?: string | null; to?: string | null; note?: string | null }) =>
    `• ${p.at} ${p.actor} ${({ created: '新增', completed: '完成', extended: '延期', verified: '核实' } as Record<string, string>)[p.action] ?? p.action}${p.from && p.to ? ` ${d(p.from)}→${d(p.to)}` : ''}${p.note ? `：${p.note}` : ''}`,
  'rectify.titleAll': (_: Empty) => '整改事项',
  'rectify.titleMine': (_: Empty) => '我的整改事项',
  'rectify.titleOverdue': (_: Empty) => '逾期整改事项',
};

export type MessageKey = keyof typeof messages;
