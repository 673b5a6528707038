import type { Channel } from '../channel.js';
import type { ChannelDeps } from '../types.js';
import { DingTalkStreamChannel } from './stream.channel.js';
import { defaultReconnectPolicy, type ReconnectPolicy } from './stream-connection.js';
import { DingTalkWebhookChannel } from './webhook.channel.js';

export { decodeDingTalk, parseRobotMessage } from './decode.js';
export { DingTalkStreamChannel } from './stream.channel.js';
export { DingTalkWebhookChannel } from './webhook.channel.js';

/** Knobs for tests and unusual networks; production uses the defaults. */
export interface DingTalkOverrides {
  reconnect?: Partial<ReconnectPolicy>;
  /** WebSocket ping period of the stream (default 20 s). */
  heartbeatMs?: number;
  /** Timeout of every HTTP call (default 10 s). */
  httpTimeoutMs?: number;
  /** WebSocket handshake timeout (default 10 s). */
  handshakeTimeoutMs?: number;
  /** How long stop() waits for messages still being handled (default 10 s). */
  drainMs?: number;
  /** Custom robot messages per robot and minute (default 18; DingTalk allows 20). */
  webhookPerMinute?: number;
}

/**
 * The DingTalk channels: `'dingtalk'` (enterprise robot, Stream mode) when DINGTALK_CLIENT_ID is
 * set, and `'dingtalk-webhook'` (custom robots, push only) always.
 * @example const channels = createDingTalkChannels({ config, clock, log, webhooks });
 */
export function createDingTalkChannels(deps: ChannelDeps, overrides: DingTalkOverrides = {}): Channel[] {
  const { config } = deps;
  const http = { timeoutMs: overrides.httpTimeoutMs ?? 10_000 };
  const channels: Channel[] = [];
  if (config.DINGTALK_CLIENT_ID && config.DINGTALK_CLIENT_SECRET) {
    channels.push(
      new DingTalkStreamChannel(deps, {
        clientId: config.DINGTALK_CLIENT_ID,
        clientSecret: config.DINGTALK_CLIENT_SECRET,
        robotCode: config.DINGTALK_ROBOT_CODE ?? config.DINGTALK_CLIENT_ID,
        apiBase: trimSlash(config.DINGTALK_API_BASE),
        http,
        reconnect: { ...defaultReconnectPolicy, ...overrides.reconnect },
        heartbeatMs: overrides.heartbeatMs ?? 20_000,
        handshakeTimeoutMs: overrides.handshakeTimeoutMs ?? 10_000,
        drainMs: overrides.drainMs ?? 10_000,
        ...(config.DINGTALK_CARD_TEMPLATE_ID ? { cardTemplateId: config.DINGTALK_CARD_TEMPLATE_ID } : {}),
      }),
    );
  }
  channels.push(
    new DingTalkWebhookChannel(deps, {
      oapiBase: trimSlash(config.DINGTALK_OAPI_BASE),
      http,
      perMinute: overrides.webhookPerMinute ?? 18,
    }),
  );
  return channels;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
