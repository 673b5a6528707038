import { vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { ManualClock } from '../../../src/clock.js';
import { loadConfig } from '../../../src/config.js';
import { SECRET_PATHS, type Logger } from '../../../src/log.js';
import type { ChannelDeps, WebhookCredential } from '../../../src/bot/types.js';
import type { FakeDingTalk } from '../../fakes/dingtalk-server.js';

/** 2026-12-01 09:00 Beijing time. */
export const startOfTest = new Date('2026-12-01T01:00:00Z');

export const appId = 'dingapp0001';
export const appSecret = 'app-secret-0001';

/** A recorded robot payload from tests/fixtures/dingtalk/. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/dingtalk/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** A fixture whose sessionWebhook points at the fake, valid for 90 minutes from `clock`. */
export function aRobotMessage(
  fake: FakeDingTalk,
  clock: ManualClock,
  name: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const expiresAt = clock.now().getTime() + 90 * 60_000;
  return { ...fixture(name), sessionWebhook: fake.sessionWebhook(expiresAt), sessionWebhookExpiredTime: expiresAt, ...overrides };
}

/** A logger with the app's redaction that keeps every line, to assert on. */
export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino(
    { level: 'debug', redact: { paths: SECRET_PATHS, censor: '***' }, base: undefined },
    { write: (line: string) => void lines.push(line) },
  );
  return { log, lines };
}

export function testDeps(
  fake: FakeDingTalk,
  clock: ManualClock,
  options: { env?: Record<string, string>; webhooks?: Record<string, WebhookCredential>; log?: Logger } = {},
): ChannelDeps {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DINGTALK_CLIENT_ID: appId,
    DINGTALK_CLIENT_SECRET: appSecret,
    DINGTALK_API_BASE: fake.url,
    DINGTALK_OAPI_BASE: fake.url,
    ...options.env,
  });
  const webhooks = options.webhooks ?? {};
  return {
    config,
    clock,
    log: options.log ?? memoryLogger().log,
    webhooks: { forChat: async (_channel, chatId) => webhooks[chatId] },
  };
}

/** Small, fast reconnects for tests. */
export const fastOverrides = {
  reconnect: { baseMs: 20, maxMs: 200, stableMs: 60_000 },
  heartbeatMs: 60_000,
  httpTimeoutMs: 2_000,
  handshakeTimeoutMs: 2_000,
  drainMs: 1_000,
};

/**
 * The SDK prints "connect success", "Disconnecting." and socket errors straight to the console;
 * keep test output readable. (Its behaviour is unchanged; only the printing is muted.)
 */
export function muteSdkConsole(): void {
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
