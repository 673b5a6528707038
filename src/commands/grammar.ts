import type { ItemKind, MeetingKind, Role, StepId, TalkMode } from '../domain/types.js';
import type { Grade } from '../domain/appraisal.js';

/**
 * The command words users type, in one place. The parser reads them; /帮助 and the replies
 * reuse them so what the bot says matches what it accepts.
 */
/**
 * Looks a typed word up in one of the tables below. Only the table's own entries count: a word
 * like `constructor` or `__proto__` must not find Object.prototype's members.
 */
export const wordOf = <T>(table: Readonly<Record<string, T>>, word: string | undefined): T | undefined =>
  word !== undefined && Object.hasOwn(table, word) ? table[word] : undefined;

export const ROLE_WORDS: Record<string, Role> = {
  主要负责人: 'principal', 书记: 'principal', 支部书记: 'principal', 党委书记: 'principal',
  班子成员: 'member', 支委: 'member', 支委委员: 'member', 委员: 'member',
  党员: 'party_member', 正式党员: 'party_member',
  预备党员: 'probationary',
  列席: 'attendee', 列席人员: 'attendee',
  联络员: 'operator', 组织员: 'operator', 党办: 'operator', 操作员: 'operator',
  上级: 'supervisor', 上级党组织: 'supervisor', 纪委: 'supervisor', 组织部: 'supervisor',
};

export const ROLE_LABEL: Record<Role, string> = {
  principal: '主要负责人', member: '班子成员', party_member: '党员', probationary: '预备党员',
  attendee: '列席', operator: '联络员', supervisor: '上级',
};

export const KIND_WORDS: Record<string, MeetingKind> = {
  民主生活会: 'democratic_life', 领导班子民主生活会: 'democratic_life', 生活会: 'democratic_life',
  组织生活会: 'org_life', 党支部组织生活会: 'org_life', 支部组织生活会: 'org_life',
};

export const KIND_LABEL: Record<MeetingKind, string> = { democratic_life: '民主生活会', org_life: '组织生活会' };

export const TALK_MODE_WORDS: Record<string, TalkMode> = {
  面谈: 'in_person', 当面: 'in_person', 电话: 'phone', 网络: 'online', 视频: 'online', 线上: 'online', 上门: 'home_visit', 走访: 'home_visit',
};

export const TALK_MODE_LABEL: Record<TalkMode, string> = { in_person: '面谈', phone: '电话', online: '网络', home_visit: '上门' };

export const ITEM_KIND_WORDS: Record<string, ItemKind> = {
  立行立改: 'immediate', 立即整改: 'immediate', 限期整改: 'fixed', 需协调: 'coordinate', 需要协调: 'coordinate', 协调: 'coordinate',
};

export const ITEM_KIND_LABEL: Record<ItemKind, string> = { immediate: '立行立改', fixed: '限期整改', coordinate: '需协调' };

/** Short names accepted by /完成 and shown by /进度 (first name = the label). */
export const STEP_WORDS: Record<StepId, string[]> = {
  topic: ['主题', '确定主题'],
  plan: ['方案', '会议方案', '方案已报送'],
  study: ['学习', '集中学习', '组织学习'],
  opinions: ['征求意见', '意见', '征求并反馈意见'],
  talks: ['谈心', '谈心谈话'],
  inspection: ['对照检查', '对照检查材料', '检查材料'],
  // 问题清单 is the member's own list (组织生活会), handed in with /提纲 提交.
  outlines: ['提纲', '发言提纲', '个人问题清单', '问题清单'],
  notice: ['通知', '会议通知'],
  leave: ['请假'],
  committee_meeting: ['支委会'],
  meeting: ['召开', '会议召开', '党员大会'],
  absentees: ['缺席', '书面发言', '转告'],
  grading: ['评定', '组织评定'],
  rectify_list: ['整改清单', '清单', '整改措施'],
  report: ['报告', '会议报告', '会议记录', '报告和记录'],
  inform: ['通报'],
  filing: ['备案', '报备', '报上级备案'],
  rectify: ['整改落实', '整改'],
  archive: ['归档', '归卷存档', '存档'],
};

