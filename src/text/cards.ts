import type { LocalDate } from '../domain/dates.js';
import type { MeetingKind } from '../domain/types.js';
import { d, kindLabel } from './format.js';

type Empty = Record<string, never>;

/** What cards show: titles, lines and button labels (buttons run the commands a person would type). */
export const cardText = {
  leaveTitle: (p: { name: string }) => `请假审批：${p.name}`,
  /** The private card's lines: the reason appears only here, on the approver's own card. */
  leaveLines: (p: { name: string; reason: string; kind: MeetingKind; date: string; unit: string }) => [
    `${p.unit} ${kindLabel(p.kind)}（${d(p.date)}）`,
    `请假人：${p.name}`,
    `原因：${p.reason}`,
    `也可以直接发送：/批准 @${p.name}，或 /驳回 @${p.name} <理由>`,
  ],
  approve: () => '批准',
  reject: () => '驳回',
  done: () => '已完成',
  doneNo: (p: { no: number }) => `完成第${p.no}条`,
  later: () => '明天再提醒',
  view: () => '查看',
  viewNo: (p: { no: number }) => `查看第${p.no}条`,
  progress: () => '查看进度',
  askReason: (p: { name: string }) => `请直接回复驳回 ${p.name} 请假的理由（一句话）。也可以发送：/驳回 @${p.name} 理由`,
  askNote: (p: { no: number }) => `请直接回复整改第${p.no}号的完成说明（一句话，例如：已修订并印发；在群里回复时要 @机器人）。也可以发送：/整改 完成 ${p.no} 说明`,
  outcomeLeave: (p: { approved: boolean; by: string; at: LocalDate }) => `${p.approved ? '已批准' : '已驳回'} · ${p.by} · ${d(p.at)}`,
  outcomeItemDone: (p: { no: number }) => `整改第${p.no}号已完成`,
  outcomeCancelled: (_: Empty) => '会议已取消',
  outcomeGone: (_: Empty) => '已失效',
};

/** Replies to a press that cannot run: the card is stale, or what it is about is settled. */
export const cardReplies = {
  'card.leaveDecided': (p: { name: string; approved: boolean; by: string; at: LocalDate }) =>
    `${p.name} 的请假已经${p.approved ? '批准' : '驳回'}（${p.by}，${d(p.at)}），不用再处理。`,
  'card.itemDone': (p: { no: number }) => `整改第${p.no}号已经完成，不用再登记。查看记录：/整改 查看 ${p.no}`,
  'card.meetingCancelled': (_: Empty) => '这次会议已经取消，卡片上的按钮不再有效。发送 /进度 查看现在的安排。',
  'card.gone': (_: Empty) => '卡片上的事项已经不存在了。发送 /进度 查看现在的安排。',
  'card.unknown': (_: Empty) => '这张卡片已经失效。请按消息里写的命令直接发送。',
};
