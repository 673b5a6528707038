import { KIND_RULES, manualSteps } from '../domain/rules.js';
import type { MeetingKind } from '../domain/types.js';
import { STEP_WORDS } from '../commands/grammar.js';
import { kindLabel, lines, step } from './format.js';

/** Every command's forms, who may use it and an example. /帮助 <命令> shows one entry. */
export const USAGE: Record<string, { forms: string[]; who: string; example: string; note?: string }> = {
  帮助: { forms: ['/帮助', '/帮助 <命令>'], who: '所有人', example: '/帮助 整改' },
  单位: { forms: ['/单位 设置 <名称> [上级 <上级单位名称>]'], who: '联络员（本群第一次设置时，发送者成为联络员）', example: '/单位 设置 区教育局党组 上级 区委组织部' },
  成员: {
    forms: ['/成员 添加 @某人 <主要负责人|班子成员|党员|预备党员|列席|联络员|上级>', '/成员 移除 @某人', '/成员 列表', '/成员 确认 <姓名>'],
    who: '联络员（列表：本单位人员）',
    example: '/成员 添加 @张三 班子成员',
  },
  我是: { forms: ['/我是 <名单上的姓名>'], who: '尚未绑定账号的人', example: '/我是 张三', note: '联络员用 /成员 确认 张三 确认后生效。' },
  会议: {
    forms: ['/会议 新建 <民主生活会|组织生活会> <日期> [主题]', '/会议 改期 <日期> [原因]', '/会议 取消 [原因]', '/会议 召开', '/会议 主题 <主题>'],
    who: '联络员、主要负责人',
    example: '/会议 新建 民主生活会 2026-12-28 加强党性修养',
    note: '日期可写 2026-12-28、2026/12/28、12-28、12月28日、2026年12月28日、明天、后天。',
  },
  进度: { forms: ['/进度'], who: '本单位人员', example: '/进度' },
  完成: { forms: ['/完成 <环节> [说明]'], who: '联络员、主要负责人', example: '/完成 方案 已报区委组织部审核' },
  谈心: {
    forms: ['/谈心 @某人 [日期] [面谈|电话|网络|上门] [备注]', '/谈心 情况'],
    who: '本单位人员',
    example: '/谈心 @张三 12月1日 面谈',
    note: '备注只保存，不会发到群里。',
  },
  提纲: { forms: ['/提纲 提交', '/提纲 审核 @某人', '/提纲 情况'], who: '提交：本人；审核：主要负责人', example: '/提纲 审核 @张三' },
  请假: { forms: ['/请假 <原因>', '/请假 列表'], who: '参会人员（列表：主要负责人、联络员）', example: '/请假 外出参加培训', note: '原因只私下发给审批人，不会在群里显示。' },
  批准: { forms: ['/批准 @某人'], who: '主要负责人（主要负责人本人的请假由上级审批）', example: '/批准 @张三' },
  驳回: { forms: ['/驳回 @某人 [理由]'], who: '主要负责人（主要负责人本人的请假由上级审批）', example: '/驳回 @张三 会议不宜缺席' },
  书面发言: { forms: ['/书面发言 提交', '/书面发言 提交 @某人'], who: '请假获批的人本人，或联络员代为登记', example: '/书面发言 提交' },
  转告: { forms: ['/转告 @某人'], who: '主要负责人（会后向缺席人转告会议情况和批评意见）', example: '/转告 @张三' },
  稍后: { forms: ['/稍后', '/稍后 <提醒编号>'], who: '被提醒的人', example: '/稍后 12', note: '下一个工作日再提醒您；已逾期或今天截止的事项不能推迟。' },
  提醒: { forms: ['/提醒', '/提醒 时间 <0-23>', '/提醒 提前 <工作日数>', '/提醒 升级 <提醒负责人天数> <报上级天数>'], who: '查看：本单位人员；修改：联络员', example: '/提醒 时间 9' },
  整改: {
    forms: [
      '/整改 新增 @某人 <内容> 截止 <日期> [立行立改|限期整改|需协调]',
      '/整改 完成 <编号> <说明>',
      '/整改 延期 <编号> <新日期> <理由>',
      '/整改 核实 <编号>',
      '/整改 列表', '/整改 我的', '/整改 逾期', '/整改 查看 <编号>',
    ],
    who: '新增、核实：联络员、主要负责人；完成、延期：责任人、联络员、主要负责人',
    example: '/整改 完成 3 已更换门禁系统',
    note: '立行立改事项不写截止日期时，默认会后7天。',
  },
};

export const help = {
  'help.overview': (p: { botName: string }) =>
    lines(
      `${p.botName} · 常用命令`,
      '/进度 查看会议进度',
      '/请假 <原因> 请假（原因只发给审批人）',
      '/谈心 @某人 [日期] [面谈|电话|网络|上门] 登记谈心谈话',
      '/提纲 提交 提交发言提纲',
      '/整改 列表 查看整改事项；/整改 完成 <编号> <说明>',
      '/完成 <环节> 登记环节完成（联络员、主要负责人）',
      '/会议 新建 <民主生活会|组织生活会> <日期> 安排会议',
      '/成员 添加 @某人 <角色> 维护名单；/单位 设置 <名称> 绑定本群',
      '发送 /帮助 <命令> 查看详细用法，例如：/帮助 整改',
    ),
  'help.topic': (p: { command: string }) => {
    const u = USAGE[p.command];
    if (!u) return `没有“${p.command}”这个命令。发送 /帮助 查看全部命令。`;
    return lines(`/${p.command} 用法`, ...u.forms, `谁可以用：${u.who}`, `例如：${u.example}`, u.note);
  },
  'help.steps': (p: { kind?: MeetingKind }) => {
    const kinds: MeetingKind[] = p.kind ? [p.kind] : ['democratic_life', 'org_life'];
    return lines(
      '/完成 <环节> 用法',
      ...kinds.map((k) => `${kindLabel(k)}可登记的环节：${manualSteps(k).map((s) => step(s.id, k)).join('、')}`),
      '谈心、提纲、请假、缺席、整改落实、归档由机器人根据登记自动统计。',
      '期限：方案会前15天，通知会前10天，报告和记录会后15天（组织生活会沿用同样期限，可由联络员调整）。',
      `例如：/完成 ${STEP_WORDS.plan[0]} 已报上级党组织审核`,
    );
  },
  'help.rules': (_: Record<string, never>) =>
    lines(
      '期限规则（武组发〔2017〕129号）',
      `民主生活会：${KIND_RULES.democratic_life.steps.filter((s) => s.offsetDays && s.offsetDays !== 0).map((s) => `${step(s.id, 'democratic_life')} D${s.offsetDays! > 0 ? '+' : ''}${s.offsetDays}`).join('，')}`,
      `组织生活会：${KIND_RULES.org_life.steps.filter((s) => s.offsetDays && s.offsetDays !== 0).map((s) => `${step(s.id, 'org_life')} D${s.offsetDays! > 0 ? '+' : ''}${s.offsetDays}`).join('，')}（原文未规定天数，沿用民主生活会期限）`,
    ),
};
