import type { LocalDate } from '../domain/dates.js';
import type { DeadlineState, Light, PaperStep, UnitFlag } from '../domain/summary.js';
import type { ItemState, MeetingKind, MeetingPhase, Role, StepStatus } from '../domain/types.js';
import { d, kindLabel, lines, roleLabel } from './format.js';
import { deadlineText, paperLabel } from './supervision.js';

/**
 * The web dashboard's words: the chat replies of /看板, the CLI's `dashboard link`, and every word
 * of its pages and charts. No parameter here is a criticism, a talk note, a leave reason, a vote or
 * a self-appraisal.
 */

type Empty = Record<string, never>;

/** Chat replies (members of the text catalogue). */
export const dashboardChat = {
  'dashboard.link': (p: { url: string; minutes: number }) =>
    lines(
      '📊 看板登录链接（仅限您本人使用）：',
      p.url,
      `${p.minutes}分钟内有效，只能使用一次。请勿转发；需要时再发送 /看板 获取新的链接。`,
    ),
  'dashboard.sentPrivately': (p: { name: string }) =>
    `${p.name}，看板登录链接已私聊发给您（群里不发链接）。没有收到的，请私聊机器人发送 /看板。`,
  'dashboard.noScope': (_: Empty) => '看板只对上级、联络员和主要负责人开放：您在名单上没有这些身份。请联络员用 /成员 添加 为您设置。',
  'dashboard.off': (_: Empty) => '看板尚未开启。请管理员在配置中设置 DASHBOARD_PORT（和对外地址 DASHBOARD_URL）后重启机器人。',
};

/** The CLI's `shenghuohui dashboard link --person <姓名>`. */
export const dashboardCli = {
  usage: () => '用法：shenghuohui dashboard link --person <姓名>（给此人生成一个看板登录链接，打印在终端里）',
  unknownPerson: (p: { name: string }) => `没有名为“${p.name}”的人员。请用名单上的姓名，例如：--person 陈部长`,
  ambiguousPerson: (p: { name: string; count: number }) => `名单上有${p.count}位“${p.name}”，无法确定是谁。请在聊天中让本人私聊机器人发送 /看板。`,
  noScope: (p: { name: string }) => `${p.name} 不是任何单位的上级、联络员或主要负责人，看板上没有可看的内容。`,
  link: (p: { name: string; url: string; minutes: number }) => `${p.name} 的看板登录链接（${p.minutes}分钟内有效，只能使用一次）：\n${p.url}`,
  started: (p: { url: string }) => `看板已启动：${p.url}`,
  demoLink: (p: { name: string; url: string; minutes: number }) =>
    `📊 看板：用浏览器打开下面的链接，以 ${p.name}（上级）的身份查看示例数据（${p.minutes}分钟内有效，只能使用一次；在聊天里发送 :user ${p.name} 再发送 /看板 可获取新的链接）：\n${p.url}`,
  portBusy: (p: { port: number; reason: string }) => `看板未能启动：端口 ${p.port} 无法使用（${p.reason}）。请换一个 DASHBOARD_PORT。`,
};

const LIGHT_WORD: Record<Light, string> = { red: '红灯', yellow: '黄灯', green: '绿灯' };
const PHASE: Record<MeetingPhase, string> = { prepare: '会前准备', hold: '会议召开', rectify: '会后整改', completed: '已完成', cancelled: '已取消' };
const STEP_STATUS: Record<StepStatus, string> = { done: '已完成', pending: '待办', due_soon: '即将到期', overdue: '已逾期', optional: '可选' };
const ITEM_STATE: Record<ItemState, string> = { open: '进行中', extended: '已延期', overdue: '已逾期', done: '已完成' };

/** A paper step's cell in the tree: the words of /汇总. */
const paperCell = (s: DeadlineState | undefined, today: LocalDate): string => (s ? deadlineText(s, today) : '—');

function flagWord(f: UnitFlag, today: LocalDate): string {
  if (f.flag === 'no_meeting') return '未安排会议';
  return f.passed ? `未按部署在${d(f.end, today)}前召开${kindLabel(f.kind)}` : `尚未安排${d(f.end, today)}前的${kindLabel(f.kind)}`;
}

