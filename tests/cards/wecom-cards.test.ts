import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { atLocalTime } from '../../src/domain/dates.js';
import { startPlatformApp, wecomSay } from '../helpers/platform-app.js';
import { createScheduler } from '../../src/scheduler/cron.js';
import { FakeWecomServer, type ReceivedFrame } from '../fakes/wecom-server.js';

/**
 * Buttons on WeCom, through the official `@wecom/aibot-node-sdk` against the fake: the leave card
 * sent to the principal privately, a click delivered as WeCom sends it (template_card_event with
 * the clicker's userid), the decision in the store, and the card updated in answer to the click.
 */
let wecom: FakeWecomServer;
let app: App;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(atLocalTime('2026-11-25', 10, 0));
  wecom = await FakeWecomServer.start({ botId: 'bot-1', secret: 'wecom-secret-xyz' });
  app = await startPlatformApp({ WECOM_BOT_ID: 'bot-1', WECOM_BOT_SECRET: 'wecom-secret-xyz', WECOM_WS_URL: wecom.wsUrl, WECOM_API_BASE: wecom.apiBase }, clock);
  await wecom.waitForAuth(1);
});

afterEach(async () => {
  await app.stop();
  await wecom.close();
  vi.restoreAllMocks();
});

const say = (userid: string, content: string, group = true) => wecomSay(wecom, userid, content, group ? 'wrGroupA' : undefined);

/** The first markdown message sent to `chatid` from frame number `after` on. */
async function nextMarkdownTo(chatid: string, after: number): Promise<string> {
  const f = await wecom.waitFor((x) => x.seq >= after && x.cmd === 'aibot_send_msg' && x.body?.chatid === chatid && x.body?.msgtype === 'markdown');
  return String(f.body.markdown.content);
}

async function aUnit(): Promise<void> {
  for (const [who, text] of [
    ['zhangsan', '/单位 设置 甲单位'], ['zhangsan', '/成员 添加 @王书记 主要负责人'], ['wangsj', '/我是 王书记'], ['zhangsan', '/成员 确认 王书记'],
    ['zhangsan', '/成员 添加 @李四 @赵敏 班子成员'], ['lisi', '/我是 李四'], ['zhangsan', '/成员 确认 李四'], ['zhaomin', '/我是 赵敏'], ['zhangsan', '/成员 确认 赵敏'],
    ['zhangsan', '/会议 新建 民主生活会 2026-12-28'],
  ] as const) await say(who, text);
}

const auditRows = (action: string) => app.db.selectFrom('audit_log').select(['actor_id', 'action', 'entity_id', 'chat']).where('action', '=', action).execute();

