import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Channel, MessageHandler } from '../../../src/bot/channel.js';
import { createDingTalkChannels } from '../../../src/bot/dingtalk/index.js';
import { ManualClock } from '../../../src/clock.js';
import type { Delivery, IncomingMessage, MentionRef } from '../../../src/messages.js';
import { ROBOT_TOPIC, startFakeDingTalk, until, type FakeDingTalk } from '../../fakes/dingtalk-server.js';
import { aRobotMessage, appId, appSecret, fastOverrides, memoryLogger, muteSdkConsole, sleep, startOfTest, testDeps } from './helpers.js';

const zhang: MentionRef = { personId: 1, name: '张三', userId: 'zhangsan01' };
const li: MentionRef = { personId: 2, name: '李四', userId: 'lisi01' };

let fake: FakeDingTalk;
let clock: ManualClock;
let channel: Channel;
let logged: string[];
let received: IncomingMessage[];

/** A stub core: records each message and answers in the same chat. */
const replyInChat =
  (text: string, mentions: MentionRef[] = []): MessageHandler =>
  async (msg) => {
    received.push(msg);
    return [{ target: { kind: 'chat', channel: 'dingtalk', chatId: msg.chatId }, message: { text, mentions } }];
  };

async function startChannel(handler: MessageHandler, env: Record<string, string> = {}): Promise<void> {
  const { log, lines } = memoryLogger();
  logged = lines;
  const [stream] = createDingTalkChannels(testDeps(fake, clock, { log, env }), fastOverrides);
  if (!stream || stream.name !== 'dingtalk') throw new Error('no dingtalk stream channel');
  channel = stream;
  await channel.start(handler);
}

const decodedParam = (send: { body: Record<string, unknown> }) => JSON.parse(String(send.body.msgParam)) as { title: string; text: string };

beforeEach(async () => {
  muteSdkConsole();
  clock = new ManualClock(startOfTest);
  fake = await startFakeDingTalk({ clientId: appId, clientSecret: appSecret, now: () => clock.now().getTime() });
  received = [];
});

afterEach(async () => {
  await channel?.stop();
  await fake.close();
  vi.restoreAllMocks();
});

