import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWecomChannels } from '../../src/bot/wecom/index.js';
import { BotMetrics } from '../../src/health/metrics.js';
import type { HealthReport } from '../../src/health/probe.js';
import { buildHealthServer, startHealthServer } from '../../src/health/server.js';
import { silentLogger } from '../../src/log.js';
import { createScheduler } from '../../src/scheduler/cron.js';
import { enqueue } from '../../src/scheduler/outbox.js';
import { FakeWecomServer } from '../fakes/wecom-server.js';
import { logged, captureLog, testConfig } from '../bot/wecom/helpers.js';
import { memoryStore, startChat, type Chat } from '../helpers/chat.js';
import { aLeadershipTeam } from '../helpers/units.js';

/**
 * The health endpoint and the metrics, through fastify's inject (no port), and once on a real
 * port on 127.0.0.1: what an operator's monitoring sees of a running bot.
 */
let chat: Chat;
let metrics: BotMetrics;
beforeEach(async () => {
  metrics = new BotMetrics();
  chat = await startChat({ today: '2026-12-01', observer: metrics });
});
afterEach(async () => chat.stop());

const server = () => buildHealthServer(chat.app, metrics);

async function healthz(s = server()): Promise<{ code: number; body: HealthReport }> {
  const res = await s.inject({ method: 'GET', url: '/healthz' });
  return { code: res.statusCode, body: res.json<HealthReport>() };
}

