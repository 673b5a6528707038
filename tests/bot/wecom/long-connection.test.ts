import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, MessageHandler } from '../../../src/bot/channel.js';
import { createWecomChannels, type WecomOverrides } from '../../../src/bot/wecom/index.js';
import { WecomLongConnectionChannel } from '../../../src/bot/wecom/long-connection.js';
import { ManualClock } from '../../../src/clock.js';
import type { Delivery, IncomingMessage, OutgoingMessage } from '../../../src/messages.js';
import { FakeWecomServer } from '../../fakes/wecom-server.js';
import { captureLog, deferred, fixture, logged, records, sleep, testConfig } from './helpers.js';

const SECRET = 'long-connection-secret-7f3a';
const GROUP = 'wrkSFfCgAAtM9yUn4V0mQz6mDqsKlrPg';

let server: FakeWecomServer;
let channel: Channel | undefined;
let logs: ReturnType<typeof captureLog>;

beforeEach(async () => {
  server = await FakeWecomServer.start({ botId: 'bot-1', secret: SECRET });
  logs = captureLog();
});

afterEach(async () => {
  // Client first, then the server, so the SDK does not start reconnecting to a closed port.
  await channel?.stop();
  channel = undefined;
  await server.close();
});

function makeChannel(overrides: WecomOverrides = {}, secret = SECRET): Channel {
  const config = testConfig({
    WECOM_BOT_ID: 'bot-1',
    WECOM_BOT_SECRET: secret,
    WECOM_WS_URL: server.wsUrl,
    WECOM_API_BASE: server.apiBase,
  });
  const channels = createWecomChannels(
    { config, clock: new ManualClock(new Date('2026-12-01T01:00:00Z')), log: logs.log, webhooks: { forChat: async () => undefined } },
    { heartbeatIntervalMs: 100, reconnectIntervalMs: 50, readyTimeoutMs: 2000, startTimeoutMs: 2000, ...overrides },
  );
  const wecom = channels.find((c) => c.name === 'wecom');
  if (!wecom) throw new Error('long-connection channel not created');
  channel = wecom;
  return wecom;
}

const reply = (msg: IncomingMessage, text: string, mentions: OutgoingMessage['mentions'] = []): Delivery => ({
  target: { kind: 'chat', channel: msg.channel, chatId: msg.chatId },
  message: { text, mentions },
});

/** Stub core: echoes the text back to the chat it came from. */
function echo(seen: IncomingMessage[] = []): MessageHandler {
  return async (msg) => {
    seen.push(msg);
    return [reply(msg, `收到\n${msg.text}`)];
  };
}