describe('DingTalk Stream channel, real dingtalk-stream client against the fake gateway', () => {
  it('opens the connection with our gateway call: credentials, ua and only the robot subscription', async () => {
    await startChannel(replyInChat('好'));
    expect(fake.openCalls).toEqual([
      {
        accept: 'application/json',
        body: {
          clientId: appId,
          clientSecret: appSecret,
          ua: 'shenghuohui-bot',
          subscriptions: [{ type: 'CALLBACK', topic: ROBOT_TOPIC }],
        },
      },
    ]);
    await until(() => fake.openStream !== undefined, 2000, 'stream connection');
    expect(fake.streams).toHaveLength(1);
  });

  it('hands a group command to the core and replies through the sessionWebhook with a real @', async () => {
    await startChannel(replyInChat('请假申请已提交\n@张三 已申请请假，待 @李四 审批', [zhang, li]));
    const data = aRobotMessage(fake, clock, 'group-text');
    const messageId = fake.pushRobotMessage(data);

    await until(() => fake.sessionPosts.length === 1, 2000, 'session reply');
    expect(received).toEqual([
      expect.objectContaining({ channel: 'dingtalk', chatId: 'cidPZb9ab3cKw3Q2mYn1mXy0w==', senderId: 'zhangsan01', text: '/请假 外出培训 @李四' }),
    ]);
    expect(fake.sessionPosts[0]?.body).toEqual({
      msgtype: 'markdown',
      markdown: { title: '请假申请已提交', text: '#### 请假申请已提交\n\n@zhangsan01 已申请请假，待 @lisi01 审批' },
      at: { atUserIds: ['zhangsan01', 'lisi01'], atMobiles: [], isAtAll: false },
    });
    expect(fake.acks).toEqual([
      { code: 200, headers: { contentType: 'application/json', messageId }, message: 'OK', data: JSON.stringify({ response: {} }) },
    ]);
    expect(fake.groupSends).toEqual([]);
  });

  it('acks the callback before a slow handler has finished', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await startChannel(async (msg) => {
      received.push(msg);
      await gate;
      return [{ target: { kind: 'chat', channel: 'dingtalk', chatId: msg.chatId }, message: { text: '已处理', mentions: [] } }];
    });
    const messageId = fake.pushRobotMessage(aRobotMessage(fake, clock, 'group-text'));

    await until(() => fake.acks.length === 1, 2000, 'ack');
    expect(fake.acks[0]?.headers.messageId).toBe(messageId);
    expect(received).toHaveLength(1);
    expect(fake.sessionPosts).toHaveLength(0); // the handler is still working

    release();
    await until(() => fake.sessionPosts.length === 1, 2000, 'reply after the slow handler');
  });

  it('handles a redelivered message (same msgId, new frame) once, and acks both frames', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await startChannel(async (msg) => {
      received.push(msg);
      await gate;
      return [];
    });
    const data = aRobotMessage(fake, clock, 'group-text');
    const first = fake.pushRobotMessage(data);
    const again = fake.pushRobotMessage(data); // DingTalk re-pushes while the first is still in hand

    await until(() => fake.acks.length === 2, 2000, 'two acks');
    release();
    await sleep(50);
    expect(fake.acks.map((a) => a.headers.messageId)).toEqual([first, again]);
    expect(received).toHaveLength(1);
  });

  it('falls back to the OpenAPI group send when the sessionWebhook has expired by the clock', async () => {
    await startChannel(async (msg) => {
      received.push(msg);
      clock.advance(91 * 60_000); // the handler took so long that the session ran out
      return [{ target: { kind: 'chat', channel: 'dingtalk', chatId: msg.chatId }, message: { text: '已处理\n@张三 请查收', mentions: [zhang] } }];
    });
    fake.pushRobotMessage(aRobotMessage(fake, clock, 'group-text'));

    await until(() => fake.groupSends.length === 1, 2000, 'openapi group send');
    expect(fake.sessionPosts).toHaveLength(0);
    expect(fake.groupSends[0]).toMatchObject({
      token: expect.stringMatching(/^tok-/),
      body: { msgKey: 'sampleMarkdown', openConversationId: 'cidPZb9ab3cKw3Q2mYn1mXy0w==', robotCode: appId },
    });
    // The OpenAPI cannot @ anyone: the name stays readable instead of a bare user id.
    expect(decodedParam(fake.groupSends[0]!)).toEqual({ title: '已处理', text: '#### 已处理\n\n@张三 请查收' });
  });

  it('falls back to the OpenAPI when the sessionWebhook refuses the post (errcode ≠ 0)', async () => {
    await startChannel(replyInChat('已处理'));
    const data = aRobotMessage(fake, clock, 'group-text');
    fake.expireSession(String(data.sessionWebhook));
    fake.pushRobotMessage(data);

    await until(() => fake.groupSends.length === 1, 2000, 'openapi group send');
    expect(fake.sessionPosts).toHaveLength(1);
    expect(decodedParam(fake.groupSends[0]!).text).toBe('已处理');
  });

  it('answers a single chat through its session, and falls back to a 1:1 OpenAPI message', async () => {
    await startChannel(async (msg) => {
      received.push(msg);
      const toSender: Delivery = {
        target: { kind: 'person', channel: 'dingtalk', userId: msg.senderId, personId: 9, name: '王五' },
        message: { text: '您有 2 项待办', mentions: [] },
      };
      return [toSender];
    });
    const data = aRobotMessage(fake, clock, 'single-text');
    fake.pushRobotMessage(data);
    await until(() => fake.sessionPosts.length === 1, 2000, 'private session reply');
    expect(received[0]).toMatchObject({ chatType: 'private', chatId: 'wangwu01' });

    fake.expireSession(String(data.sessionWebhook));
    fake.pushRobotMessage({ ...data, msgId: 'msgS-second' });
    await until(() => fake.otoSends.length === 1, 2000, '1:1 openapi send');
    expect(fake.otoSends[0]?.body).toMatchObject({ robotCode: appId, userIds: ['wangwu01'], msgKey: 'sampleMarkdown' });
  });

  it('echoes SYSTEM pings (SDK behaviour kept)', async () => {
    await startChannel(replyInChat('好'));
    await until(() => fake.openStream !== undefined, 2000, 'stream');
    const id = fake.sendSystem('ping', { opaque: 'p-1' });
    await until(() => fake.pingEchoes.length === 1, 2000, 'ping echo');
    expect(fake.pingEchoes[0]).toMatchObject({ code: 200, headers: { messageId: id, topic: 'ping' }, data: JSON.stringify({ opaque: 'p-1' }) });
  });
});

