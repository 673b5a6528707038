import type { Grade } from '../domain/appraisal.js';
import { atLocalTime, formatDate, localTimeOf, addDays, toLocalDate, type LocalDate } from '../domain/dates.js';
import { GRADE_LABEL } from '../commands/grammar.js';
import { d, lines, names } from './format.js';

/**
 * 民主评议党员. Confidentiality (武组发〔2017〕129号; shared/domain.md): no template takes a voter
 * together with a grade, except the voter's own ballot shown to that voter. Templates for a group
 * never take a ballot, a comment or a self-appraisal.
 */

type Empty = Record<string, never>;

export const gradeLabel = (g: Grade): string => GRADE_LABEL[g];
const GRADE_LIST = '优秀、合格、基本合格、不合格';

/** `12月20日 17:00`; a closing at midnight reads `12月20日 24:00`. */
export function closingText(iso: string, today?: LocalDate): string {
  const at = new Date(iso);
  const { hour, minute } = localTimeOf(at);
  const date = toLocalDate(at);
  if (hour === 0 && minute === 0 && atLocalTime(date, 0, 0).getTime() === at.getTime()) return `${formatDate(addDays(date, -1), today)} 24:00`;
  return `${formatDate(date, today)} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

const pct = (share: number): string => `${Math.round(share * 1000) / 10}%`;

export interface TallyLine {
  name: string;
  votes: number;
  counts: Record<Grade, number>;
  excellentShare: number;
  qualifiedShare: number;
  /** Shown only with the distribution; never with voter names. */
  comments: string[];
  /** Whether this reader may see the distribution (enough ballots besides the reader's own). */
  shown: boolean;
  /** The reader's own ballot is among `votes`. */
  ownVote: boolean;
  probationary?: boolean;
}

function tallyLine(t: TallyLine, min: number): string[] {
  const tag = t.probationary ? '（预备党员，不评定等次）' : '';
  if (!t.shown) return [`${t.name}：${t.votes}票（${t.ownVote ? '除您自己的一票外' : ''}不足${min}票，为保护投票秘密不显示分布）${tag}`];
  const c = t.counts;
  return [
    `${t.name}：${t.votes}票，优秀${c.excellent}、合格${c.qualified}、基本合格${c.basically_qualified}、不合格${c.unqualified}；优秀率${pct(t.excellentShare)}，合格及以上${pct(t.qualifiedShare)}${tag}`,
    ...(t.comments.length ? [`　意见（不具名）：${t.comments.join('；')}`] : []),
  ];
}

/**
 * What a ballot example may show: names the voter really appraises (never made-up ones), and the
 * branch to name first when the voter takes part in the appraisals of several branches.
 */
export interface BallotHint {
  sample: readonly string[];
  unit?: string | undefined;
}

const cmdOf = (h: BallotHint, command = '测评'): string => `/${command} ${h.unit ? `${h.unit} ` : ''}`;
const oneName = (h: BallotHint): string => h.sample[0] ?? '<姓名>';
/** `/测评 [第二党支部 ]班子 优秀 钱委员 合格 吴委员 合格`. */
const fullExample = (h: BallotHint): string =>
  `${cmdOf(h)}班子 优秀 ${(h.sample.length ? h.sample.slice(0, 2) : ['<姓名>']).map((n) => `${n} 合格`).join(' ')}`;
const ballotHelp = (h: BallotHint): string => `等次：${GRADE_LIST}。例如：${fullExample(h)}`;

/** The forms a member of several branches types, by command. */
const UNIT_FORMS = {
  vote: (u: string) => `/测评 ${u} 班子 优秀 <姓名> 合格`,
  mine: (u: string) => `/测评 ${u} 我的`,
  self: (u: string) => `/自评 ${u} <内容>`,
  commitment: (u: string) => `/承诺 ${u} <内容>`,
  grade: (u: string) => `/评定 ${u} <姓名> <等次>`,
} as const;
export type UnitFormCommand = keyof typeof UNIT_FORMS;

export const appraisal = {
  // ── ballot syntax (shown only in the single chat) ───────────────
  'ballot.commentFirst': (p: { hint: BallotHint }) => `“意见”要写在某人的等次后面，例如：${cmdOf(p.hint)}${oneName(p.hint)} 合格 意见 工作认真负责`,
  'ballot.targetMissing': (p: { grade: string; hint: BallotHint }) => `“${p.grade}”前面要写测评对象（班子 或 姓名），例如：${cmdOf(p.hint)}班子 ${p.grade}`,
  'ballot.badTarget': (p: { typed: string; hint: BallotHint }) => `看不懂测评对象“${p.typed}”。请写 班子 或党员姓名，例如：${cmdOf(p.hint)}${oneName(p.hint)} 合格`,
  'ballot.unknownWord': (p: { typed: string; hint: BallotHint }) =>
    `看不懂“${p.typed}”：本支部名单里没有这个人。请写 班子 或党员姓名，再写等次。${ballotHelp(p.hint)}`,
  'ballot.gradeMissing': (p: { target: string; hint: BallotHint }) => `${p.target} 后面要写等次（${GRADE_LIST}），例如：${cmdOf(p.hint)}${p.target} 合格`,
  'ballot.gradeUnknown': (p: { typed: string; target: string; hint: BallotHint }) =>
    `“${p.typed}”不是测评等次。请从${GRADE_LIST}中选一个，例如：${cmdOf(p.hint)}${p.target} 合格`,
  'ballot.empty': (p: { hint: BallotHint }) => `请写明测评对象和等次。${ballotHelp(p.hint)}`,
  'ballot.commentEmpty': (p: { hint: BallotHint }) => `“意见”后面要写内容，例如：${cmdOf(p.hint)}${oneName(p.hint)} 合格 意见 工作认真负责`,
  'ballot.commentTooLong': (p: { max: number }) => `意见太长了（超过${p.max}字），请精简后再发。`,
  'ballot.duplicate': (p: { target: string }) => `这一条里 ${p.target} 出现了两次，请每人只写一个等次后重发。`,
  'ballot.self': (_: Empty) => '不能给自己测评。个人自评请发送 /自评 <对照“四个合格”查找的问题和自我评价>。',
  'ballot.notParticipant': (p: { name: string }) => `${p.name} 不参加本次民主评议（不是本支部党员），无需测评。发送 /测评 我的 查看您的测评对象。`,
  'ballot.otherGroup': (p: { name: string; group: string }) =>
    `${p.name} 不在您所在的党小组（${p.group}）。本次评议分党小组进行，您只测评支部班子和本组党员。发送 /测评 我的 查看名单。`,
  'ballot.commentLooksLikeTarget': (p: { name: string; previous: string; typed?: string | undefined }) =>
    p.typed
      ? `“${p.typed}”不是测评等次，这条没有记录。给${p.name}测评请写：${p.name} 合格（可选${GRADE_LIST}）；如果“${p.name} ${p.typed}”是对${p.previous}的意见，请写：${p.previous} <等次> 意见 <内容>。`
      : `${p.name} 后面要写等次（${GRADE_LIST}），这条没有记录。例如：${p.name} 合格；如果“${p.name}”是对${p.previous}的意见，请写：${p.previous} <等次> 意见 <内容>。`,
  /** The one reply to a ballot or self-appraisal typed in a group: it repeats nothing of it. */
  'ballot.inGroup': (_: Empty) =>
    '这条没有记录：测评和自评只在与机器人的私聊（单聊）中进行。您发的消息群里的人都看得到，如写了等次或意见，请及时撤回。投票请打开与机器人的私聊重新发送，例如：/测评 我的',
  'ballot.privateOnly': (_: Empty) => '测评表只在与机器人的私聊中查看。请打开与机器人的私聊，发送 /测评 我的。',
  'ballot.saved': (p: { entries: Array<{ target: string; grade: Grade; comment: string | null }>; done: number; total: number; missing: string[]; closesAt: string | null; unit?: string | undefined }) =>
    lines(
      `已记录（仅您可见）：${p.entries.map((e) => `${e.target} ${gradeLabel(e.grade)}${e.comment ? `（意见：${e.comment}）` : ''}`).join('，')}`,
      p.missing.length ? `已测评 ${p.done}/${p.total}，还差：${names(p.missing, 30)}` : `已全部测评 ${p.done}/${p.total}，谢谢！`,
      `${p.closesAt ? `${closingText(p.closesAt)}前` : '评议结束前'}可以重新发送来修改，以最后一次为准。${cmdOf({ sample: [], unit: p.unit })}我的 查看。`,
    ),
  'ballot.mine': (p: { rows: Array<{ target: string; grade?: Grade | undefined; comment?: string | null | undefined }>; closesAt: string | null; open: boolean; group?: string | undefined; hint: BallotHint }) =>
    lines(
      `您的民主测评表（仅您可见）${p.group ? `· 党小组：${p.group}` : ''}`,
      ...p.rows.map((r) => `• ${r.target}：${r.grade ? gradeLabel(r.grade) : '未测评'}${r.comment ? `（意见：${r.comment}）` : ''}`),
      p.open ? `${p.closesAt ? `截止 ${closingText(p.closesAt)}。` : ''}${ballotHelp(p.hint)}` : '评议已结束，不能再修改。',
    ),
  /** `unit` is set for a member taking part in several branches: every form then names this branch first. */
  'ballot.instructions': (p: { unit: string; targets: string[]; group?: string | undefined; closesAt: string | null; nameUnit?: boolean }) => {
    const h: BallotHint = { sample: p.targets, unit: p.nameUnit ? p.unit : undefined };
    return lines(
      `【民主测评表】${p.unit} 组织生活会 · 民主评议党员`,
      `请测评：支部班子${p.targets.length ? `，以及 ${names(p.targets, 60)}（${p.targets.length}人）` : ''}${p.group ? `（党小组：${p.group}）` : ''}`,
      `等次：${GRADE_LIST}`,
      p.nameUnit ? `您参加不止一个支部的评议，发送时请在命令后先写“${p.unit}”。` : undefined,
      `一次填完：${[`${cmdOf(h)}班子 优秀`, ...p.targets.slice(0, 2).map((n) => `${n} 合格`)].join(' ')}${p.targets.length > 2 ? ' …' : ''}`,
      `逐个填写：${cmdOf(h)}@${oneName(h)} 合格 [意见]；查看已填：${cmdOf(h)}我的`,
      `个人自评：${cmdOf(h, '自评')}<对照政治合格、执行纪律合格、品德合格、发挥作用合格查找的问题和自我评价>`,
      `${p.closesAt ? `截止 ${closingText(p.closesAt)}，` : ''}截止前可随时修改。只在本私聊中投票有效；谁投了什么不会告诉任何人。`,
    );
  },
  'appraisal.whichUnit': (p: { units: string[]; command: UnitFormCommand }) =>
    `您在${names(p.units)}都参加民主评议，请在命令后先写支部名称，例如：${UNIT_FORMS[p.command](p.units[0] ?? '<支部名称>')}`,

  // ── opening, progress, closing ───────────────────────────────
  'appraisal.remindVoters': (p: { closesAt: string; today: string; missing: string[]; who: string[] }) =>
    `【民主评议】${closingText(p.closesAt, p.today)}截止，还有${p.missing.length}人没有测评完：${p.who.map((n) => `@${n}`).join(' ')}。请在与机器人的私聊中发送 /测评 我的 查看要测评的人。`,
  'appraisal.expiredNotice': (p: { closesAt: string; today: string; who: string[] }) =>
    `【民主评议】已于${closingText(p.closesAt, p.today)}截止，不再接受测评。${p.who.map((n) => `@${n}`).join(' ')} 请在群里发送 /评议 结束 查看统计结果。`,
  'appraisal.selfMine': (p: { content?: string | undefined; open: boolean }) =>
    p.content
      ? `您的个人自评（仅您可见）：\n${p.content}${p.open ? '\n评议结束前可重新发送 /自评 <内容> 修改。' : ''}`
      : `您还没有提交个人自评。${p.open ? '请发送：/自评 <对照四个合格查找的问题和自我评价>' : ''}`,
  'appraisal.joined': (p: { names: string[] }) => `民主评议进行中：${p.names.join('、')} 加入评议，测评表已私信本人；其他党员的测评表也增加了${p.names.length > 1 ? '他们' : '此人'}（/测评 我的 查看）。`,
  'appraisal.none': (_: Empty) => '本次组织生活会还没有开始民主评议。会后由联络员或书记发送：/评议 开始 [截止 <日期> [时:分]]',
  'appraisal.groupOnly': (p: { action: 'open' | 'close' }) =>
    p.action === 'open'
      ? '请在本支部的群里发送 /评议 开始，让全体党员看到评议安排；测评表会私信给每位党员。'
      : '请在本支部的群里发送 /评议 结束，让全体党员知道评议已结束；统计结果会私信书记和联络员。',
  'appraisal.notOrgLife': (_: Empty) => '民主评议党员在党支部组织生活会后进行。本单位当前会议不是组织生活会；请先 /会议 新建 组织生活会 <日期>。',
  'appraisal.meetingNotHeld': (p: { date: string }) => `组织生活会（${d(p.date)}）还没有登记召开。党员大会开过后请先发送 /会议 召开，再 /评议 开始。`,
  'appraisal.alreadyOpen': (_: Empty) => '民主评议已经在进行中。发送 /评议 进度 查看投票情况，/评议 结束 结束评议。',
  'appraisal.alreadyClosed': (_: Empty) => '本次民主评议已经结束，不能重新开始。书记可 /评定 @某人 <等次>；党员 /承诺 <内容>。',
  'appraisal.alreadyEnded': (_: Empty) => '本次民主评议已经结束，统计结果已私信书记和联络员。书记可 /评定 @某人 <等次>；党员 /承诺 <内容>。',
  'appraisal.tooFew': (p: { count: number }) => `参加评议的党员只有${p.count}人，无法互评。请联络员先用 /成员 添加 @某人 党员 完善名单。`,
  'appraisal.closesInPast': (_: Empty) => '截止时间已经过去，请写以后的时间，例如：/评议 开始 截止 明天 18:00',
  'appraisal.closingMissing': (p: { example: string }) => `“截止”后面要写日期，例如：/评议 开始 截止 ${p.example} 18:00`,
  'appraisal.badTime': (p: { typed: string }) => `看不懂时间“${p.typed}”。请写成 18:00 或 18点，例如：/评议 开始 截止 明天 18:00`,
  'appraisal.notOpen': (_: Empty) => '民主评议还没有开始，现在不能测评。评议开始后机器人会私信您测评表。',
  'appraisal.closedNoVote': (_: Empty) => '民主评议已经结束，不能再测评或修改。如对评议有意见，请当面向支部书记反映。',
  'appraisal.expired': (p: { closesAt: string }) => `民主评议已于${closingText(p.closesAt)}截止，不能再测评或修改。请书记或联络员发送 /评议 结束 查看结果。`,
  'appraisal.notVoter': (_: Empty) => '您不是本支部参加评议的党员（党员、预备党员、支委、书记），不能测评。如名单有误，请联系联络员。',
  'appraisal.opened': (p: { unit: string; participants: string[]; probationary: string[]; closesAt: string | null; groups: Array<{ name: string; names: string[] }> }) =>
    lines(
      `【民主评议党员】${p.unit} 组织生活会 · 民主评议开始${p.closesAt ? `，${closingText(p.closesAt)}截止` : ''}`,
      `参加评议${p.participants.length}人：${names(p.participants, 60)}`,
      p.probationary.length ? `预备党员 ${names(p.probationary)} 参加评议，但不评定等次。` : undefined,
      p.groups.length ? `分党小组进行，每人测评支部班子和本组党员：${p.groups.map((g) => `${g.name}（${g.names.length}人）`).join('、')}` : '每人测评支部班子和其他每位党员。',
      '测评表已私信每位党员。请在与机器人的私聊中发送 /测评 班子 <等次> <姓名> <等次> …（优秀、合格、基本合格、不合格）；群里发送的测评不会记录。',
      '个人自评请私聊发送 /自评 <内容>。谁投了什么不会告诉任何人；发送 /评议 进度 查看投票进度。',
    ),
  'appraisal.progress': (p: { total: number; complete: number; partial: string[]; none: string[]; selfDone: number; selfMissing: string[]; state: 'open' | 'expired' | 'closed'; closesAt: string | null; graded?: { done: number; total: number } | undefined }) =>
    lines(
      `民主评议进度（${p.state === 'open' ? `进行中${p.closesAt ? `，${closingText(p.closesAt)}截止` : ''}` : p.state === 'expired' ? '已过截止时间，待 /评议 结束' : '已结束'}）`,
      `应参加 ${p.total} 人：已投完 ${p.complete} 人，未投完 ${p.partial.length} 人，未投票 ${p.none.length} 人`,
      p.partial.length ? `未投完：${names(p.partial, 30)}` : undefined,
      p.none.length ? `未投票：${names(p.none, 30)}` : undefined,
      `个人自评：已交 ${p.selfDone}/${p.total}${p.selfMissing.length ? `，未交：${names(p.selfMissing, 30)}` : ''}`,
      p.graded ? `组织评定：已评定 ${p.graded.done}/${p.graded.total}` : undefined,
    ),
  'appraisal.closed': (p: { total: number; voters: number; complete: number; filingDue: string; recipients: string[] }) =>
    lines(
      `民主评议已结束：应参加 ${p.total} 人，${p.voters} 人投票（${p.complete} 人投完）。`,
      `统计结果已私信 ${names(p.recipients)}，不在群里公布。`,
      '下一步：书记 /评定 @某人 <等次> 逐人评定并私信告知本人；每位党员 /承诺 <整改承诺>；联络员 /公示 公示整改承诺和整改事项。',
      `请于${d(p.filingDue)}前将班子查摆的问题、整改措施和民主评议结果报上级党组织备案，完成后发送 /完成 备案。`,
    ),
  'appraisal.tally': (p: { unit: string; total: number; voters: number; complete: number; committee: TallyLine; members: TallyLine[]; selfDone: number; min: number }) =>
    lines(
      `【民主评议统计】${p.unit}（仅您可见，请勿转发）`,
      `应参加 ${p.total} 人，${p.voters} 人投票，${p.complete} 人投完；个人自评 ${p.selfDone} 人。`,
      ...tallyLine(p.committee, p.min),
      ...p.members.flatMap((m) => tallyLine(m, p.min)),
      '只统计票数，不显示谁投了什么。组织评定请私聊机器人发送：/评定 @某人 <等次>（可一次写多人：/评定 <姓名> <等次> <姓名> <等次>）。',
    ),
  'appraisal.committeeName': (_: Empty) => '支部班子',
  'appraisal.selfEmpty': (_: Empty) => '请写明自评内容，例如：/自评 对照“四个合格”，我在发挥作用方面……（只在私聊中发送）',
  'appraisal.selfSaved': (p: { first: boolean; closesAt: string | null }) =>
    `${p.first ? '个人自评已收到' : '个人自评已更新'}（仅书记和联络员知道您已提交，内容不会发到群里）。${p.closesAt ? `${closingText(p.closesAt)}前` : '评议结束前'}可重新发送修改。`,

  // ── grading (组织评定) ───────────────────────────────────────
  'grade.notClosed': (_: Empty) => '民主评议还没有结束。请先发送 /评议 结束 查看统计结果，再评定等次。',
  'grade.notParticipant': (p: { name: string }) => `${p.name} 不是本支部参加评议的党员，不评定等次。`,
  'grade.probationary': (p: { name: string }) => `${p.name} 是预备党员。预备党员参加评议但不评定等次（武组发〔2017〕129号），无需 /评定。`,
  'grade.duplicate': (p: { name: string }) => `这一条里 ${p.name} 出现了两次，请每人只写一个等次。`,
  'grade.gradeMissing': (p: { name: string }) => `${p.name} 后面要写评定等次（${GRADE_LIST}），例如：/评定 @${p.name} 合格`,
  'grade.gradeUnknown': (p: { typed: string; name: string }) => `“${p.typed}”不是评定等次。请从${GRADE_LIST}中选一个，例如：/评定 @${p.name} 合格`,
  'grade.glued': (p: { command: string }) => `姓名和等次之间要空开。请这样发送：${p.command}`,
  'grade.saved': (p: { rows: Array<{ name: string; grade: Grade; changed: boolean }>; showGrades: boolean; done: number; total: number; missing: string[]; stepRecorded: boolean }) =>
    lines(
      p.showGrades
        ? `已评定：${p.rows.map((r) => `${r.name} ${gradeLabel(r.grade)}${r.changed ? '（已更正）' : ''}`).join('，')}，已私信告知本人。`
        : `已登记 ${names(p.rows.map((r) => r.name), 30)} 的评定等次，已私信告知本人。群里的消息大家都看得到，评定等次最好在与机器人的私聊中发送。`,
      `已评定 ${p.done}/${p.total}${p.missing.length ? `，待评定：${names(p.missing, 30)}` : ''}`,
      p.stepRecorded ? '全部评定完毕，已登记“组织评定”环节完成。请党员 /承诺 <内容> 提交整改承诺。' : undefined,
    ),
  'grade.private': (p: { unit: string; grade: Grade; changed: boolean }) =>
    lines(
      `【组织评定】${p.unit}结合民主评议和日常表现，${p.changed ? '更正' : ''}评定您为：${gradeLabel(p.grade)}。`,
      '请对照评议意见作出整改承诺，私聊发送：/承诺 <整改承诺内容>。',
    ),

  // ── 党小组 ───────────────────────────────────────────────
  'partyGroup.incomplete': (p: { names: string[] }) =>
    `已设置党小组，但 ${names(p.names, 30)} 还没有分组。请联络员 /党小组 设置 <组名> @某人 … 补齐，或 /党小组 清除 不分组。`,
  'partyGroup.tooSmall': (p: { groups: string[]; min: number }) => `党小组 ${p.groups.join('、')} 不足${p.min}人，组内无法互评。请调整分组后再开始。`,
  'partyGroup.locked': (_: Empty) => '民主评议正在进行，党小组不能调整（会改变每人的测评对象）。请在评议结束后再调整。',
  'partyGroup.branchTooSmall': (p: { count: number; min: number }) => `本支部参加评议的党员${p.count}人。${p.min}人以上的支部才可分党小组进行（武组发〔2017〕129号），人数较少时全体党员互评即可。`,
  'partyGroup.notParticipant': (p: { name: string }) => `${p.name} 不是本支部参加评议的党员，不能编入党小组。`,
  'partyGroup.set': (p: { name: string; names: string[]; moved: string[] }) =>
    lines(`党小组“${p.name}”：${names(p.names, 60)}（${p.names.length}人）`, p.moved.length ? `${names(p.moved)} 已从原党小组调入。` : undefined, '发送 /党小组 列表 查看全部分组。'),
  'partyGroup.list': (p: { groups: Array<{ name: string; names: string[] }>; ungrouped: string[] }) =>
    p.groups.length === 0
      ? '本支部没有分党小组，民主评议时每人测评全体党员。20人以上的支部可由联络员 /党小组 设置 <组名> @某人 … 分组。'
      : lines('党小组', ...p.groups.map((g) => `• ${g.name}（${g.names.length}人）：${names(g.names, 60)}`), p.ungrouped.length ? `未分组：${names(p.ungrouped, 30)}` : undefined),
  'partyGroup.cleared': (p: { count: number }) => (p.count ? '已清除党小组，民主评议时每人测评全体党员。' : '本支部没有设置党小组。'),

  // ── 整改承诺 and 公示 ─────────────────────────────────────
  'commitment.notYet': (_: Empty) => '整改承诺在民主评议结束后提交。评议结束后请发送 /承诺 <整改承诺内容>。',
  'commitment.notParticipant': (_: Empty) => '只有本支部参加评议的党员需要提交整改承诺。',
  'commitment.savedGroup': (p: { name: string; first: boolean }) =>
    `已收到 ${p.name} 的整改承诺${p.first ? '' : '（已更新）'}。内容在 /公示 时统一公布，平时不在群里显示；以后可私聊发送。`,
  'commitment.savedPrivate': (p: { first: boolean }) => `整改承诺已${p.first ? '收到' : '更新'}，将在支部公示时与其他党员的承诺一起公布。`,
  'commitment.status': (p: { done: number; total: number; missing: string[] }) =>
    lines(`整改承诺：已交 ${p.done}/${p.total}`, p.missing.length ? `未交：${names(p.missing, 30)}` : '已全部提交，联络员可发送 /公示。'),
  'publicity.badDays': (p: { typed: string }) => `看不懂公示天数“${p.typed}”。请写1到30之间的天数，例如：/公示 5（不写默认5天）`,
  'publicity.groupOnly': (_: Empty) => '公示要发在单位群里。请在本支部的群里发送 /公示 [天数]。',
  'publicity.notClosed': (_: Empty) => '民主评议结束、党员提交整改承诺后才能公示。请先 /评议 结束。',
  'publicity.empty': (_: Empty) => '还没有人提交整改承诺，暂不能公示。请党员发送 /承诺 <内容>，用 /承诺 情况 查看。',
  'publicity.posted': (p: { unit: string; days: number; from: string; until: string; rows: Array<{ name: string; content: string }>; items: Array<{ no: number; content: string; owners: string[]; deadline: string }> }) =>
    lines(
      `【公示】${p.unit} 组织生活会整改承诺和整改事项（公示期${p.days}天：${d(p.from)}至${d(p.until)}）`,
      '一、党员整改承诺',
      ...p.rows.map((r) => `• ${r.name}：${r.content}`),
      '二、整改事项',
      ...(p.items.length ? p.items.map((i) => `${i.no}. ${i.content}（${names(i.owners)}，${d(i.deadline)}前）`) : ['暂无。联络员可用 /整改 新增 登记。']),
      '欢迎党员群众监督，意见请向支部书记反映。',
    ),
  'publicity.missing': (p: { names: string[] }) => `尚未提交整改承诺：${names(p.names, 30)}。补交后可再次发送 /公示 更新。`,
};

/** /帮助 entries of the 民主评议党员 commands (merged into USAGE). */
export const APPRAISAL_USAGE: Record<string, { forms: string[]; who: string; example: string; note?: string }> = {
  评议: {
    forms: ['/评议 开始 [截止 <日期> [时:分]]', '/评议 进度', '/评议 结束'],
    who: '开始、结束：联络员、书记（主要负责人）；进度：本单位人员',
    example: '/评议 开始 截止 12月20日 18:00',
    note: '开始和结束都在本支部的群里发送；组织生活会登记召开（/会议 召开）后才能开始。结束后统计结果只私信书记和联络员。',
  },
  测评: {
    forms: ['/测评 班子 <等次> <姓名> <等次> …', '/测评 @某人 <等次> [意见]', '/测评 我的'],
    who: '参加评议的党员（含预备党员），只在与机器人的私聊中',
    example: '/测评 班子 优秀 张三 合格 李四 基本合格',
    note: '等次：优秀、合格、基本合格、不合格。截止前可重发修改，以最后一次为准；谁投了什么不会告诉任何人。同时参加两个支部评议的，在命令后先写支部名称：/测评 第二党支部 班子 优秀 …',
  },
  自评: { forms: ['/自评 <内容>', '/自评 我的'], who: '参加评议的党员，只在私聊中', example: '/自评 对照四个合格，我在发挥作用方面还有差距……', note: '书记只看到谁已提交；内容只有本人能用 /自评 我的 查看。' },
  评定: {
    forms: ['/评定 @某人 <优秀|合格|基本合格|不合格>', '/评定 <姓名> <等次> <姓名> <等次> …'],
    who: '书记（主要负责人）；联络员不能代为评定',
    example: '/评定 @张三 合格',
    note: '评议结束后进行，最好在与机器人的私聊中发送；等次私信告知本人。预备党员不评定等次。',
  },
  党小组: {
    forms: ['/党小组 设置 <组名> @某人 @某人 …', '/党小组 列表', '/党小组 清除'],
    who: '设置、清除：联络员；列表：本单位人员',
    example: '/党小组 设置 第一党小组 @张三 @李四 @王五',
    note: '20人以上的支部可分党小组评议，每人只测评支部班子和本组党员。评议进行中不能调整。',
  },
  承诺: { forms: ['/承诺 <内容>', '/承诺 情况'], who: '参加评议的党员（情况：本单位人员）', example: '/承诺 每月按时参加组织生活，带头完成攻坚任务', note: '内容在 /公示 时公布，平时不在群里显示。' },
  公示: { forms: ['/公示 [天数]'], who: '联络员、书记（主要负责人），在单位群里', example: '/公示 5', note: '公布党员整改承诺和本次会议的整改事项，默认公示5天。' },
};