describe('WeCom long connection through the real SDK', () => {
  it('creates the long-connection channel only when WECOM_BOT_ID is set; the webhook always', () => {
    const deps = { clock: new ManualClock(new Date(0)), log: logs.log, webhooks: { forChat: async () => undefined } };
    expect(createWecomChannels({ ...deps, config: testConfig({}) }).map((c) => c.name)).toEqual(['wecom-webhook']);
    expect(createWecomChannels({ ...deps, config: testConfig({ WECOM_BOT_ID: 'b', WECOM_BOT_SECRET: 's' }) })
      .map((c) => c.name)).toEqual(['wecom', 'wecom-webhook']);
  });

  it('authenticates with the Bot ID and Secret and resolves start() once authenticated', async () => {
    await makeChannel().start(echo());
    expect(server.authCount).toBe(1);
    const auth = await server.nextFrame('aibot_subscribe');
    expect(auth.body).toEqual({ bot_id: 'bot-1', secret: SECRET });
    expect(records(logs.lines, 'authenticated')).toHaveLength(1);
    expect(logs.text()).not.toContain(SECRET);
  });

  it('survives a wrong secret: logs clearly, does not throw, gives up after the configured attempts', async () => {
    const wecom = makeChannel({ maxAuthFailureAttempts: 1 }, 'wrong-secret-0000');
    await expect(wecom.start(echo())).resolves.toBeUndefined();
    expect(server.authCount).toBe(0);
    const rejected = records(logs.lines, 'rejected the robot credentials');
    expect(rejected[0]).toMatchObject({ level: 50, reason: expect.stringContaining('40001') });
    await logged(logs.lines, 'kept failing');
    expect(logs.text()).not.toContain('wrong-secret-0000');
    const result = await wecom.send({ kind: 'chat', channel: 'wecom', chatId: GROUP }, { text: '测试', mentions: [] });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('not connected') });
  });

  it('sends heartbeats that the server acks, keeping one connection', async () => {
    await makeChannel().start(echo());
    await server.nextFrame('ping');
    await server.nextFrame('ping');
    await server.nextFrame('ping');
    expect(server.connectionCount).toBe(1);
    expect(server.authCount).toBe(1);
  });

  it('reconnects when heartbeats go unacknowledged', async () => {
    server.ackPings = false;
    await makeChannel().start(echo());
    await server.waitForAuth(2, 3000);
    expect(server.connectionCount).toBeGreaterThanOrEqual(2);
  });

  it('hands a group text to the handler and replies with one finished stream to the callback req_id', async () => {
    const seen: IncomingMessage[] = [];
    await makeChannel().start(echo(seen));
    const callback = fixture('group-text.json');
    const reqId = server.pushCallback(callback.body, callback.headers.req_id);

    const respond = await server.nextFrame('aibot_respond_msg');
    expect(seen).toEqual([
      expect.objectContaining({ channel: 'wecom', chatId: GROUP, chatType: 'group', senderId: 'zhangsan', text: '/进度', mentionedBot: true }),
    ]);
    expect(respond.reqId).toBe(reqId);
    expect(respond.body).toMatchObject({ msgtype: 'stream', stream: { finish: true, content: '**收到**\n/进度' } });
    expect(typeof respond.body.stream.id).toBe('string');
  });

  it('replies in a 1:1 chat and sends deliveries for other people proactively with <@userid>', async () => {
    await makeChannel().start(async (msg) => [
      reply(msg, '请假已提交\n等待审批'),
      {
        target: { kind: 'person', channel: 'wecom', userId: 'lisi', personId: 2, name: '李四' },
        message: { text: '请假待审批\n@张三 申请请假，请审批', mentions: [{ personId: 1, name: '张三', userId: 'zhangsan' }] },
      },
    ]);
    server.pushText({ userid: 'zhangsan', content: '/请假 外出培训' });

    const respond = await server.nextFrame('aibot_respond_msg');
    expect(respond.body.stream.content).toBe('**请假已提交**\n等待审批');
    const proactive = await server.nextFrame('aibot_send_msg');
    expect(proactive.body).toEqual({
      chatid: 'lisi',
      msgtype: 'markdown',
      markdown: { content: '**请假待审批**\n<@zhangsan> 申请请假，请审批' },
    });
  });

  it('sends proactively to a group with mentions rendered as <@userid>', async () => {
    const wecom = makeChannel();
    await wecom.start(echo());
    const result = await wecom.send(
      { kind: 'chat', channel: 'wecom', chatId: GROUP },
      { text: '会前提醒\n@张三 @李四 请于12月5日前提交发言提纲', mentions: [
        { personId: 1, name: '张三', userId: 'zhangsan' },
        { personId: 2, name: '李四' },
      ] },
    );
    expect(result).toEqual({ ok: true });
    const frame = await server.nextFrame('aibot_send_msg');
    expect(frame.reqId.startsWith('aibot_send_msg')).toBe(true);
    expect(frame.body).toEqual({
      chatid: GROUP,
      msgtype: 'markdown',
      markdown: { content: '**会前提醒**\n<@zhangsan> @李四 请于12月5日前提交发言提纲' },
    });
  });

  it('splits a long proactive message into several markdown messages', async () => {
    const wecom = makeChannel();
    await wecom.start(echo());
    const lines = Array.from({ length: 200 }, (_, i) => `${i + 1}. 班子成员对照检查材料第${i + 1}条意见已反馈`);
    const result = await wecom.send({ kind: 'chat', channel: 'wecom', chatId: GROUP }, { text: ['征求意见汇总', ...lines].join('\n'), mentions: [] });
    expect(result.ok).toBe(true);
    const sends = server.frames.filter((f) => f.cmd === 'aibot_send_msg');
    expect(sends.length).toBeGreaterThan(1);
    for (const f of sends) expect(Buffer.byteLength(f.body.markdown.content, 'utf8')).toBeLessThanOrEqual(4096);
    expect(sends.at(-1)?.body.markdown.content).toContain('200. 班子成员');
  });

  it('reports a failed send ack (raw frame rejection) as a SendResult, not an exception', async () => {
    const wecom = makeChannel();
    await wecom.start(echo());
    server.failNextAck('aibot_send_msg', 93006, 'invalid chatid');
    const result = await wecom.send({ kind: 'chat', channel: 'wecom', chatId: 'nope' }, { text: '测试', mentions: [] });
    expect(result).toEqual({ ok: false, error: 'errcode 93006: invalid chatid' });
  });

  it('processes a msgid delivered twice concurrently only once', async () => {
    const release = deferred();
    let calls = 0;
    await makeChannel().start(async (msg) => {
      calls += 1;
      await release.promise;
      return [reply(msg, '已处理')];
    });
    server.pushText({ userid: 'zhangsan', chatid: GROUP, content: '@生活会助手 /进度', msgid: 'dup-1', reqId: 'cb-a' });
    server.pushText({ userid: 'zhangsan', chatid: GROUP, content: '@生活会助手 /进度', msgid: 'dup-1', reqId: 'cb-b' });
    await logged(logs.lines, 'duplicate callback ignored');
    release.resolve();
    const respond = await server.nextFrame('aibot_respond_msg');
    expect(respond.reqId).toBe('cb-a');
    await sleep(150);
    expect(calls).toBe(1);
    expect(server.frames.filter((f) => f.cmd === 'aibot_respond_msg')).toHaveLength(1);
  });

  it('falls back to aibot_send_msg when the passive reply is refused (846608 stream expired)', async () => {
    await makeChannel().start(echo());
    server.failNextAck('aibot_respond_msg', 846608, 'stream message update expired');
    server.pushText({ userid: 'zhangsan', chatid: GROUP, content: '@生活会助手 /进度' });

    const fallback = await server.nextFrame('aibot_send_msg');
    expect(fallback.body).toEqual({ chatid: GROUP, msgtype: 'markdown', markdown: { content: '**收到**\n/进度' } });
    expect(records(logs.lines, 'passive reply failed')[0]).toMatchObject({ reason: 'errcode 846608: stream message update expired' });
  });

  it('falls back to aibot_send_msg when the passive reply is never acked (SDK 5 s timeout)', async () => {
    await makeChannel().start(echo());
    server.withholdNextAck('aibot_respond_msg');
    server.pushText({ userid: 'wangwu', content: '/我的' });
    const fallback = await server.nextFrame('aibot_send_msg', 8000);
    expect(fallback.body).toMatchObject({ chatid: 'wangwu', markdown: { content: '**收到**\n/我的' } });
    expect(records(logs.lines, 'passive reply failed')[0]?.reason).toMatch(/timeout/i);
  }, 12_000);

  it('reconnects and re-authenticates after the server drops the connection; handles messages again', async () => {
    await makeChannel().start(echo());
    server.terminateConnections();
    await server.waitForAuth(2);
    expect(server.connectionCount).toBe(2);
    expect(records(logs.lines, 'connection lost')).toHaveLength(1);

    server.pushText({ userid: 'zhangsan', chatid: GROUP, content: '@生活会助手 /进度' });
    const respond = await server.nextFrame('aibot_respond_msg');
    expect(respond.connection).toBe(2);
  });

  it('holds a send issued while disconnected and sends it once re-authenticated', async () => {
    const wecom = makeChannel({ reconnectIntervalMs: 200 });
    await wecom.start(echo());
    server.terminateConnections();
    await logged(logs.lines, 'connection lost');

    const result = await wecom.send({ kind: 'chat', channel: 'wecom', chatId: GROUP }, { text: '断线期间的提醒', mentions: [] });
    expect(result).toEqual({ ok: true });
    const frame = await server.nextFrame('aibot_send_msg');
    expect(frame.connection).toBe(2);
    expect(frame.body.markdown.content).toBe('**断线期间的提醒**');
  });

  it('logs disconnected_event clearly, stops sending and does not reconnect', async () => {
    const wecom = makeChannel();
    await wecom.start(echo());
    server.pushEvent('disconnected_event');
    await logged(logs.lines, 'another instance');
    expect(records(logs.lines, 'another instance')[0]).toMatchObject({ level: 50 });
    await sleep(300); // several reconnect intervals
    expect(server.connectionCount).toBe(1);
    const result = await wecom.send({ kind: 'chat', channel: 'wecom', chatId: GROUP }, { text: '提醒', mentions: [] });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('another instance') });
  });

  it('ignores non-text callbacks without calling the handler', async () => {
    const seen: IncomingMessage[] = [];
    await makeChannel().start(echo(seen));
    server.pushCallback(fixture('single-image.json').body);
    server.pushText({ userid: 'zhangsan', content: '/我的' });
    await server.nextFrame('aibot_respond_msg');
    expect(seen.map((m) => m.text)).toEqual(['/我的']);
  });

  it('stop() waits for a message being handled, then closes without reconnecting', async () => {
    const entered = deferred();
    const release = deferred();
    const wecom = makeChannel();
    await wecom.start(async (msg) => {
      entered.resolve();
      await release.promise;
      return [reply(msg, '处理完成')];
    });
    server.pushText({ userid: 'zhangsan', content: '/我的' });
    await entered.promise;
    const stopped = wecom.stop();
    release.resolve();
    await stopped;
    channel = undefined;
    expect(server.frames.filter((f) => f.cmd === 'aibot_respond_msg')).toHaveLength(1);
    await sleep(200);
    expect(server.connectionCount).toBe(1);
    expect(wecom).toBeInstanceOf(WecomLongConnectionChannel);
  });
});
