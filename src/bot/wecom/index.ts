import type { Channel } from '../channel.js';
import type { ChannelDeps } from '../types.js';
import { WecomLongConnectionChannel, type WecomLongConnectionOptions } from './long-connection.js';
import { WecomWebhookChannel, type WecomWebhookOptions } from './webhook.js';

export { decodeWecomMessage } from './decode.js';
export { renderWecomMarkdown, WECOM_MARKDOWN_MAX_BYTES, WECOM_STREAM_MAX_BYTES } from './render.js';
export { WecomLongConnectionChannel } from './long-connection.js';
export { WecomWebhookChannel } from './webhook.js';

/** Test and tuning knobs; production uses the defaults. */
export type WecomOverrides = Partial<
  Pick<
    WecomLongConnectionOptions,
    | 'heartbeatIntervalMs'
    | 'reconnectIntervalMs'
    | 'maxAuthFailureAttempts'
    | 'maxReconnectAttempts'
    | 'readyTimeoutMs'
    | 'startTimeoutMs'
    | 'stopGraceMs'
  >
> &
  Partial<Pick<WecomWebhookOptions, 'http'>> & { webhookTimeoutMs?: number };

/**
 * The WeCom channels: the 智能机器人 long connection `'wecom'` when WECOM_BOT_ID is set, and the
 * push-only 群机器人 webhook `'wecom-webhook'` always (it posts only to chats that have a key).
 * @example const channels = createWecomChannels({ config, clock, log, webhooks });
 */
export function createWecomChannels(deps: ChannelDeps, overrides: WecomOverrides = {}): Channel[] {
  const { config } = deps;
  const channels: Channel[] = [];
  if (config.WECOM_BOT_ID && config.WECOM_BOT_SECRET) {
    const { http: _http, webhookTimeoutMs: _timeout, ...connection } = overrides;
    channels.push(
      new WecomLongConnectionChannel(
        { log: deps.log.child({ channel: 'wecom' }) },
        {
          botId: config.WECOM_BOT_ID,
          secret: config.WECOM_BOT_SECRET,
          ...(config.WECOM_WS_URL ? { wsUrl: config.WECOM_WS_URL } : {}),
          botName: config.BOT_NAME,
          ...connection,
        },
      ),
    );
  }
  channels.push(
    new WecomWebhookChannel(
      { log: deps.log.child({ channel: 'wecom-webhook' }), clock: deps.clock, webhooks: deps.webhooks },
      {
        apiBase: config.WECOM_API_BASE,
        ...(overrides.webhookTimeoutMs !== undefined ? { timeoutMs: overrides.webhookTimeoutMs } : {}),
        ...(overrides.http ? { http: overrides.http } : {}),
      },
    ),
  );
  return channels;
}
