import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookCredential } from '../../../src/bot/types.js';
import { createWecomChannels } from '../../../src/bot/wecom/index.js';
import { SlidingWindowLimiter, WecomWebhookChannel } from '../../../src/bot/wecom/webhook.js';
import { ManualClock } from '../../../src/clock.js';
import type { ChatTarget, OutgoingMessage } from '../../../src/messages.js';
import { FakeWecomServer } from '../../fakes/wecom-server.js';
import { captureLog, records, testConfig } from './helpers.js';

const GOOD_KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const DEAD_KEY = '0dead000-key0-4bc4-97a0-000000000000';

const credentials: Record<string, WebhookCredential> = {
  'unit:7': { unitId: 7, channel: 'wecom-webhook', token: GOOD_KEY },
  'unit:9': { unitId: 9, channel: 'wecom-webhook', token: DEAD_KEY },
};

let server: FakeWecomServer;
let logs: ReturnType<typeof captureLog>;
let clock: ManualClock;
let hook: WecomWebhookChannel;
let lookups: Array<[string, string]>;

beforeEach(async () => {
  server = await FakeWecomServer.start({ webhookKeys: [GOOD_KEY] });
  logs = captureLog();
  clock = new ManualClock(new Date('2026-12-01T01:00:00Z'));
  lookups = [];
  const channels = createWecomChannels({
    config: testConfig({ WECOM_API_BASE: server.apiBase }),
    clock,
    log: logs.log,
    webhooks: {
      forChat: async (channel, chatId) => {
        lookups.push([channel, chatId]);
        return credentials[chatId];
      },
    },
  });
  hook = channels.find((c) => c.name === 'wecom-webhook') as WecomWebhookChannel;
});

afterEach(async () => {
  await hook.stop();
  await server.close();
});

const unit7: ChatTarget = { kind: 'chat', channel: 'wecom-webhook', chatId: 'unit:7', title: '党办群' };
const notice: OutgoingMessage = {
  text: '会前提醒\n@张三 请于12月5日前提交发言提纲',
  mentions: [{ personId: 1, name: '张三', userId: 'zhangsan' }],
};