/** Labels for steps whose name differs by kind (组织生活会's 提纲 is the 个人问题清单). */
export const STEP_LABEL_BY_KIND: Partial<Record<MeetingKind, Partial<Record<StepId, string>>>> = {
  org_life: { outlines: '个人问题清单', meeting: '党员大会', inspection: '支部对照检查材料' },
};

export const stepLabel = (step: StepId, kind?: MeetingKind): string =>
  (kind && STEP_LABEL_BY_KIND[kind]?.[step]) ?? STEP_WORDS[step][0] ?? step;

/** 7 materials of 归卷存档. */
export const ARCHIVE_WORDS: Record<string, string> = {
  会议方案: 'plan', 方案: 'plan', 会议通知: 'notice', 通知: 'notice', 群众意见: 'opinions', 意见: 'opinions',
  会议发言原始记录: 'minutes', 发言记录: 'minutes', 原始记录: 'minutes', 整改方案: 'rectify_plan',
  上次整改情况通报: 'last_rectify_report', 上次整改情况: 'last_rectify_report', 综合情况报告: 'report', 情况报告: 'report',
};

/** Names people give /提纲 (a 组织生活会's outline is the 个人问题清单). */
export const OUTLINE_ALIASES = ['发言提纲', '问题清单', '个人问题清单'];

/** Top-level command words (without the slash). */
export const COMMAND_WORDS = [
  '帮助', '单位', '成员', '我是', '会议', '进度', '完成', '谈心', '提纲', '请假', '批准', '驳回', '书面发言', '转告', '整改', '评议', '测评', '自评', '评定', '党小组', '承诺', '公示', '稍后', '提醒',
  '汇总', '部署', '设置', '报告', '通报', '归档', '看板',
] as const;

export const SUBCOMMANDS: Record<string, string[]> = {
  单位: ['设置', '改绑'],
  成员: ['添加', '移除', '列表', '确认'],
  会议: ['新建', '改期', '取消', '召开', '主题'],
  谈心: ['情况'],
  提纲: ['提交', '审核', '情况'],
  请假: ['列表'],
  书面发言: ['提交'],
  整改: ['新增', '完成', '延期', '核实', '列表', '逾期', '查看', '我的'],
  评议: ['开始', '进度', '结束'],
  测评: ['我的'],
  党小组: ['设置', '列表', '清除'],
  承诺: ['情况'],
  提醒: ['时间', '提前', '升级'],
  汇总: ['逾期'],
  设置: ['方案提前', '通知提前', '报告期限'],
  报告: ['草稿'],
  通报: ['草稿'],
};

export const DEADLINE_WORDS = ['截止', '截至', '截止日期', '截止到', '期限', '完成时限'];
export const LEAD_UNIT_WORDS = ['牵头', '牵头单位'];
export const PARENT_WORDS = ['上级'];

/** 民主评议党员: the four grades of the 民主测评表 and the 组织评定 (first = label). */
export const GRADE_WORDS: Record<string, Grade> = { 优秀: 'excellent', 合格: 'qualified', 基本合格: 'basically_qualified', 不合格: 'unqualified' };
export const GRADE_LABEL: Record<Grade, string> = { excellent: '优秀', qualified: '合格', basically_qualified: '基本合格', unqualified: '不合格' };
/** Ballot target words for the branch committee as a whole. */
export const COMMITTEE_WORDS = ['班子', '支部班子', '支委会', '支部委员会'];
/** A ballot word after which the rest of the line is a comment. */
export const COMMENT_WORDS = ['意见', '备注'];
export const APPRAISAL_SUBCOMMANDS: Record<string, 'open' | 'progress' | 'close'> = {
  开始: 'open', 启动: 'open', 开启: 'open', 进度: 'progress', 情况: 'progress', 结束: 'close', 关闭: 'close',
};

/** /汇总 逾期; /部署 and /设置 offset words (days before/after D); /报告 草稿; /归档 <材料> 已归档. */
export const OVERDUE_WORDS = ['逾期', '超期'];
export const OFFSET_WORDS: Record<string, 'plan' | 'notice' | 'report'> = {
  方案提前: 'plan', 通知提前: 'notice', 报告期限: 'report', 备案期限: 'report',
};
export const RESET_WORDS = ['默认', '恢复默认', '清除'];
export const DRAFT_WORDS = ['草稿', '起草'];
export const ARCHIVED_WORDS = ['已归档', '归档', '已存档'];
