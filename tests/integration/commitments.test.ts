import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/scheduler/cron.js';
import { startChat, type Chat } from '../helpers/chat.js';

/**
 * After the 民主评议 closes, every member owes a 整改承诺: the scheduler chases the ones missing
 * (7 days after closing, then daily while overdue) and stops for those who handed one in.
 */
let chat: Chat;

beforeEach(async () => {
  chat = await startChat({ today: '2026-12-01' });
});

afterEach(async () => {
  await chat.stop();
});

describe('整改承诺 chasing', () => {
  it('reminds only the members without a commitment, once per working day', async () => {
    const op = chat.as('刘联络员').in('支部群');
    await op.say('/单位 设置 机关第一党支部');
    await op.say('/成员 添加 @周书记 主要负责人');
    await op.say('/成员 添加 @吴委员 支委');
    await op.say('/成员 添加 @郑党员 @王党员 党员');
    await op.say('/会议 新建 组织生活会 2026-12-03');
    chat.setDay('2026-12-03', 15);
    await op.say('/会议 召开');
    await op.say('/评议 开始');
    await op.say('/评议 结束');
    // 周书记 hands in a commitment; the other three do not.
    await chat.as('周书记').privately().say('/承诺 加强理论学习，每月读书一本');
    const scheduler = createScheduler(chat.app, { cron: false });
    try {
      // Closed Thu 3 Dec → due Thu 10 Dec; advance reminder 3 working days before: Mon 7 Dec.
      chat.setDay('2026-12-07', 9, 30);
      await scheduler.tick();
      const reminder = chat.transcript.filter((l) => l.includes('提交整改承诺'));
      expect(reminder.length).toBeGreaterThan(0);
      const text = reminder.join('\n');
      expect(text).toContain('@吴委员');
      expect(text).toContain('@郑党员');
      expect(text).toContain('@王党员');
      expect(text).not.toContain('@周书记');
      // A late commitment stops that person's reminders from the next run on.
      await chat.as('吴委员').privately().say('/承诺 按时参加组织生活');
      chat.setDay('2026-12-10', 9, 30);
      const before = chat.transcript.length;
      await scheduler.tick();
      const due = chat.transcript.slice(before).filter((l) => l.includes('提交整改承诺')).join('\n');
      expect(due).toContain('@郑党员');
      expect(due).not.toContain('@吴委员');
      // Same day again: nothing new.
      const after = chat.transcript.length;
      await scheduler.tick();
      expect(chat.transcript.slice(after).filter((l) => l.includes('提交整改承诺'))).toHaveLength(0);
    } finally {
      scheduler.stop();
    }
  });
});
