import type { App } from '../app.js';
import type { Channel } from './channel.js';
import { createDingTalkChannels, type DingTalkOverrides } from './dingtalk/index.js';
import { createWecomChannels, type WecomOverrides } from './wecom/index.js';

/**
 * Every platform channel the configuration asks for: WeCom (long connection + group-robot
 * webhook) and DingTalk (stream + custom robot). One process serves both platforms.
 */
export function platformChannels(app: App, overrides: { wecom?: WecomOverrides; dingtalk?: DingTalkOverrides } = {}): Channel[] {
  const deps = { config: app.config, clock: app.clock, log: app.log, webhooks: app.webhooks };
  return [...createWecomChannels(deps, overrides.wecom), ...createDingTalkChannels(deps, overrides.dingtalk)];
}