/** The value of one sample line of the Prometheus text (`name{labels} value`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const reminder = (key: string) => ({
  messageKey: key,
  unitId: null,
  target: { kind: 'chat' as const, channel: 'console', chatId: '党办群', title: '党办群' },
  message: { text: `提醒 ${key}`, mentions: [] },
});

describe('/healthz', () => {
  it('answers 200 with the database reachable, the terminal chat up and an empty outbox', async () => {
    expect(await healthz()).toEqual({
      code: 200,
      body: {
        status: 'ok',
        database: { reachable: true },
        channels: [{ name: 'console', up: true, state: 'local' }],
        outbox: { pending: 0, oldestPendingAgeSeconds: 0 },
      },
    });
  });

  it('reports the outbox backlog and the age of its oldest message by the injected clock, until it is delivered', async () => {
    await enqueue(chat.db, reminder('a'), chat.clock.now());
    chat.clock.advance(30 * 60_000);
    await enqueue(chat.db, reminder('b'), chat.clock.now());
    chat.clock.advance(60 * 60_000);
    expect((await healthz()).body.outbox).toEqual({ pending: 2, oldestPendingAgeSeconds: 5400 });

    await createScheduler(chat.app, { cron: false }).tick();
    expect(chat.transcript.join('\n')).toContain('提醒 a');
    expect((await healthz()).body.outbox).toEqual({ pending: 0, oldestPendingAgeSeconds: 0 });
  });

  it('answers 503 when the database does not answer, and /metrics says so', async () => {
    const { db } = await memoryStore();
    await db.destroy();
    const down = buildHealthServer({ db, channels: chat.app.channels, clock: chat.clock, log: silentLogger }, metrics);
    expect(await healthz(down)).toEqual({
      code: 503,
      body: { status: 'down', database: { reachable: false }, channels: [{ name: 'console', up: true, state: 'local' }], outbox: null },
    });
    const text = (await down.inject('/metrics')).body;
    expect(sample(text, 'shenghuohui_db_up')).toBe(0);
  });

  it('shows a platform connection that went down as degraded (still 200: a restart does not bring WeCom back)', async () => {
    const wecomServer = await FakeWecomServer.start({ botId: 'bot-1', secret: 'health-secret-1' });
    const logs = captureLog();
    const [wecom] = createWecomChannels(
      { config: testConfig({ WECOM_BOT_ID: 'bot-1', WECOM_BOT_SECRET: 'health-secret-1', WECOM_WS_URL: wecomServer.wsUrl }), clock: chat.clock, log: logs.log, webhooks: { forChat: async () => undefined } },
      { reconnectIntervalMs: 50, startTimeoutMs: 2000 },
    );
    try {
      chat.app.addChannel(wecom!);
      await wecom!.start(async () => []);
      expect((await healthz()).body).toMatchObject({ status: 'ok', channels: [{ name: 'console', up: true }, { name: 'wecom', up: true, state: 'connected' }] });

      wecomServer.pushEvent('disconnected_event'); // another instance took the robot over
      await logged(logs.lines, 'another instance');
      const { code, body } = await healthz();
      expect(code).toBe(200);
      expect(body).toMatchObject({ status: 'degraded', database: { reachable: true }, channels: [{ name: 'console', up: true }, { name: 'wecom', up: false, state: 'down' }] });
      expect(sample((await server().inject('/metrics')).body, 'shenghuohui_channel_up{channel="wecom"}')).toBe(0);
    } finally {
      await wecom!.stop();
      chat.app.channels.delete('wecom');
      await wecomServer.close();
    }
  });
});

describe('/metrics', () => {
  it('counts commands by kind and outcome, scheduler runs and reminders, and sets the backlog gauges', async () => {
    await aLeadershipTeam(chat);
    const op = chat.as('刘联络员').in('党办群');
    await op.say('/进度');
    await op.say('/进度');
    await op.say('/整改 完成 9 已完成'); // no item 9: refused
    await op.say('/进度表'); // not a command
    chat.setDay('2026-12-11'); // the plan is due on D-15 (Sunday 13th), reminded the working day before: the 09:00 run reminds
    await enqueue(chat.db, reminder('held'), chat.clock.now());
    await createScheduler(chat.app, { cron: false }).tick();

    const res = await server().inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(sample(text, 'shenghuohui_commands_total{command="progress",outcome="ok"}')).toBe(2);
    expect(sample(text, 'shenghuohui_commands_total{command="rectify.complete",outcome="refused"}')).toBe(1);
    expect(sample(text, 'shenghuohui_commands_total{command="unparsed",outcome="invalid"}')).toBe(1);
    expect(sample(text, 'shenghuohui_commands_total{command="meeting.create",outcome="ok"}')).toBe(1);
    expect(sample(text, 'shenghuohui_scheduler_run_duration_seconds_count{outcome="ok"}')).toBe(1);
    const planned = sample(text, 'shenghuohui_reminders_planned_total')!;
    expect(planned).toBeGreaterThan(0);
    // The reminder message(s) the run wrote, and the message held in the outbox, all delivered to the console.
    const written = sample(text, 'shenghuohui_outbox_messages_written_total')!;
    expect(written).toBeGreaterThan(0);
    expect(sample(text, 'shenghuohui_outbox_deliveries_total{outcome="sent"}')).toBe(written + 1);
    expect(sample(text, 'shenghuohui_outbox_pending')).toBe(0);
    expect(sample(text, 'shenghuohui_db_up')).toBe(1);
    expect(sample(text, 'shenghuohui_channel_up{channel="console"}')).toBe(1);

    await enqueue(chat.db, reminder('later'), chat.clock.now());
    chat.clock.advance(120_000);
    const after = (await server().inject('/metrics')).body;
    expect(sample(after, 'shenghuohui_outbox_pending')).toBe(1);
    expect(sample(after, 'shenghuohui_outbox_oldest_pending_age_seconds')).toBe(120);
  });

  it('serves /healthz and /metrics on a real port on 127.0.0.1', async () => {
    const running = await startHealthServer(chat.app, metrics, { host: '127.0.0.1', port: 0 });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${running.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: { reachable: true } });
      const text = await (await fetch(`${running.url}/metrics`)).text();
      expect(sample(text, 'shenghuohui_db_up')).toBe(1);
    } finally {
      await running.close();
    }
  });
});
