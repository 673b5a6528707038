import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { platformChannels } from '../../src/bot/channels.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { atLocalTime } from '../../src/domain/dates.js';
import { memoryLogger } from '../bot/dingtalk/helpers.js';
import { createScheduler, type Scheduler } from '../../src/scheduler/cron.js';
import { FakeWecomServer } from '../fakes/wecom-server.js';
import { startFakeDingTalk, until, type FakeDingTalk } from '../fakes/dingtalk-server.js';
import { testStore } from '../helpers/store.js';

/**
 * One bot process serving a WeCom unit and a DingTalk unit at once: commands in through each
 * official SDK, replies back the same way, and the scheduler's reminders out to both groups with
 * @mentions the platforms understand.
 */
let wecom: FakeWecomServer;
let ding: FakeDingTalk;
let app: App;
let scheduler: Scheduler;
let clock: ManualClock;
let logLines: string[] = [];

beforeEach(async () => {
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  clock = new ManualClock(atLocalTime('2026-11-25', 10, 0));
  wecom = await FakeWecomServer.start({ botId: 'bot-1', secret: 'wecom-secret-xyz' });
  ding = await startFakeDingTalk({ clientId: 'dingapp0001', clientSecret: 'ding-secret-xyz', now: () => clock.now().getTime() });
  const config = loadConfig({
    DATABASE_URL: ':memory:',
    WECOM_BOT_ID: 'bot-1', WECOM_BOT_SECRET: 'wecom-secret-xyz', WECOM_WS_URL: wecom.wsUrl, WECOM_API_BASE: wecom.apiBase,
    DINGTALK_CLIENT_ID: 'dingapp0001', DINGTALK_CLIENT_SECRET: 'ding-secret-xyz', DINGTALK_API_BASE: ding.url, DINGTALK_OAPI_BASE: ding.url,
  });
  const { log, lines } = memoryLogger();
  logLines = lines;
  app = await createApp({ config, clock, log, db: (await testStore()).db });
  for (const c of platformChannels(app, {
    wecom: { heartbeatIntervalMs: 100, reconnectIntervalMs: 50 },
    dingtalk: { reconnect: { baseMs: 20, maxMs: 200, stableMs: 60_000 }, heartbeatMs: 60_000, httpTimeoutMs: 2_000 },
  })) app.addChannel(c);
  await app.start();
  scheduler = createScheduler(app, { cron: false });
});

afterEach(async () => {
  scheduler.stop();
  await app.stop();
  await wecom.close();
  await ding.close();
  vi.restoreAllMocks();
});

let dingSeq = 0;
function dingText(staffId: string, nick: string, text: string, atUsers: Array<{ staffId: string }> = []): void {
  const expires = clock.now().getTime() + 90 * 60_000;
  ding.pushRobotMessage({
    conversationId: 'cidDingGroup==', conversationType: '2', conversationTitle: '乙支部群', chatbotCorpId: 'ding-corp', chatbotUserId: '$:bot:$',
    robotCode: 'dingapp0001', msgId: `ding-msg-${++dingSeq}`, msgtype: 'text', text: { content: ` ${text}` },
    senderId: `$:${staffId}:$`, senderStaffId: staffId, senderNick: nick, senderCorpId: 'ding-corp', isAdmin: false, isInAtList: true,
    atUsers: [{ dingtalkId: '$:bot:$' }, ...atUsers.map((u) => ({ dingtalkId: `$:${u.staffId}:$`, staffId: u.staffId }))],
    sessionWebhook: ding.sessionWebhook(expires), sessionWebhookExpiredTime: expires, createAt: clock.now().getTime(),
  });
}

async function wecomSay(userid: string, content: string): Promise<string> {
  const before = wecom.frames.filter((f) => f.cmd === 'aibot_respond_msg').length;
  const reqId = wecom.pushText({ userid, chatid: 'wrGroupA', content: `@生活会助手\u2005${content}` });
  const frame = await wecom.waitFor((f) => f.cmd === 'aibot_respond_msg' && f.reqId === reqId);
  expect(wecom.frames.filter((f) => f.cmd === 'aibot_respond_msg').length).toBeGreaterThan(before);
  return String((frame.body as { stream: { content: string } }).stream.content);
}

async function dingSay(staffId: string, nick: string, text: string, atUsers: Array<{ staffId: string }> = []): Promise<string> {
  const before = ding.sessionPosts.length;
  dingText(staffId, nick, text, atUsers);
  await until(() => ding.sessionPosts.length > before, 5_000, 'a DingTalk reply');
  const body = ding.sessionPosts[ding.sessionPosts.length - 1]!.body as { markdown?: { text: string } };
  return body.markdown?.text ?? JSON.stringify(body);
}

