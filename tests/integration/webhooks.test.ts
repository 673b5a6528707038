import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { platformChannels } from '../../src/bot/channels.js';
import { ConsoleChannel } from '../../src/bot/console/console-channel.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { atLocalTime } from '../../src/domain/dates.js';
import { memoryLogger } from '../bot/dingtalk/helpers.js';
import { createScheduler, type Scheduler } from '../../src/scheduler/cron.js';
import { setWebhook } from '../../src/store/webhook.repository.js';
import { FakeWecomServer } from '../fakes/wecom-server.js';
import { startFakeDingTalk, type FakeDingTalk } from '../fakes/dingtalk-server.js';
import { testStore } from '../helpers/store.js';

/**
 * Push-only robots behind the outbox: a unit whose group only allows a group robot gets its
 * reminders through the webhook; rate limits are waited out and retried, a bad key or signature
 * fails visibly (log line + failed row), nothing is dropped silently, no secret is logged.
 */
let wecom: FakeWecomServer;
let ding: FakeDingTalk;
let app: App;
let scheduler: Scheduler;
let clock: ManualClock;
let logLines: string[];

async function setUp(webhookOf: { wecom?: string; ding?: { token: string; secret?: string } }): Promise<void> {
  const cons = new ConsoleChannel({ clock, print: () => undefined });
  app.addChannel(cons);
  await app.start();
  await cons.input('/单位 设置 丙单位');
  await cons.input('/成员 添加 @王书记 主要负责人');
  await cons.input('/会议 新建 民主生活会 2026-12-28');
  // The console group is unbound so the webhook is the unit's only chat.
  await app.db.deleteFrom('chat').where('channel', '=', 'console').execute();
  const unit = await app.db.selectFrom('unit').select('id').where('name', '=', '丙单位').executeTakeFirstOrThrow();
  if (webhookOf.wecom) await setWebhook(app.db, unit.id, 'wecom-webhook', webhookOf.wecom, null, clock.now().toISOString());
  if (webhookOf.ding) await setWebhook(app.db, unit.id, 'dingtalk-webhook', webhookOf.ding.token, webhookOf.ding.secret ?? null, clock.now().toISOString());
}

beforeEach(async () => {
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  clock = new ManualClock(atLocalTime('2026-11-25', 10, 0));
  wecom = await FakeWecomServer.start({ webhookKeys: ['good-key-123'] });
  ding = await startFakeDingTalk({ now: () => clock.now().getTime() });
  const config = loadConfig({ DATABASE_URL: ':memory:', WECOM_API_BASE: wecom.apiBase, DINGTALK_OAPI_BASE: ding.url, DINGTALK_API_BASE: ding.url });
  const { log, lines } = memoryLogger();
  logLines = lines;
  app = await createApp({ config, clock, log, db: (await testStore()).db });
  for (const c of platformChannels(app)) app.addChannel(c);
  scheduler = createScheduler(app, { cron: false });
});

afterEach(async () => {
  scheduler.stop();
  await app.stop();
  await wecom.close();
  await ding.close();
  vi.restoreAllMocks();
});

const outbox = () => app.db.selectFrom('outbox').select(['channel', 'status', 'attempts', 'next_attempt_at', 'last_error']).execute();

describe('WeCom group robot through the outbox', () => {
  it('waits out errcode 45009 and delivers on retry, once', async () => {
    await setUp({ wecom: 'good-key-123' });
    wecom.failNextWebhook({ errcode: 45009, errmsg: 'api freq out of limit' });
    clock.set(atLocalTime('2026-12-08', 9, 5));
    await scheduler.tick();
    const [first] = await outbox();
    expect(first).toMatchObject({ channel: 'wecom-webhook', status: 'pending', attempts: 1 });
    expect(new Date(first!.next_attempt_at).getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(60_000);
    // Too early: nothing more is posted.
    clock.advance(30_000);
    await scheduler.tick();
    expect(wecom.webhookRequests).toHaveLength(1);
    clock.advance(31_000);
    await scheduler.tick();
    expect(wecom.webhookRequests).toHaveLength(2);
    const [after] = await outbox();
    expect(after).toMatchObject({ status: 'sent', attempts: 2 });
    const body = wecom.webhookRequests[1]!.body as { msgtype: string; markdown: { content: string } };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toContain('方案');
  });

  it('cannot show cards: the reminder with buttons goes out as its text, with the commands to type', async () => {
    await setUp({ wecom: 'good-key-123' });
    clock.set(atLocalTime('2026-12-08', 9, 5));
    await scheduler.tick();
    const row = await app.db.selectFrom('outbox').select(['card', 'status']).executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
    expect(JSON.parse(row.card ?? 'null')?.buttons?.[0]?.label).toBe('明天再提醒');
    const body = wecom.webhookRequests[0]!.body;
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown!.content).toContain('/稍后');
    expect(body.markdown!.content).toContain('完成后请登记：/完成');
    expect(await app.db.selectFrom('card').select('id').execute()).toEqual([]);
  });

  it('marks an invalid key failed with a log line naming the unit, never the key', async () => {
    await setUp({ wecom: 'wrong-key-999' });
    clock.set(atLocalTime('2026-12-08', 9, 5));
    await scheduler.tick();
    const [row] = await outbox();
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    const text = logLines.join('\n');
    expect(text).toContain('could not be delivered');
    expect(text).not.toContain('wrong-key-999');
  });
});

describe('DingTalk custom robot through the outbox', () => {
  it('signs with the SEC secret and is verified by the fake', async () => {
    ding.addCustomRobot('robot-token-1', 'SECsecret-abc');
    await setUp({ ding: { token: 'robot-token-1', secret: 'SECsecret-abc' } });
    clock.set(atLocalTime('2026-12-08', 9, 5));
    await scheduler.tick();
    expect(ding.customRobotPosts).toHaveLength(1);
    expect(ding.customRobotPosts[0]!.timestamp).toBe(String(clock.now().getTime()));
    expect((await outbox())[0]).toMatchObject({ status: 'sent' });
    expect(JSON.stringify(ding.customRobotPosts[0]!.body)).toContain('方案');
  });

  it('a signature mismatch fails permanently and visibly without leaking the secret', async () => {
    ding.addCustomRobot('robot-token-2', 'SECthe-real-secret');
    await setUp({ ding: { token: 'robot-token-2', secret: 'SECa-wrong-secret' } });
    clock.set(atLocalTime('2026-12-08', 9, 5));
    await scheduler.tick();
    expect((await outbox())[0]).toMatchObject({ status: 'failed' });
    const text = logLines.join('\n');
    expect(text).not.toContain('SECa-wrong-secret');
    expect(text).not.toContain('robot-token-2');
  });

  it('130101 (send too fast) is retried after the throttle, not dropped', async () => {
    ding.addCustomRobot('robot-token-3');
    await setUp({ ding: { token: 'robot-token-3' } });
    ding.failNext('/robot/send', { status: 200, body: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } });
    clock.set(atLocalTime('2026-12-08', 9, 5));
    await scheduler.tick();
    expect((await outbox())[0]).toMatchObject({ status: 'pending', attempts: 1 });
    clock.advance(11 * 60_000);
    await scheduler.tick();
    expect((await outbox())[0]).toMatchObject({ status: 'sent', attempts: 2 });
    // One throttled post, one accepted retry: the reminder went out exactly once more, not again after.
    expect(ding.customRobotPosts.filter((p) => JSON.stringify(p.body).includes('方案'))).toHaveLength(2);
    await scheduler.tick();
    expect(ding.customRobotPosts).toHaveLength(2);
  });
});