describe('WeCom group robot webhook', () => {
  it('is push only', () => {
    expect(hook.caps.canReceive).toBe(false);
  });

  it('posts markdown with <@userid> mentions to /cgi-bin/webhook/send?key=…', async () => {
    const result = await hook.send(unit7, notice);
    expect(result).toEqual({ ok: true });
    expect(lookups).toEqual([['wecom-webhook', 'unit:7']]);
    const request = await server.waitForWebhook(1);
    expect(request.key).toBe(GOOD_KEY);
    expect(request.contentType).toContain('application/json');
    expect(request.body).toEqual({
      msgtype: 'markdown',
      markdown: { content: '**会前提醒**\n<@zhangsan> 请于12月5日前提交发言提纲' },
    });
  });

  it('turns errcode 45009 into a retry after about a minute', async () => {
    server.failNextWebhook({ errcode: 45009, errmsg: 'api freq out of limit' });
    const result = await hook.send(unit7, notice);
    expect(result).toMatchObject({ ok: false, retryAfterMs: 60_000 });
    expect(result.permanent).toBeUndefined();
  });

  it('turns errcode 93000 into a permanent failure and logs the unit, never the key', async () => {
    const result = await hook.send({ kind: 'chat', channel: 'wecom-webhook', chatId: 'unit:9' }, notice);
    expect(result).toMatchObject({ ok: false, permanent: true, error: expect.stringContaining('93000') });
    const [line] = records(logs.lines, 'is invalid');
    expect(line).toMatchObject({ level: 50, unitId: 9, errcode: 93000 });
    expect(line?.msg).toContain('unit 9');
    expect(logs.text()).not.toContain(DEAD_KEY);
    expect(JSON.stringify(result)).not.toContain(DEAD_KEY);
  });

  it('treats HTTP 5xx as retryable', async () => {
    server.failNextWebhook({ status: 502 });
    const result = await hook.send(unit7, notice);
    expect(result).toEqual({ ok: false, error: 'HTTP 502' });
  });

  it('treats a network error as retryable and keeps the key out of the log', async () => {
    const port = server.port;
    await server.close();
    server = await FakeWecomServer.start({ webhookKeys: [GOOD_KEY] }); // a fresh one for afterEach
    const offline = new WecomWebhookChannel(
      { log: logs.log, clock, webhooks: { forChat: async () => credentials['unit:7'] } },
      { apiBase: `http://127.0.0.1:${port}`, timeoutMs: 1000 },
    );
    const result = await offline.send(unit7, notice);
    expect(result.ok).toBe(false);
    expect(result.permanent).toBeUndefined();
    expect(result.error).toMatch(/network error/);
    expect(logs.text()).not.toContain(GOOD_KEY);
  });

  it('refuses permanently when the chat has no key or the target is a person', async () => {
    expect(await hook.send({ kind: 'chat', channel: 'wecom-webhook', chatId: 'unit:404' }, notice))
      .toMatchObject({ ok: false, permanent: true });
    expect(await hook.send({ kind: 'person', channel: 'wecom-webhook', userId: 'zhangsan', personId: 1, name: '张三' }, notice))
      .toMatchObject({ ok: false, permanent: true });
    expect(server.webhookRequests).toHaveLength(0);
  });

  it('keeps to 20 messages a minute per key without calling WeCom for the 21st', async () => {
    for (let i = 0; i < 20; i += 1) {
      expect(await hook.send(unit7, { text: `提醒 ${i + 1}`, mentions: [] })).toEqual({ ok: true });
      clock.advance(1000);
    }
    const deferred = await hook.send(unit7, { text: '提醒 21', mentions: [] });
    expect(deferred).toMatchObject({ ok: false, retryAfterMs: 40_000 });
    expect(server.webhookRequests).toHaveLength(20);
    clock.advance(40_000);
    expect(await hook.send(unit7, { text: '提醒 21', mentions: [] })).toEqual({ ok: true });
    expect(server.webhookRequests).toHaveLength(21);
  });

  it('splits a long message and, on retry after a rate limit, does not repost the parts already sent', async () => {
    const lines = Array.from({ length: 250 }, (_, i) => `${i + 1}. 第${i + 1}条意见建议已梳理并反馈本人`);
    const long: OutgoingMessage = { text: ['意见建议汇总', ...lines].join('\n'), mentions: [], key: 'digest:2026-12-01' };
    server.failNextWebhook({ errcode: 0, errmsg: 'ok' });
    server.failNextWebhook({ errcode: 45009, errmsg: 'api freq out of limit' });
    const first = await hook.send(unit7, long);
    expect(first).toMatchObject({ ok: false, retryAfterMs: 60_000 });
    const sentFirst = server.webhookRequests.length;
    expect(sentFirst).toBe(2);

    clock.advance(60_000);
    expect(await hook.send(unit7, long)).toEqual({ ok: true });
    const contents = server.webhookRequests.map((r) => r.body.markdown?.content ?? '');
    // Part 1 went out once; part 2 was refused once and then sent; nothing else repeats.
    expect(contents[0]).toMatch(/^\*\*意见建议汇总\*\*\n1\. /);
    expect(contents.filter((c) => c === contents[0])).toHaveLength(1);
    expect(contents[2]).toBe(contents[1]);
    expect(new Set(contents).size).toBe(contents.length - 1);
    for (const c of contents) expect(Buffer.byteLength(c, 'utf8')).toBeLessThanOrEqual(4096);
    expect(contents.at(-1)).toContain('250. 第250条');
  });
});

describe(SlidingWindowLimiter.name, () => {
  it('says how long until enough slots are free', () => {
    const limiter = new SlidingWindowLimiter(3, 60_000);
    expect(limiter.reserve('k', 2, 0)).toBe(0);
    expect(limiter.reserve('k', 1, 10_000)).toBe(0);
    expect(limiter.reserve('k', 2, 20_000)).toBe(40_000); // both t=0 slots must expire
    expect(limiter.reserve('other', 3, 20_000)).toBe(0);
    expect(limiter.reserve('k', 1, 60_000)).toBe(0);
  });
});
