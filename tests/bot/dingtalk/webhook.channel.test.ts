import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../../src/bot/channel.js';
import { createDingTalkChannels } from '../../../src/bot/dingtalk/index.js';
import type { WebhookCredential } from '../../../src/bot/types.js';
import { ManualClock } from '../../../src/clock.js';
import type { ChatTarget, MentionRef } from '../../../src/messages.js';
import { startFakeDingTalk, type FakeDingTalk } from '../../fakes/dingtalk-server.js';
import { fastOverrides, memoryLogger, startOfTest, testDeps } from './helpers.js';

const signed: WebhookCredential = { unitId: 7, channel: 'dingtalk-webhook', token: 'robot-token-signed', signSecret: 'SECa1b2c3d4e5f6' };
const unsigned: WebhookCredential = { unitId: 8, channel: 'dingtalk-webhook', token: 'robot-token-plain' };
const wrongSecret: WebhookCredential = { ...signed, unitId: 9, signSecret: 'SECnot-the-right-one' };
const zhang: MentionRef = { personId: 1, name: '张三', userId: 'zhangsan01' };

const officeGroup: ChatTarget = { kind: 'chat', channel: 'dingtalk-webhook', chatId: 'office' };
const plainGroup: ChatTarget = { kind: 'chat', channel: 'dingtalk-webhook', chatId: 'plain' };
const misconfigured: ChatTarget = { kind: 'chat', channel: 'dingtalk-webhook', chatId: 'misconfigured' };

let fake: FakeDingTalk;
let clock: ManualClock;
let channel: Channel;
let logged: string[];

beforeEach(async () => {
  clock = new ManualClock(startOfTest);
  fake = await startFakeDingTalk({ now: () => clock.now().getTime() });
  fake.addCustomRobot(signed.token, signed.signSecret);
  fake.addCustomRobot(unsigned.token);
  const { log, lines } = memoryLogger();
  logged = lines;
  const deps = testDeps(fake, clock, { log, env: { DINGTALK_CLIENT_ID: '', DINGTALK_CLIENT_SECRET: '' }, webhooks: { office: signed, plain: unsigned, misconfigured: wrongSecret } });
  const channels = createDingTalkChannels(deps, fastOverrides);
  expect(channels.map((c) => c.name)).toEqual(['dingtalk-webhook']); // no stream robot without a Client ID
  channel = channels[0]!;
  await channel.start(async () => []);
});

afterEach(async () => {
  await channel.stop();
  await fake.close();
});

describe('DingTalk custom robot webhook', () => {
  it('is push only', () => {
    expect(channel.caps.canReceive).toBe(false);
  });

  it('posts markdown with a real @, signed with the secret and the clock\'s timestamp (verified by the fake)', async () => {
    const result = await channel.send(officeGroup, { text: '会前准备提醒\n@张三 请于12月5日前提交对照检查材料', mentions: [zhang] });
    expect(result).toEqual({ ok: true });
    expect(fake.customRobotPosts).toEqual([
      {
        token: signed.token,
        timestamp: String(startOfTest.getTime()),
        body: {
          msgtype: 'markdown',
          markdown: { title: '会前准备提醒', text: '#### 会前准备提醒\n\n@zhangsan01 请于12月5日前提交对照检查材料' },
          at: { atUserIds: ['zhangsan01'], atMobiles: [], isAtAll: false },
        },
      },
    ]);
  });

  it('posts without timestamp and sign when the robot has no secret', async () => {
    expect(await channel.send(plainGroup, { text: '通知', mentions: [] })).toEqual({ ok: true });
    expect(fake.customRobotPosts[0]?.timestamp).toBeNull();
  });

  it('reports a signature mismatch as permanent, with a log line naming the unit but not the token or secret', async () => {
    const result = await channel.send(misconfigured, { text: '通知', mentions: [] });
    expect(result).toMatchObject({ ok: false, permanent: true, error: expect.stringContaining('310000') });
    const line = logged.find((l) => l.includes('310000'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ unitId: 9, chatId: 'misconfigured', errcode: 310000 });
    expect(line).toMatch(/signing secret/);
    const all = logged.join('\n');
    expect(all).not.toContain(wrongSecret.token);
    expect(all).not.toContain(String(wrongSecret.signSecret));
  });

  it('waits 10 minutes when DingTalk throttles the robot (errcode 130101)', async () => {
    fake.failNext('/robot/send', { status: 200, body: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' } });
    const result = await channel.send(officeGroup, { text: '通知', mentions: [] });
    expect(result).toMatchObject({ ok: false, retryAfterMs: 600_000 });
    expect(result.permanent).toBeUndefined();
  });

  it('keeps under 20 messages a minute per robot on its own, by the clock', async () => {
    for (let i = 0; i < 18; i += 1) {
      expect(await channel.send(officeGroup, { text: `第${i + 1}条`, mentions: [] })).toEqual({ ok: true });
      clock.advance(1_000);
    }
    const held = await channel.send(officeGroup, { text: '第19条', mentions: [] });
    expect(held).toMatchObject({ ok: false, retryAfterMs: 42_000 }); // the first send leaves the minute in 42 s
    expect(fake.customRobotPosts).toHaveLength(18);
    expect(await channel.send(plainGroup, { text: '另一个机器人', mentions: [] })).toEqual({ ok: true });

    clock.advance(42_000);
    expect(await channel.send(officeGroup, { text: '第19条', mentions: [] })).toEqual({ ok: true });
  });

  it('cannot send to a person, nor to a chat without a robot', async () => {
    const person: ChatTarget = { kind: 'person', channel: 'dingtalk-webhook', userId: 'u1', personId: 1, name: '张三' };
    expect(await channel.send(person, { text: '通知', mentions: [] })).toMatchObject({ ok: false, permanent: true });
    const nowhere: ChatTarget = { kind: 'chat', channel: 'dingtalk-webhook', chatId: 'unknown' };
    expect(await channel.send(nowhere, { text: '通知', mentions: [] })).toMatchObject({ ok: false, permanent: true });
    expect(fake.customRobotPosts).toHaveLength(0);
  });

  it('reports a server error as retryable', async () => {
    fake.failNext('/robot/send', { status: 502, body: {} });
    const result = await channel.send(officeGroup, { text: '通知', mentions: [] });
    expect(result).toMatchObject({ ok: false });
    expect(result.permanent).toBeUndefined();
  });
});
