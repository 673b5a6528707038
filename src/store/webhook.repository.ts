import type { WebhookCredential, WebhookCredentials } from '../bot/types.js';
import type { Config } from '../config.js';
import type { Q } from './helpers.js';
import { bindChat, findUnitByName } from './unit.repository.js';

/**
 * Push-only robots are bound to a unit as a chat `unit:<id>` on the channel 'wecom-webhook' or
 * 'dingtalk-webhook'; the key/token lives in the webhook table (set by the CLI) or in the
 * environment (WECOM_WEBHOOK_KEYS / DINGTALK_WEBHOOKS as `单位名=key[;secret],…`).
 */
export const webhookChatId = (unitId: number): string => `unit:${unitId}`;

export async function setWebhook(db: Q, unitId: number, channel: string, token: string, signSecret: string | null, at: string): Promise<void> {
  const existing = await db.selectFrom('webhook').select('id').where('unit_id', '=', unitId).where('channel', '=', channel).executeTakeFirst();
  if (existing) await db.updateTable('webhook').set({ token, sign_secret: signSecret }).where('id', '=', existing.id).execute();
  else await db.insertInto('webhook').values({ unit_id: unitId, channel, token, sign_secret: signSecret, created_at: at }).execute();
  await bindChat(db, channel, webhookChatId(unitId), unitId, null, at);
}

export async function removeWebhook(db: Q, unitId: number, channel: string): Promise<void> {
  await db.deleteFrom('webhook').where('unit_id', '=', unitId).where('channel', '=', channel).execute();
  await db.updateTable('chat').set({ unit_id: null }).where('channel', '=', channel).where('chat_id', '=', webhookChatId(unitId)).execute();
}

/** Parses `单位A=key1,单位B=key2;SECxxx` (the environment form). */
export function parseWebhookEnv(value: string | undefined): Array<{ unit: string; token: string; signSecret?: string }> {
  if (!value) return [];
  return value.split(',').map((part) => part.trim()).filter(Boolean).flatMap((part) => {
    const eq = part.indexOf('=');
    if (eq <= 0) return [];
    const unit = part.slice(0, eq).trim();
    const [token = '', signSecret] = part.slice(eq + 1).split(';').map((s) => s.trim());
    if (!token) return [];
    return [signSecret ? { unit, token, signSecret } : { unit, token }];
  });
}

/** Binds the units named in the environment to their webhook chats (at start-up). */
export async function bindEnvWebhooks(db: Q, config: Config, at: string): Promise<string[]> {
  const missing: string[] = [];
  for (const [channel, value] of [['wecom-webhook', config.WECOM_WEBHOOK_KEYS], ['dingtalk-webhook', config.DINGTALK_WEBHOOKS]] as const) {
    for (const entry of parseWebhookEnv(value)) {
      const unit = await findUnitByName(db, entry.unit);
      if (!unit) missing.push(entry.unit);
      else await bindChat(db, channel, webhookChatId(unit.id), unit.id, null, at);
    }
  }
  return missing;
}

export function createWebhookCredentials(db: Q, config: Config): WebhookCredentials {
  return {
    async forChat(channel, chatId) {
      const m = /^unit:(\d+)$/.exec(chatId);
      if (!m) return undefined;
      const unitId = Number(m[1]);
      const row = await db.selectFrom('webhook').select(['token', 'sign_secret']).where('unit_id', '=', unitId).where('channel', '=', channel).executeTakeFirst();
      if (row) {
        const cred: WebhookCredential = { unitId, channel, token: row.token };
        if (row.sign_secret) cred.signSecret = row.sign_secret;
        return cred;
      }
      const unit = await db.selectFrom('unit').select('name').where('id', '=', unitId).executeTakeFirst();
      const env = channel === 'wecom-webhook' ? config.WECOM_WEBHOOK_KEYS : channel === 'dingtalk-webhook' ? config.DINGTALK_WEBHOOKS : undefined;
      const entry = unit && parseWebhookEnv(env).find((e) => e.unit === unit.name);
      if (!entry) return undefined;
      const cred: WebhookCredential = { unitId, channel, token: entry.token };
      if (entry.signSecret) cred.signSecret = entry.signSecret;
      return cred;
    },
  };
}