describe('one process, WeCom and DingTalk units', () => {
  it('runs both units through their own SDKs and reminds each group with platform @mentions', async () => {
    await wecom.waitForAuth(1);
    await until(() => ding.openStream !== undefined, 5_000, 'the DingTalk stream');

    // WeCom unit: bootstrap, roster, identity claim confirmed by the operator, a meeting.
    expect(await wecomSay('zhangsan', '/单位 设置 甲单位')).toContain('甲单位');
    expect(await wecomSay('zhangsan', '/成员 添加 @王书记 主要负责人')).toContain('王书记');
    expect(await wecomSay('wangsj', '/我是 王书记')).toContain('/成员 确认 王书记');
    expect(await wecomSay('wangsj', '/进度')).toContain('联络员');
    expect(await wecomSay('zhangsan', '/成员 确认 王书记')).toContain('已确认');
    expect(await wecomSay('zhangsan', '/会议 新建 民主生活会 2026-12-28')).toContain('12月13日');

    // DingTalk unit: the mentioned colleague's staffId comes from atUsers.
    expect(await dingSay('li-op', '李联络员', '/单位 设置 乙支部')).toContain('乙支部');
    expect(await dingSay('li-op', '李联络员', '/成员 添加 @赵书记 主要负责人', [{ staffId: 'zhao01' }])).toContain('赵书记');
    expect(await dingSay('zhao01', '赵书记', '/进度')).toContain('还没有安排会议');
    expect(await dingSay('li-op', '李联络员', '/会议 新建 组织生活会 2026-12-22')).toContain('组织生活会'); // notice due Sat 12-12 (due-day reminder Fri 12-11): advance reminder Tue 12-08

    // 8 December 09:05 (3 working days before Fri 11 Dec, the due-day reminder of the Sunday deadline): the notice/plan advance reminders go to both groups.
    clock.set(atLocalTime('2026-12-08', 9, 5));
    await scheduler.tick();
    // (zhangsan already got a private aibot_send_msg: the /我是 claim to confirm.)
    const claim = wecom.frames.find((f) => f.cmd === 'aibot_send_msg' && (f.body as { chatid: string }).chatid === 'zhangsan');
    expect(String((claim?.body as { markdown: { content: string } }).markdown.content)).toContain('/成员 确认 王书记');
    const sent = await wecom.waitFor((f) => f.cmd === 'aibot_send_msg' && (f.body as { chatid: string }).chatid === 'wrGroupA');
    const body = sent.body as { chatid: string; msgtype: string; markdown: { content: string } };
    expect(body.chatid).toBe('wrGroupA');
    expect(body.markdown.content).toContain('方案');
    expect(body.markdown.content).toContain('<@wangsj>');
    expect(body.markdown.content).toContain('<@zhangsan>');

    await until(() => ding.groupSends.length + ding.sessionPosts.filter((p) => JSON.stringify(p.body).includes('待办提醒')).length > 0, 5_000, 'a DingTalk reminder');
    const dingReminder = [...ding.groupSends.map((g) => JSON.stringify(g.body)), ...ding.sessionPosts.map((p) => JSON.stringify(p.body))].find((t) => t.includes('待办提醒'));
    expect(dingReminder).toBeDefined();
    // The OpenAPI group send cannot @ (DingTalk's limit; the sessionWebhook expired two weeks ago),
    // so the owners are named in the text; their staffIds came from atUsers when they were added.
    expect(dingReminder).toContain('@赵书记');
    const zhao = await app.db.selectFrom('identity').innerJoin('person', 'person.id', 'identity.person_id')
      .select(['person.name', 'identity.confirmed']).where('identity.platform', '=', 'dingtalk').where('identity.user_id', '=', 'zhao01').executeTakeFirstOrThrow();
    expect(zhao).toEqual({ name: '赵书记', confirmed: 1 });

    // Both reminders were written to the outbox once and marked sent.
    const rows = await app.db.selectFrom('outbox').select(['channel', 'status']).execute();
    expect(rows.map((r) => `${r.channel}:${r.status}`).sort()).toEqual(['dingtalk:sent', 'wecom:sent']);
    // A second tick the same day sends nothing more.
    await scheduler.tick();
    expect(await app.db.selectFrom('outbox').select('id').execute()).toHaveLength(2);
    // No secret in any log line.
    const logText = logLines.join('');
    expect(logText).not.toContain('wecom-secret-xyz');
    expect(logText).not.toContain('ding-secret-xyz');
  });

  it('keeps a reminder queued while the WeCom connection is down and sends it after reconnection', async () => {
    await wecom.waitForAuth(1);
    await wecomSay('zhangsan', '/单位 设置 甲单位');
    await wecomSay('zhangsan', '/会议 新建 民主生活会 2026-12-28');
    wecom.terminateConnections();
    clock.set(atLocalTime('2026-12-08', 9, 5));
    const run = scheduler.tick();
    await wecom.waitForAuth(2, 5_000);
    await run;
    // Whatever the first attempt did, the outbox delivers it: retried later if it failed.
    for (let i = 0; i < 5 && (await app.db.selectFrom('outbox').select('status').executeTakeFirstOrThrow()).status !== 'sent'; i++) {
      clock.set(new Date(clock.now().getTime() + 10 * 60_000));
      await scheduler.tick();
    }
    const row = await app.db.selectFrom('outbox').select(['status', 'attempts']).executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
    // (The reminder's text, which @mentions; its card with the buttons follows it.)
    const frames = wecom.frames.filter((f) => f.cmd === 'aibot_send_msg' && (f.body as { msgtype: string }).msgtype === 'markdown');
    expect(frames.length).toBeGreaterThanOrEqual(1);
    expect(String((frames[frames.length - 1]!.body as { markdown: { content: string } }).markdown.content)).toContain('方案');
  });
});