describe('DingTalk Stream channel, proactive sends through the OpenAPI', () => {
  beforeEach(async () => {
    await startChannel(replyInChat('好'));
  });

  it('sends to a group with the access token, names of the people mentioned kept in the text', async () => {
    const result = await channel.send(
      { kind: 'chat', channel: 'dingtalk', chatId: 'cidOtherGroup==' },
      { text: '整改提醒\n@张三 @李四 第3项整改12月5日到期', mentions: [zhang, li] },
    );
    expect(result).toEqual({ ok: true });
    expect(fake.tokenRequests).toEqual([{ appKey: appId, appSecret }]);
    expect(fake.groupSends).toHaveLength(1);
    // The fake answers 401 to a token it did not issue, so ok above means the token was the issued one.
    expect(fake.groupSends[0]).toMatchObject({ token: expect.stringMatching(/^tok-\d+$/), body: { openConversationId: 'cidOtherGroup==', robotCode: appId } });
    expect(fake.unauthorized).toBe(0);
    expect(decodedParam(fake.groupSends[0]!)).toEqual({ title: '整改提醒', text: '#### 整改提醒\n\n@张三 @李四 第3项整改12月5日到期' });
  });

  it('uses the chat\'s latest sessionWebhook while it is valid, so that the @ reaches people', async () => {
    fake.pushRobotMessage(aRobotMessage(fake, clock, 'group-text'));
    await until(() => fake.sessionPosts.length === 1, 2000, 'reply');
    const result = await channel.send(
      { kind: 'chat', channel: 'dingtalk', chatId: 'cidPZb9ab3cKw3Q2mYn1mXy0w==' },
      { text: '会议提醒\n@张三 明天上午9点民主生活会', mentions: [zhang] },
    );
    expect(result).toEqual({ ok: true });
    expect(fake.sessionPosts[1]?.body).toMatchObject({ at: { atUserIds: ['zhangsan01'] } });
    expect(fake.groupSends).toHaveLength(0);
  });

  it('sends to a person with oToMessages/batchSend', async () => {
    const result = await channel.send(
      { kind: 'person', channel: 'dingtalk', userId: 'lisi01', personId: 2, name: '李四' },
      { text: '请假待审批\n张三 申请请假', mentions: [] },
    );
    expect(result).toEqual({ ok: true });
    expect(fake.otoSends[0]?.body).toMatchObject({ userIds: ['lisi01'], robotCode: appId, msgKey: 'sampleMarkdown' });
  });

  it('reports a person who cannot receive robot messages as permanent', async () => {
    fake.invalidStaffIds.add('left01');
    const result = await channel.send(
      { kind: 'person', channel: 'dingtalk', userId: 'left01', personId: 5, name: '赵六' },
      { text: '提醒', mentions: [] },
    );
    expect(result).toMatchObject({ ok: false, permanent: true });
  });

  it('reuses the token until 5 minutes before it expires by the clock, then fetches a new one', async () => {
    const target = { kind: 'chat', channel: 'dingtalk', chatId: 'cidOtherGroup==' } as const;
    const msg = { text: '提醒', mentions: [] };
    await channel.send(target, msg);
    clock.advance(60 * 60_000);
    await channel.send(target, msg);
    expect(fake.tokenRequests).toHaveLength(1);

    clock.advance(56 * 60_000); // 116 min after issue: inside the 5-minute margin of a 120-min token
    expect(await channel.send(target, msg)).toEqual({ ok: true });
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.unauthorized).toBe(0);
    expect(fake.groupSends.map((s) => s.token)).toEqual([fake.groupSends[0]!.token, fake.groupSends[0]!.token, fake.groupSends[2]!.token]);
    expect(fake.groupSends[2]!.token).not.toBe(fake.groupSends[0]!.token);
  });

  it('fetches a new token once on HTTP 401 and sends again', async () => {
    const target = { kind: 'chat', channel: 'dingtalk', chatId: 'cidOtherGroup==' } as const;
    await channel.send(target, { text: '一', mentions: [] });
    fake.revokeTokens();
    expect(await channel.send(target, { text: '二', mentions: [] })).toEqual({ ok: true });
    expect(fake.unauthorized).toBe(1);
    expect(fake.tokenRequests).toHaveLength(2);
    expect(fake.groupSends).toHaveLength(3);
  });

  it('reports rate limits and server errors as retryable', async () => {
    const target = { kind: 'chat', channel: 'dingtalk', chatId: 'cidOtherGroup==' } as const;
    fake.failNext('/v1.0/robot/groupMessages/send', {
      status: 429,
      body: { code: 'Forbidden.AccessDenied.QpsLimitForApi', message: 'qps limit' },
      headers: { 'retry-after': '3' },
    });
    expect(await channel.send(target, { text: '一', mentions: [] })).toMatchObject({ ok: false, retryAfterMs: 3000 });
    fake.failNext('/v1.0/robot/groupMessages/send', { status: 500, body: { code: 'ServiceUnavailable' } });
    const failed = await channel.send(target, { text: '二', mentions: [] });
    expect(failed).toMatchObject({ ok: false });
    expect(failed.permanent).toBeUndefined();
    expect(await channel.send(target, { text: '三', mentions: [] })).toEqual({ ok: true });
  });
});

