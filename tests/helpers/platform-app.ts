import { vi } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { platformChannels } from '../../src/bot/channels.js';
import type { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import type { FakeWecomServer } from '../fakes/wecom-server.js';
import { testStore } from './store.js';

/**
 * The real app on a fresh test store (in-memory SQLite, or PostgreSQL in the postgres project) with the platform channels `env` configures (pointed at the
 * fakes), fast reconnects, started. The SDKs' own console lines are muted.
 * @example app = await startPlatformApp({ WECOM_BOT_ID: 'bot-1', … }, clock);
 */
export async function startPlatformApp(env: Record<string, string>, clock: ManualClock): Promise<App> {
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const app = await createApp({ config: loadConfig({ DATABASE_URL: ':memory:', ...env }), clock, log: silentLogger, db: (await testStore()).db });
  for (const c of platformChannels(app, {
    wecom: { heartbeatIntervalMs: 100, reconnectIntervalMs: 50 },
    dingtalk: { reconnect: { baseMs: 20, maxMs: 200, stableMs: 60_000 }, heartbeatMs: 60_000, httpTimeoutMs: 2_000 },
  })) app.addChannel(c);
  await app.start();
  return app;
}

/** Sends a WeCom text (to `chatid` with an @ of the robot, or in the 1:1 chat) and returns the bot's passive reply. */
export async function wecomSay(wecom: FakeWecomServer, userid: string, content: string, chatid?: string): Promise<string> {
  const reqId = wecom.pushText(chatid ? { userid, chatid, content: `@生活会助手\u2005${content}` } : { userid, content });
  const frame = await wecom.waitFor((f) => f.cmd === 'aibot_respond_msg' && f.reqId === reqId);
  return String((frame.body as { stream: { content: string } }).stream.content);
}
