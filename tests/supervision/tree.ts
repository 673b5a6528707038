import { startWorld, type World } from './driver.js';

/**
 * A district in every state, seeded through the real commands on a moving ManualClock:
 *
 * 区委组织部 (上级 陈部长)                 区卫健委 (上级 周部长)
 * ├─ 甲单位  民主生活会 12-10: 方案、通知按时     └─ 己单位  民主生活会 12-20
 * ├─ 乙单位  民主生活会 12-08: 方案晚3天，通知未登记
 * ├─ 丙单位  民主生活会 12-12: 方案未登记；2条消息发送失败
 * ├─ 丁单位  民主生活会 11-20: 已召开，整改1项逾期、1项完成、1项进行中
 * ├─ 戊单位  未安排会议（部署截止 2027-01-31）
 * └─ 教育工委 (上级 吴部长；未安排会议，部署之后才建立)
 *    └─ 庚支部  组织生活会 12-15
 *
 * Private contents planted for the confidentiality tests: a leave reason, a rejection reason and a
 * talk note in 甲单位.
 */
export const SECRETS = { leaveReason: '机密理由ZX9', rejectReason: '驳回理由RJ5', talkNote: '谈话备注QW7', otherReason: '另有安排AB3' } as const;

/** The day the summaries are looked at. */
export const SUMMARY_DAY = '2026-12-01';
export const THEME = '深入学习贯彻党的创新理论';
export const CAMPAIGN_END = '2027-01-31';

export const MEETING_DAY = { 甲单位: '2026-12-10', 乙单位: '2026-12-08', 丙单位: '2026-12-12', 丁单位: '2026-11-20', 庚支部: '2026-12-15', 己单位: '2026-12-20' } as const;

const team = async (w: World, unit: string, parent: string, kind: 'team' | 'branch' = 'team') => {
  const chat = `${unit}群`;
  const op = `联络员${unit}`;
  await w.run(op, chat, `/单位 设置 ${unit} 上级 ${parent}`, `/成员 添加 @书记${unit} 主要负责人`, `/成员 添加 @成员${unit}1 @成员${unit}2 班子成员`);
  if (kind === 'branch') await w.run(op, chat, `/成员 添加 @党员${unit}1 党员`);
};

export async function buildTree(): Promise<World> {
  const w = await startWorld('2026-11-01');
  await w.run('陈部长', '组织部群', '/单位 设置 区委组织部', '/成员 添加 @陈部长 上级');
  await w.run('周部长', '卫健委群', '/单位 设置 区卫健委', '/成员 添加 @周部长 上级');
  for (const u of ['甲单位', '乙单位', '丙单位', '丁单位', '戊单位']) await team(w, u, '区委组织部');
  await team(w, '己单位', '区卫健委');
  await w.run('陈部长', '组织部群', `/部署 民主生活会 ${THEME} 截止 ${CAMPAIGN_END}`);
  // Joins after the campaign: it carries none.
  await w.run('联络员教育工委', '教育工委群', '/单位 设置 教育工委 上级 区委组织部', '/成员 添加 @吴部长 上级');
  await team(w, '庚支部', '教育工委', 'branch');

  for (const u of ['甲单位', '乙单位', '丙单位', '丁单位'] as const) await w.run(`联络员${u}`, `${u}群`, `/会议 新建 民主生活会 ${MEETING_DAY[u]}`);
  await w.run('联络员庚支部', '庚支部群', `/会议 新建 组织生活会 ${MEETING_DAY.庚支部} 对照党章找差距`);
  await w.run('联络员己单位', '己单位群', `/会议 新建 民主生活会 ${MEETING_DAY.己单位} 加强党性修养`);

  w.day('2026-11-05');
  await w.run('联络员丁单位', '丁单位群', '/完成 方案 已报区委组织部审核');
  w.day('2026-11-10');
  await w.run('联络员丁单位', '丁单位群', '/完成 通知');
  w.day('2026-11-15');
  await w.run('联络员丁单位', '丁单位群', '/完成 学习', '/完成 征求意见 发放征求意见表30份，收集意见12条', '/完成 对照检查');
  await w.run('书记丁单位', '丁单位群', '/谈心 @成员丁单位1 面谈', '/谈心 @成员丁单位2 电话', '/提纲 提交');
  await w.run('成员丁单位1', '丁单位群', '/提纲 提交');
  await w.run('成员丁单位2', '丁单位群', '/提纲 提交');
  await w.run('书记丁单位', '丁单位群', '/提纲 审核 @成员丁单位1', '/提纲 审核 @成员丁单位2');
  await w.run('陈部长', '丁单位群', '/提纲 审核 @书记丁单位');

  w.day('2026-11-20');
  await w.run('联络员甲单位', '甲单位群', '/完成 方案');
  await w.run('成员甲单位1', '甲单位群', `/请假 ${SECRETS.leaveReason}`);
  await w.run('成员甲单位2', '甲单位群', `/请假 ${SECRETS.otherReason}`);
  await w.run('书记甲单位', '甲单位群', '/批准 @成员甲单位1', `/驳回 @成员甲单位2 ${SECRETS.rejectReason}`, `/谈心 @成员甲单位1 面谈 ${SECRETS.talkNote}`);
  await w.run('书记丁单位', '丁单位群', '/会议 召开');
  await w.run('联络员丁单位', '丁单位群',
    '/整改 新增 @成员丁单位1 修订理论学习制度 截止 2026-11-25',
    '/整改 新增 @成员丁单位2 整改会风会纪问题 截止 2026-11-28',
    '/整改 新增 @书记丁单位 完善重大事项决策程序 截止 2026-12-20');

  w.day('2026-11-26');
  await w.run('联络员乙单位', '乙单位群', '/完成 方案');
  await w.run('成员丁单位2', '丁单位群', '/整改 完成 2 已开展专项整治');
  w.day('2026-11-28');
  await w.run('联络员甲单位', '甲单位群', '/完成 通知');

  // The scheduler's outbox gave up on two messages to 丙单位; one to 乙单位 went out.
  const unitId = async (name: string) => (await w.db.selectFrom('unit').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const row = (unit: number, key: string, status: string) => ({
    message_key: key, unit_id: unit, channel: 'console', target_kind: 'chat', target_id: 'x', target_name: null, person_id: null,
    text: '提醒', mentions: '[]', status, attempts: 5, next_attempt_at: '2026-11-30T01:00:00.000Z', last_error: 'timeout', created_at: '2026-11-30T01:00:00.000Z', sent_at: null,
  });
  await w.db.insertInto('outbox').values([row(await unitId('丙单位'), 'k1', 'failed'), row(await unitId('丙单位'), 'k2', 'failed'), row(await unitId('乙单位'), 'k3', 'sent')]).execute();

  w.day(SUMMARY_DAY);
  return w;
}
