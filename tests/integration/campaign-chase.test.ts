import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atLocalTime } from '../../src/domain/dates.js';
import { createWorkCalendar } from '../../src/scheduler/calendar.js';
import { enqueueCampaignChases } from '../../src/scheduler/campaign-job.js';
import { startChat, type Chat } from '../helpers/chat.js';

/** Units that have not scheduled the meeting an upper-level /部署 asked for are chased in their own chat. */
let chat: Chat;
const cal = createWorkCalendar();

beforeEach(async () => {
  chat = await startChat({ today: '2026-11-25' });
  const sup = chat.as('陈部长').in('组织部群');
  await sup.say('/单位 设置 区委组织部');
  await sup.say('/成员 添加 @陈部长 上级');
  for (const [unit, group, principal] of [['甲局党组', '甲群', '甲书记'], ['乙局党组', '乙群', '乙书记']] as const) {
    const op = chat.as(`${unit}联络员`).in(group);
    await op.say(`/单位 设置 ${unit} 上级 区委组织部`);
    await op.say(`/成员 添加 @${principal} 主要负责人`);
  }
  await chat.as('陈部长').in('组织部群').say('/部署 民主生活会 学思想强党性 截止 2027-01-31');
  await chat.as('甲局党组联络员').in('甲群').say('/会议 新建 民主生活会 2027-01-15');
});

afterEach(async () => {
  await chat.stop();
});

const chases = async () => (await chat.rows<{ target_id: string; text: string }>('outbox')).filter((r) => r.text.includes('上级部署'));
const run = (date: string, hour = 9, minute = 5) => enqueueCampaignChases(chat.db, chat.app.config, cal, atLocalTime(date, hour, minute));

describe('campaign chasing', () => {
  it('chases only the unit without a meeting in the window: weekly, then daily near the end, never twice a day', async () => {
    expect(await run('2026-11-30', 8, 0)).toBe(0); // before the reminder hour
    expect(await run('2026-11-30')).toBe(1); // Monday
    expect((await chases())).toHaveLength(1);
    expect((await chases())[0]!.target_id).toBe('乙群');
    expect((await chases())[0]!.text).toContain('@乙书记');
    expect((await chases())[0]!.text).toContain('/会议 新建 民主生活会');
    expect(await run('2026-11-30', 15)).toBe(0); // same day
    expect(await run('2026-12-01')).toBe(0); // Tuesday, weeks before the end
    expect(await run('2027-01-20')).toBe(1); // Wednesday, within the last 10 working days
    expect(await run('2027-01-21')).toBe(1);
    expect(await run('2027-01-23')).toBe(0); // Saturday
    // Once 乙 schedules its meeting inside the window, the chasing stops.
    await chat.as('乙局党组联络员').in('乙群').say('/会议 新建 民主生活会 2027-01-29');
    expect(await run('2027-01-22')).toBe(0);
  });
});