describe('DingTalk Stream channel, configuration errors', () => {
  it('reports a wrong robotCode as permanent, with a log line that names the fix and no token', async () => {
    await startChannel(replyInChat('好'), { DINGTALK_ROBOT_CODE: 'dingWrongRobot' });
    const result = await channel.send({ kind: 'chat', channel: 'dingtalk', chatId: 'cidOtherGroup==' }, { text: '提醒', mentions: [] });
    expect(result).toMatchObject({ ok: false, permanent: true });
    const line = logged.find((l) => l.includes('invalidParameter.robotCode.notExsit'));
    expect(line).toContain('DINGTALK_ROBOT_CODE');
    expect(logged.join('\n')).not.toMatch(/tok-\d|app-secret/);
  });

  it('refuses to start with wrong credentials, saying where to fix them, without retrying', async () => {
    const { log, lines } = memoryLogger();
    logged = lines;
    const [stream] = createDingTalkChannels(testDeps(fake, clock, { log, env: { DINGTALK_CLIENT_SECRET: 'wrong' } }), fastOverrides);
    channel = stream!;
    await expect(channel.start(replyInChat('好'))).rejects.toThrow(/DINGTALK_CLIENT_SECRET/);
    await sleep(100);
    expect(fake.openCalls).toHaveLength(1);
    expect(logged.join('\n')).not.toContain('wrong');
  });
});

describe('DingTalk Stream channel, reconnects', () => {
  beforeEach(async () => {
    await startChannel(replyInChat('好'));
    await until(() => fake.openStream !== undefined, 2000, 'stream');
  });

  it('reconnects with a new open call (new ticket) after the socket drops, and keeps handling messages', async () => {
    fake.dropStream();
    await until(() => fake.streams.length === 2 && fake.openStream !== undefined, 2000, 'second stream');
    await sleep(150);
    expect(fake.openCalls).toHaveLength(2);
    expect(fake.streams).toHaveLength(2);

    fake.pushRobotMessage(aRobotMessage(fake, clock, 'group-text'));
    await until(() => fake.sessionPosts.length === 1, 2000, 'reply on the new stream');
  });

  it('reconnects when the gateway sends SYSTEM disconnect, even if it does not hang up', async () => {
    fake.sendSystem('disconnect', { reason: 'server is going to restart' });
    await until(() => fake.streams.length === 2 && fake.openStream !== undefined, 2000, 'second stream');
    await sleep(150);
    expect(fake.openCalls).toHaveLength(2);
    expect(fake.streams[0]?.readyState).not.toBe(1); // the old one is closed
  });

  it('backs off while the stream is refused: a few open calls, not a storm', async () => {
    fake.refuseStream = true;
    fake.dropStream();
    await sleep(500); // waits 20, 40, 80, 160, 200 ms: at most 5 attempts
    const attempts = fake.openCalls.length - 1;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(6); // the SDK's own reconnect went 1, 3, 7, 15, 31 in this situation
    expect(fake.refusedUpgrades).toBe(attempts);

    fake.refuseStream = false;
    await until(() => fake.openStream !== undefined, 2000, 'stream back');
    expect(fake.streams).toHaveLength(2);
  });

  it('skips a broken frame and goes on with the next message', async () => {
    fake.sendRaw('{"type":"CALLBACK", broken');
    fake.pushRobotMessage(aRobotMessage(fake, clock, 'group-text'));
    await until(() => fake.sessionPosts.length === 1, 2000, 'reply after a broken frame');
    expect(logged.some((l) => l.includes('unreadable frame'))).toBe(true);
    expect(fake.streams).toHaveLength(1);
  });

  it('stops for good: no reconnect after stop()', async () => {
    await channel.stop();
    await sleep(100);
    expect(fake.openCalls).toHaveLength(1);
    expect(fake.openStream).toBeUndefined();
  });
});

describe('DingTalk Stream channel, heartbeat', () => {
  it('drops a connection whose pongs stopped (half-open) and reconnects', async () => {
    const { log } = memoryLogger();
    const [stream] = createDingTalkChannels(testDeps(fake, clock, { log }), { ...fastOverrides, heartbeatMs: 150 });
    channel = stream!;
    await channel.start(replyInChat('好'));
    await sleep(400);
    expect(fake.openCalls).toHaveLength(1); // pongs arrive: the connection stays

    fake.silent = true;
    await until(() => fake.openCalls.length === 2, 2000, 'reconnect after missing pongs');
    fake.silent = false;
    await until(() => fake.openStream === fake.streams[1], 2000, 'second stream open');
  });
});
