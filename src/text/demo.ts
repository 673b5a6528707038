import { addDays } from '../domain/dates.js';

/** The demo unit's name (printed after loading). */
export const DEMO_UNIT = '区教育局党组';
/** The demo's supervisor: `npm run demo` prints a dashboard link for this person. */
export const DEMO_SUPERVISOR = '陈部长';

/** The sample unit of `npm run demo`: a supervisor unit, a leadership team, a meeting in 20 days. */
export function demoScript(today: string): string[] {
  const meetingDay = addDays(today, 20);
  return [
    ':chat 组织部督导群',
    ':user 陈部长',
    '/单位 设置 区委组织部',
    '/成员 添加 @陈部长 上级',
    ':chat 教育局党组群',
    ':user 刘联络员',
    '/单位 设置 区教育局党组 上级 区委组织部',
    '/成员 添加 @王书记 主要负责人',
    '/成员 添加 @张三 @李四 @赵敏 班子成员',
    `/会议 新建 民主生活会 ${meetingDay} 深入学习贯彻党的创新理论，加强党性修养`,
    '/完成 学习 集中学习一次',
    ':user 王书记',
    '/谈心 @张三 面谈',
    ':user 张三',
    '/提纲 提交',
    ':user 刘联络员',
  ];
}
