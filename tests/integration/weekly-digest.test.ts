import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atLocalTime } from '../../src/domain/dates.js';
import { createWorkCalendar } from '../../src/scheduler/calendar.js';
import { createScheduler } from '../../src/scheduler/cron.js';
import { enqueueWeeklyDigests, isDigestDay } from '../../src/scheduler/digest-job.js';
import { startChat, type Chat } from '../helpers/chat.js';

/** The supervisors' weekly digest: once a week, on the configured weekday and hour, to their chat. */
let chat: Chat;

beforeEach(async () => {
  chat = await startChat({ today: '2026-11-25' });
  const sup = chat.as('陈部长').in('组织部群');
  await sup.say('/单位 设置 区委组织部');
  await sup.say('/成员 添加 @陈部长 上级');
  const op = chat.as('刘联络员').in('党组群');
  await op.say('/单位 设置 区教育局党组 上级 区委组织部');
  await op.say('/成员 添加 @王书记 主要负责人');
  await op.say('/会议 新建 民主生活会 2026-12-05');
});

afterEach(async () => {
  await chat.stop();
});

const outbox = async () => chat.rows<{ message_key: string; target_id: string; text: string }>('outbox');

describe('weekly digest', () => {
  it('goes to the supervising unit’s chat on Monday from 09:00, once, with the units needing attention', async () => {
    const cal = createWorkCalendar();
    // Monday 30 Nov 08:59: not yet.
    expect(await enqueueWeeklyDigests(chat.db, chat.app.config, cal, atLocalTime('2026-11-30', 8, 59))).toBe(0);
    expect(await enqueueWeeklyDigests(chat.db, chat.app.config, cal, atLocalTime('2026-11-30', 9, 0))).toBe(1);
    const [row] = (await outbox());
    expect(row!.target_id).toBe('组织部群');
    expect(row!.text).toContain('区教育局党组'); // plan due 20 Nov and not recorded: red
    // Again the same day, or on Tuesday: nothing more.
    expect(await enqueueWeeklyDigests(chat.db, chat.app.config, cal, atLocalTime('2026-11-30', 15, 0))).toBe(0);
    expect(await enqueueWeeklyDigests(chat.db, chat.app.config, cal, atLocalTime('2026-12-01', 9, 0))).toBe(0);
    expect((await outbox())).toHaveLength(1);
  });

  it('is sent by the scheduler’s tick, with the reminders, to the supervisors’ group', async () => {
    const scheduler = createScheduler(chat.app, { cron: false });
    try {
      chat.setDay('2026-11-30', 9, 5);
      await scheduler.tick();
      expect(chat.transcript.some((l) => l.startsWith('[群 组织部群]'))).toBe(true);
      expect((await outbox()).filter((r) => r.target_id === '组织部群')).toHaveLength(1);
      await scheduler.tick();
      expect((await outbox()).filter((r) => r.target_id === '组织部群')).toHaveLength(1);
    } finally {
      scheduler.stop();
    }
  });

  it('moves to the first working day of the week when Monday is a holiday (国庆 2026: 1–7 Oct off)', () => {
    const cal = createWorkCalendar();
    expect(isDigestDay('2026-10-05', 1, cal)).toBe(false); // Monday, holiday
    expect(isDigestDay('2026-10-07', 1, cal)).toBe(false); // Wednesday, holiday
    expect(isDigestDay('2026-10-08', 1, cal)).toBe(true); // Thursday, first working day that week
    expect(isDigestDay('2026-10-09', 1, cal)).toBe(false);
    expect(isDigestDay('2026-11-30', 1, cal)).toBe(true);
    expect(isDigestDay('2026-12-01', 1, cal)).toBe(false);
  });
});