describe('WeCom template cards', () => {
  it('sends the leave card privately, runs 批准 as the clicker, updates the card, and handles a redelivered click once', async () => {
    await aUnit();
    const group = await say('lisi', '/请假 外出参加培训');
    expect(group).toContain('李四 已提交请假申请');
    expect(group).not.toContain('外出参加培训');
    const sent = await wecom.until(() => wecom.cardsSent().find((c) => c.chatid === 'wangsj'), 3000, 'the leave card');
    expect(sent.card).toMatchObject({ card_type: 'button_interaction', main_title: { title: '请假审批：李四' } });
    expect(sent.card.sub_title_text).toContain('原因：外出参加培训');
    expect(sent.card.button_list.map((b: { text: string }) => b.text)).toEqual(['批准', '驳回']);
    // The reason is on the principal's private card only: nothing sent to the group carries it.
    expect(JSON.stringify(wecom.frames.filter((f) => f.body?.chatid === 'wrGroupA'))).not.toContain('外出参加培训');

    const seqBefore = wecom.frames.length;
    const reqId = wecom.pushCardClick({ userid: 'wangsj', taskId: sent.card.task_id, eventKey: sent.card.button_list[0].key, msgid: 'click-1' });
    const update = await wecom.waitFor((f) => f.cmd === 'aibot_respond_update_msg' && f.reqId === reqId);
    expect(update.body).toMatchObject({ response_type: 'update_template_card', template_card: { task_id: sent.card.task_id } });
    expect(update.body.template_card.main_title.desc).toBe('已批准 · 王书记 · 2026年11月25日');
    expect(update.body.template_card.button_list).toHaveLength(1);
    expect(await nextMarkdownTo('lisi', seqBefore)).toContain('您的请假已批准');
    expect(await nextMarkdownTo('wrGroupA', seqBefore)).toContain('李四 的请假已批准');
    const leave = await app.db.selectFrom('leave_request').select(['status', 'decided_by']).executeTakeFirstOrThrow();
    const wang = await app.db.selectFrom('identity').select('person_id').where('user_id', '=', 'wangsj').executeTakeFirstOrThrow();
    expect(leave).toEqual({ status: 'approved', decided_by: wang.person_id });
    expect(await auditRows('leave.approve')).toEqual([{ actor_id: wang.person_id, action: 'leave.approve', entity_id: 1, chat: 'wecom:wangsj' }]);

    // WeCom pushes the same click again (same msgid, new req_id): handled once.
    const again = wecom.pushCardClick({ userid: 'wangsj', taskId: sent.card.task_id, eventKey: sent.card.button_list[0].key, msgid: 'click-1' });
    await new Promise((r) => setTimeout(r, 150));
    expect(wecom.frames.some((f) => f.cmd === 'aibot_respond_update_msg' && f.reqId === again)).toBe(false);
    expect(await auditRows('leave.approve')).toHaveLength(1);

    // A second, new click on the old card: already decided, said clearly.
    const seq2 = wecom.frames.length;
    wecom.pushCardClick({ userid: 'wangsj', taskId: sent.card.task_id, eventKey: sent.card.button_list[1].key, msgid: 'click-2' });
    expect(await nextMarkdownTo('wangsj', seq2)).toContain('李四 的请假已经批准（王书记，2026年11月25日），不用再处理。');
    expect(await auditRows('leave.reject')).toEqual([]);
  });

  it('refuses a click by someone without the right with the typed command’s own words, and answers a click on a cancelled meeting’s card', async () => {
    await aUnit();
    await say('zhaomin', '/请假 有事');
    const card = (await wecom.until(() => wecom.cardsSent().find((c) => c.chatid === 'wangsj'), 3000, 'the leave card')).card;
    const typed = await say('lisi', '/批准 @赵敏', false);
    const seq = wecom.frames.length;
    wecom.pushCardClick({ userid: 'lisi', taskId: card.task_id, eventKey: card.button_list[0].key });
    expect(await nextMarkdownTo('lisi', seq)).toBe(typed);
    expect(typed).toContain('只有主要负责人');
    expect((await app.db.selectFrom('leave_request').select('status').executeTakeFirstOrThrow()).status).toBe('pending');

    await say('zhangsan', '/会议 取消 另行安排');
    const seq2 = wecom.frames.length;
    const reqId = wecom.pushCardClick({ userid: 'wangsj', taskId: card.task_id, eventKey: card.button_list[0].key });
    expect(await nextMarkdownTo('wangsj', seq2)).toContain('这次会议已经取消，卡片上的按钮不再有效。发送 /进度 查看现在的安排。');
    const update: ReceivedFrame = await wecom.waitFor((f) => f.cmd === 'aibot_respond_update_msg' && f.reqId === reqId);
    expect(update.body.template_card.main_title.desc).toBe('会议已取消');
    expect((await app.db.selectFrom('leave_request').select('status').executeTakeFirstOrThrow()).status).toBe('pending');
  });

  it('a group reminder goes out as its text (with the @mentions) and a card; each click is checked against the clicker', async () => {
    await aUnit();
    const scheduler = createScheduler(app, { cron: false });
    try {
      clock.set(atLocalTime('2026-12-08', 9, 5));
      await scheduler.tick();
      const text = await wecom.waitFor((f) => f.cmd === 'aibot_send_msg' && f.body?.chatid === 'wrGroupA' && f.body?.msgtype === 'markdown');
      expect(String(text.body.markdown.content)).toContain('<@wangsj>');
      const { card } = await wecom.until(() => wecom.cardsSent().find((c) => c.chatid === 'wrGroupA'), 3000, 'the reminder card');
      const labels = card.button_list.map((b: { text: string }) => b.text);
      expect(labels[0]).toBe('明天再提醒');
      const later = card.button_list[0];

      // 李四 is not addressed by these reminders: refused exactly as the typed /稍后 with those numbers.
      const numbers = (await app.db.selectFrom('reminder_log').select('id').orderBy('id').execute()).map((r) => r.id);
      const typed = await say('lisi', `/稍后 ${numbers.join(' ')}`);
      const seq = wecom.frames.length;
      wecom.pushCardClick({ userid: 'lisi', chatid: 'wrGroupA', taskId: card.task_id, eventKey: later.key });
      expect(await nextMarkdownTo('wrGroupA', seq)).toBe(typed);
      expect(typed).toContain('不是发给您的');
      expect(await app.db.selectFrom('snooze').select('id').execute()).toEqual([]);

      const seq2 = wecom.frames.length;
      wecom.pushCardClick({ userid: 'wangsj', chatid: 'wrGroupA', taskId: card.task_id, eventKey: later.key });
      expect(await nextMarkdownTo('wrGroupA', seq2)).toContain('再提醒您');
      const wang = await app.db.selectFrom('identity').select('person_id').where('user_id', '=', 'wangsj').executeTakeFirstOrThrow();
      const snoozed = await app.db.selectFrom('snooze').select(['person_id', 'until_date']).execute();
      expect(snoozed.length).toBeGreaterThan(0);
      expect(snoozed.every((r) => r.person_id === wang.person_id && r.until_date === '2026-12-09')).toBe(true);
    } finally {
      scheduler.stop();
    }
  });
});
