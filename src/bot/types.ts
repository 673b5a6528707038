import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';

/** Per-unit push-only robot credentials (群机器人 webhook key, 钉钉自定义机器人 token + sign secret). */
export interface WebhookCredential {
  unitId: number;
  /** 'wecom-webhook' | 'dingtalk-webhook' */
  channel: string;
  /** WeCom: the webhook key. DingTalk: the access_token. Never logged. */
  token: string;
  /** DingTalk: the SEC… signing secret, when the robot has 加签 on. */
  signSecret?: string;
}

/** Looks up credentials for push-only robots; backed by the store and the environment. */
export interface WebhookCredentials {
  forChat(channel: string, chatId: string): Promise<WebhookCredential | undefined>;
}

/** What a channel factory gets from the app. */
export interface ChannelDeps {
  config: Readonly<Config>;
  clock: Clock;
  log: Logger;
  webhooks: WebhookCredentials;
}
