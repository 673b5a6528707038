import { createHash } from 'node:crypto';
import type { Logger } from '../../log.js';
import type { ChatTarget, OutgoingMessage, SendResult } from '../../messages.js';
import type { Channel, ChannelStatus } from '../channel.js';
import type { ChannelDeps, WebhookCredential } from '../types.js';
import { postJson, webhookAnswer, type HttpOptions } from './http.js';
import { chunkMessage, dingTalkLimits, renderChunk, type MarkdownPart } from './markdown.js';
import { RecentMap } from './recent-map.js';
import { webhookMarkdownBody } from './session-webhook.js';
import { customRobotSign } from './sign.js';

export interface WebhookChannelOptions {
  /** DINGTALK_OAPI_BASE: https://oapi.dingtalk.com, or a dedicated-DingTalk / test host. */
  oapiBase: string;
  http: HttpOptions;
  /** Our own cap per robot and minute, below DingTalk's 20 (exceeding it throttles the robot for 10 min). */
  perMinute: number;
}

/** errcode 130101: "send too fast, exceed 20 times per minute"; the robot is then throttled for 10 minutes. */
const throttledForMs = 10 * 60_000;
/** errcodes that retrying cannot fix: sign/keyword/IP mismatch (310000), token missing or unknown. */
const refusedCodes = new Map<number, string>([
  [310000, 'security settings refused the message: check the signing secret (SEC...), keywords and IP allow-list of this robot'],
  [300001, 'access_token is invalid: check the robot webhook configured for this unit'],
  [300005, 'access_token does not exist: the robot may have been removed from the group'],
]);

/**
 * The DingTalk custom robot of a group: push only, one webhook per unit and chat.
 * `POST ${oapiBase}/robot/send?access_token=T[&timestamp=TS&sign=S]` with a markdown body.
 * See https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages
 * @example await channel.send({ kind: 'chat', channel: 'dingtalk-webhook', chatId: 'office-group' }, message)
 */
export class DingTalkWebhookChannel implements Channel {
  readonly name = 'dingtalk-webhook';
  readonly caps = { canReceive: false, markdown: true, maxLength: dingTalkLimits.maxTextChars };

  private readonly log: Logger;
  /** Send times (epoch ms) in the last minute, per robot (keyed by a hash of its token). */
  private readonly recentSends = new RecentMap<string, number[]>(1_000);

  constructor(
    private readonly deps: ChannelDeps,
    private readonly options: WebhookChannelOptions,
  ) {
    this.log = deps.log.child({ channel: this.name });
  }

  /** Push only: a custom robot cannot receive messages. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** A webhook holds no connection: it is up whenever the process is. */
  status(): ChannelStatus {
    return { up: true, state: 'push-only' };
  }

  async send(target: ChatTarget, message: OutgoingMessage): Promise<SendResult> {
    if (target.kind !== 'chat') {
      return { ok: false, permanent: true, error: 'a custom robot can only post to its group' };
    }
    const credential = await this.deps.webhooks.forChat(this.name, target.chatId);
    if (!credential) {
      this.log.error({ chatId: target.chatId }, 'no dingtalk custom robot configured for this chat (DINGTALK_WEBHOOKS or the unit settings)');
      return { ok: false, permanent: true, error: 'no custom robot for this chat' };
    }
    const chunks = chunkMessage(message, this.deps.config.BOT_NAME);
    const waitMs = this.waitForQuota(credential, chunks.length);
    if (waitMs > 0) return { ok: false, retryAfterMs: waitMs, error: 'local rate limit (20 per minute per robot)' };
    for (const chunk of chunks) {
      const result = await this.post(credential, target.chatId, renderChunk(chunk, message.mentions, 'at'));
      if (!result.ok) return result;
    }
    return { ok: true };
  }

  private async post(credential: WebhookCredential, chatId: string, part: MarkdownPart): Promise<SendResult> {
    const now = this.deps.clock.now().getTime();
    this.noteSend(credential, now);
    let url = `${this.options.oapiBase}/robot/send?access_token=${encodeURIComponent(credential.token)}`;
    if (credential.signSecret) url += `&timestamp=${now}&sign=${customRobotSign(credential.signSecret, now)}`;
    const context = { unitId: credential.unitId, chatId };

    const res = await postJson(url, webhookMarkdownBody(part), this.options.http);
    if ('error' in res) {
      this.log.warn({ ...context, reason: res.error }, 'dingtalk custom robot unreachable');
      return { ok: false, error: res.error };
    }
    if (res.status >= 500) {
      this.log.warn({ ...context, status: res.status }, 'dingtalk custom robot: server error');
      return { ok: false, error: `HTTP ${res.status}`, ...(res.retryAfterMs ? { retryAfterMs: res.retryAfterMs } : {}) };
    }
    const { errcode, errmsg } = webhookAnswer(res.data);
    if (res.status === 200 && errcode === 0) return { ok: true };
    if (errcode === 130101) {
      this.log.warn({ ...context, errcode }, 'dingtalk custom robot throttled (over 20 messages a minute); waiting 10 minutes');
      return { ok: false, retryAfterMs: throttledForMs, error: `errcode ${errcode}` };
    }
    const refused = refusedCodes.get(errcode);
    if (refused) {
      this.log.error({ ...context, errcode, errmsg }, `dingtalk custom robot: ${refused}`);
      return { ok: false, permanent: true, error: `errcode ${errcode} ${errmsg}`.trim() };
    }
    this.log.warn({ ...context, status: res.status, errcode, errmsg }, 'dingtalk custom robot refused the message');
    return { ok: false, error: `HTTP ${res.status} errcode ${errcode} ${errmsg}`.trim() };
  }

  /** How long to wait before `parts` more messages fit into this robot's minute; 0 = now. */
  private waitForQuota(credential: WebhookCredential, parts: number): number {
    const now = this.deps.clock.now().getTime();
    const recent = (this.recentSends.get(robotKey(credential)) ?? []).filter((t) => t > now - 60_000);
    const room = this.options.perMinute - recent.length;
    if (room >= Math.min(parts, this.options.perMinute)) return 0;
    // Wait until enough of the oldest sends have left the minute.
    const freeing = recent[Math.min(recent.length - 1, Math.min(parts, this.options.perMinute) - room - 1)] ?? now;
    return Math.max(1, freeing + 60_000 - now);
  }

  private noteSend(credential: WebhookCredential, at: number): void {
    const key = robotKey(credential);
    const recent = (this.recentSends.get(key) ?? []).filter((t) => t > at - 60_000);
    recent.push(at);
    this.recentSends.set(key, recent);
  }
}

/** Robots are told apart by their token, which is hashed so that it is not kept in the clear twice. */
function robotKey(credential: WebhookCredential): string {
  return createHash('sha256').update(credential.token).digest('hex').slice(0, 16);
}