/** Words of the pages. */
export const page = {
  title: '生活会看板',
  lang: 'zh-CN',
  light: (l: Light) => LIGHT_WORD[l],
  phase: (p: MeetingPhase) => PHASE[p],
  kind: (k: MeetingKind) => kindLabel(k),
  role: (r: Role) => roleLabel(r),
  stepStatus: (s: StepStatus) => STEP_STATUS[s],
  itemState: (s: ItemState) => ITEM_STATE[s],
  paper: (p: PaperStep, kind?: MeetingKind) => paperLabel(p, kind),
  paperCell,
  flag: flagWord,
  date: (day: LocalDate, today?: LocalDate) => d(day, today),

  // ── header and navigation
  signedInAs: (p: { name: string; roles: string }) => `${p.name}（${p.roles}）`,
  signOut: '退出',
  overview: '全部单位',
  charts: '统计图',
  today: (day: LocalDate) => `数据日期：${day}`,

  // ── sign-in pages
  loginTitle: '登录看板',
  loginPrompt: (p: { name: string }) => `这是发给 ${p.name} 的看板登录链接。点击下面的按钮登录（链接只能使用一次）。`,
  loginButton: '登录看板',
  linkInvalid: '链接无效',
  linkInvalidBody: '这个链接不是机器人发出的有效链接（可能复制不完整）。请在与机器人的私聊中发送 /看板 获取新的链接。',
  linkUsed: '链接已使用',
  linkUsedBody: '这个登录链接已经用过一次，不能再用。请在与机器人的私聊中发送 /看板 获取新的链接。',
  linkExpired: '链接已过期',
  linkExpiredBody: (p: { minutes: number }) => `登录链接在发出后${p.minutes}分钟内有效，这个链接已经过期。请在与机器人的私聊中发送 /看板 获取新的链接。`,
  linkOtherPerson: '这个链接是发给另一个人的',
  linkOtherPersonBody: (p: { name: string }) => `您已经以 ${p.name} 的身份登录。登录链接只能由收到它的人本人使用；如需切换，请先点“退出”。`,
  formExpired: '登录页已失效',
  formExpiredBody: '请重新打开机器人私聊发给您的链接（如果已过期，发送 /看板 获取新的链接）。',
  signedOut: '已退出',
  signedOutBody: '您已退出看板。需要再看时，在与机器人的私聊中发送 /看板 获取登录链接。',
  needLogin: '请先登录',
  needLoginBody: '看板需要登录。请在与机器人的私聊中发送 /看板，打开机器人发给您的链接。',
  sessionEnded: '登录已超时',
  sessionEndedBody: (p: { minutes: number }) => `${p.minutes}分钟没有操作，已自动退出。请在与机器人的私聊中发送 /看板 重新获取登录链接。`,
  noScope: '没有可查看的单位',
  noScopeBody: '看板只对上级、联络员和主要负责人开放。',
  notFound: '没有找到',
  notFoundBody: '没有这个页面或单位，或者您无权查看。请从“全部单位”进入。',
  forbidden: '请求被拒绝',
  forbiddenBody: '这个请求没有有效的表单令牌（可能页面已过期）。请刷新页面后再试。',
  badRequest: '请求有误',
  badRequestBody: '请求的参数不对。请从页面上的链接和按钮进入。',
  serverError: '系统繁忙',
  serverErrorBody: '看板暂时无法显示，已记录。请稍后再试。',
  backHome: '返回看板',

  // ── overview
  overviewTitle: (p: { scope: string }) => `${p.scope} · 单位总览`,
  under: (p: { unit: string }) => `${p.unit} 及下级单位`,
  totals: (p: { units: number; red: number; yellow: number; green: number }) => `共 ${p.units} 个单位：红灯 ${p.red}，黄灯 ${p.yellow}，绿灯 ${p.green}`,
  totalsMore: (p: { noMeeting: number; overdueUnits: number; open: number; overdue: number; failed: number }) =>
    `未安排会议 ${p.noMeeting} 个；有逾期 ${p.overdueUnits} 个；整改未完成 ${p.open} 项（逾期 ${p.overdue} 项）；发送失败的消息 ${p.failed} 条`,
  filters: '筛选',
  filterOverdue: '只看有逾期的',
  filterNoMeeting: '只看未安排会议的',
  filterKind: '会议类型',
  filterCampaign: '上级部署',
  anyKind: '全部类型',
  anyCampaign: '全部',
  apply: '筛选',
  clear: '清除筛选',
  shown: (p: { shown: number; total: number; from: number; to: number }) =>
    p.shown === 0 ? `没有符合条件的单位（共 ${p.total} 个）。` : `符合条件的单位 ${p.shown} 个（共 ${p.total} 个），按严重程度排列；显示第 ${p.from}–${p.to} 个。`,
  prev: '上一页',
  next: '下一页',
  downloads: '下载',
  download: (p: { what: string; format: string }) => `${p.what}（${p.format}）`,
  exportSummary: '汇总表',
  exportItems: '整改清单',
  exportTalks: '谈心谈话记录（不含备注）',
  exportLeave: '请假记录（不含原因）',
  campaignOption: (p: { kind: MeetingKind; theme: string; end: LocalDate }) => `${kindLabel(p.kind)}「${p.theme}」${p.end}前`,
  col: {
    light: '状态', unit: '单位', parent: '上级单位', meeting: '会议', stage: '阶段', talks: '谈心覆盖率', leave: '请假',
    items: '整改未完成', overdue: '整改逾期', failed: '发送失败', flags: '提示', activity: '最近活动',
  },
  meetingCell: (p: { kind: MeetingKind; date: LocalDate }) => `${kindLabel(p.kind)} ${p.date}`,
  noMeeting: '未安排',
  none: '无',
  children: (p: { count: number }) => `下级 ${p.count} 个`,

  // ── unit page
  unitTitle: (p: { unit: string }) => `${p.unit} · 单位详情`,
  parentUnit: '上级单位',
  meeting: '会议',
  meetingLine: (p: { kind: MeetingKind; date: LocalDate; topic: string | null; phase: MeetingPhase; heldOn: LocalDate | null }) =>
    `${kindLabel(p.kind)}，${p.heldOn ? `${p.heldOn} 已召开` : `定于 ${p.date}`}${p.topic ? `，主题：${p.topic}` : ''}（${PHASE[p.phase]}）`,
  noMeetingYet: '尚未安排会议。',
  papers: '方案、通知、报告',
  steps: '各环节期限和状态',
  stepCol: { step: '环节', due: '期限', status: '状态', doneOn: '完成日期', owes: '待办人', progress: '进度' },
  coverage: (p: { percent: number; done: number; required: number }) => `谈心谈话：必谈 ${p.required} 对，已谈 ${p.done} 对（${p.percent}%）`,
  leaveLine: (p: { approved: number; pending: number; rejected: number }) => `请假：已批准 ${p.approved} 人，待审批 ${p.pending} 人，未批准 ${p.rejected} 人`,
  obligations: '尚未办理的事项',
  obligationCol: { what: '事项', due: '期限', who: '应办人' },
  noObligations: '没有尚未办理的事项。',
  items: '整改事项',
  itemCol: { no: '编号', content: '整改内容', owners: '责任人', deadline: '截止日期', state: '状态', doneOn: '完成日期', history: '历史' },
  noItems: '尚未登记整改事项。',
  overdueDays: (p: { days: number }) => `逾期${p.days}天`,
  childUnits: '下级单位',
  openChildren: (p: { count: number }) => `查看 ${p.count} 个下级单位`,
  failedLine: (p: { n: number }) => `发送失败的消息：${p.n} 条`,
  activityLine: (p: { day: LocalDate | undefined }) => `最近活动：${p.day ?? '无'}`,

  // ── charts
  chartLights: '各单位状态',
  chartOverdue: '逾期整改事项（近12周）',
  chartPapers: '方案、通知、报告按时情况',
  chartCampaigns: '上级部署进度',
  noCampaigns: '没有上级部署。',
  series: { onTime: '按时', late: '晚报', missing: '未登记', pending: '未到期', held: '已召开', arranged: '已安排', missingMeeting: '未安排', overdue: '逾期事项' },
  chartAlt: (p: { title: string; text: string }) => `${p.title}：${p.text}`,
};

export type PageText = typeof page;
