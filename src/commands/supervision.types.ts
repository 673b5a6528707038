import type { LocalDate } from '../domain/dates.js';
import type { ArchiveMaterial } from '../domain/rules.js';
import type { PaperStep } from '../domain/summary.js';
import type { MeetingKind } from '../domain/types.js';

/** Commands of the supervisor's views and the paperwork (members of the `Command` union). */
export type SupervisionCommand =
  /** /汇总, /汇总 逾期, /汇总 <单位名> */
  | { kind: 'summary'; overdueOnly?: boolean; unit?: string }
  /** /看板: a sign-in link to the web dashboard, sent privately */
  | { kind: 'dashboard.link' }
  /** /部署 <民主生活会|组织生活会> <主题> 截止 <日期> [方案提前 <天>] [通知提前 <天>] [报告期限 <天>] */
  | { kind: 'campaign.deploy'; meetingKind: MeetingKind; theme: string; end: LocalDate; planBefore?: number; noticeBefore?: number; reportWithin?: number }
  /** /设置 */
  | { kind: 'settings.show' }
  /** /设置 方案提前 <天>|默认 */
  | { kind: 'settings.set'; key: PaperStep; days: number | null }
  /** /报告 草稿 */
  | { kind: 'paper.report' }
  /** /通报 草稿 */
  | { kind: 'paper.inform' }
  /** /归档 */
  | { kind: 'archive.show' }
  /** /归档 <材料> 已归档 */
  | { kind: 'archive.mark'; material: ArchiveMaterial };
