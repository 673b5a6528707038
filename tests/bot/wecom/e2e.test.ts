import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWecomChannels } from '../../../src/bot/wecom/index.js';
import { createApp, type App } from '../../../src/app.js';
import { ManualClock } from '../../../src/clock.js';
import { FakeWecomServer } from '../../fakes/wecom-server.js';
import { captureLog, testConfig } from './helpers.js';

let server: FakeWecomServer;
let app: App | undefined;

beforeEach(async () => {
  server = await FakeWecomServer.start({ botId: 'bot-1', secret: 'e2e-secret' });
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await server.close();
});

async function startApp(): Promise<App> {
  const config = testConfig({ WECOM_BOT_ID: 'bot-1', WECOM_BOT_SECRET: 'e2e-secret', WECOM_WS_URL: server.wsUrl, WECOM_API_BASE: server.apiBase });
  const clock = new ManualClock(new Date('2026-12-01T01:00:00Z'));
  const { log } = captureLog();
  const created = await createApp({ config, clock, log });
  for (const channel of createWecomChannels({ config, clock, log, webhooks: created.webhooks }, { heartbeatIntervalMs: 100, reconnectIntervalMs: 50 })) {
    created.addChannel(channel);
  }
  app = created;
  await created.start();
  return created;
}

describe('WeCom through the real core (createApp)', () => {
  it('answers @生活会助手 /帮助 in a group with a stream reply listing the commands', async () => {
    await startApp();
    const reqId = server.pushText({ userid: 'zhangsan', chatid: 'wrOgE2E', content: '@生活会助手\u2005/帮助' });
    const reply = await server.nextFrame('aibot_respond_msg');
    expect(reply.reqId).toBe(reqId);
    expect(reply.body.msgtype).toBe('stream');
    expect(reply.body.stream.finish).toBe(true);
    expect(reply.body.stream.content).toMatch(/^\*\*[^*\n]+\*\*\n/);
    expect(reply.body.stream.content).toContain('/进度');
  });

  it('answers a redelivered msgid once (adapter guard and the store together)', async () => {
    await startApp();
    server.pushText({ userid: 'zhangsan', chatid: 'wrOgE2E', content: '@生活会助手 /帮助', msgid: 'same', reqId: 'cb-1' });
    await server.nextFrame('aibot_respond_msg');
    server.pushText({ userid: 'zhangsan', chatid: 'wrOgE2E', content: '@生活会助手 /帮助', msgid: 'same', reqId: 'cb-2' });
    server.pushText({ userid: 'zhangsan', chatid: 'wrOgE2E', content: '@生活会助手 /帮助', msgid: 'other', reqId: 'cb-3' });
    const next = await server.nextFrame('aibot_respond_msg');
    expect(next.reqId).toBe('cb-3');
    expect(server.frames.filter((f) => f.cmd === 'aibot_respond_msg').map((f) => f.reqId)).toEqual(['cb-1', 'cb-3']);
  });
});
