import axios, { type AxiosInstance } from 'axios';
import type { Clock } from '../../clock.js';
import { redact, type Logger } from '../../log.js';
import type { ChatTarget, OutgoingMessage, SendResult } from '../../messages.js';
import type { Channel, ChannelStatus, MessageHandler } from '../channel.js';
import type { WebhookCredential, WebhookCredentials } from '../types.js';
import { PartTracker } from './part-tracker.js';
import { renderWecomMarkdown, WECOM_MARKDOWN_MAX_BYTES } from './render.js';

/** 20 messages per minute per group robot (the group robot configuration guide, rate limit section). */
export const WEBHOOK_RATE_LIMIT = { messages: 20, windowMs: 60_000 };

/** errcode 45009 "api freq out of limit": wait for the minute window to pass. */
const RATE_LIMITED = 45009;
/** errcode 93000 "invalid webhook url": the key was deleted or mistyped. */
const INVALID_KEY = 93000;
/** Errors that the same request will hit again: 40008 invalid msgtype, 40058 too long, 44004 empty. */
const PERMANENT = new Set([INVALID_KEY, 40008, 40058, 44004]);

export interface WecomWebhookOptions {
  /** WECOM_API_BASE, e.g. https://qyapi.weixin.qq.com (tests: the fake's http://127.0.0.1:port). */
  apiBase: string;
  /** Per-request timeout; default 10000 ms. */
  timeoutMs?: number;
  /** HTTP client; default a fresh axios instance. */
  http?: AxiosInstance;
}

/**
 * WeCom 群机器人 (group robot webhook): push only. Posts markdown to
 * `${apiBase}/cgi-bin/webhook/send?key=KEY` with the key of the target chat's unit.
 *
 * Mentions are `<@userid>` inside markdown rather than a text message with `mentioned_list`:
 * markdown keeps the bold title and line structure of our messages, allows 4096 bytes instead of
 * text's 2048, and puts the @ where the sentence names the person; `mentioned_list` is ignored by
 * markdown messages. The cost: people without a known userid (only a mobile) are not notified.
 *
 * @example
 * const hook = new WecomWebhookChannel({ log, clock, webhooks }, { apiBase: config.WECOM_API_BASE });
 * await hook.send({ kind: 'chat', channel: 'wecom-webhook', chatId: 'unit:3' }, { text: '提醒\n…', mentions: [] });
 */
export class WecomWebhookChannel implements Channel {
  readonly name = 'wecom-webhook';
  readonly caps = { canReceive: false, markdown: true, maxLength: WECOM_MARKDOWN_MAX_BYTES };

  private readonly http: AxiosInstance;
  private readonly limiter = new SlidingWindowLimiter(WEBHOOK_RATE_LIMIT.messages, WEBHOOK_RATE_LIMIT.windowMs);
  private readonly parts = new PartTracker();

  constructor(
    private readonly deps: { log: Logger; clock: Clock; webhooks: WebhookCredentials },
    private readonly options: WecomWebhookOptions,
  ) {
    this.http = options.http ?? axios.create();
  }

  async start(_onMessage: MessageHandler): Promise<void> {
    this.deps.log.debug('WeCom group robot webhook ready (push only)');
  }

  async stop(): Promise<void> {}

  /** A webhook holds no connection: it is up whenever the process is. */
  status(): ChannelStatus {
    return { up: true, state: 'push-only' };
  }

  async send(target: ChatTarget, message: OutgoingMessage): Promise<SendResult> {
    if (target.kind !== 'chat') {
      return { ok: false, permanent: true, error: 'a WeCom group robot can only post to its own group' };
    }
    let credential: WebhookCredential | undefined;
    try {
      credential = await this.deps.webhooks.forChat(this.name, target.chatId);
    } catch (err) {
      this.deps.log.error({ err, chatId: target.chatId }, 'could not look up the WeCom webhook key');
      return { ok: false, error: 'webhook key lookup failed' };
    }
    if (!credential) {
      return { ok: false, permanent: true, error: 'no WeCom group robot key is configured for this chat' };
    }

    const chunks = renderWecomMarkdown(message, { maxBytes: WECOM_MARKDOWN_MAX_BYTES });
    if (!chunks.length) return { ok: false, permanent: true, error: 'empty message' };
    const trackId = message.key === undefined ? undefined : `${target.chatId}\u0000${message.key}`;
    const pending = [...chunks.keys()].filter((i) => !this.parts.isSent(trackId, i));
    const waitMs = this.limiter.reserve(credential.token, pending.length, this.deps.clock.now().getTime());
    if (waitMs > 0) {
      this.deps.log.info({ unitId: credential.unitId, chatId: target.chatId, retryAfterMs: waitMs },
        'WeCom group robot send deferred: 20 messages per minute');
      return { ok: false, retryAfterMs: waitMs, error: 'rate limit (20 messages per minute per robot)' };
    }

    for (const index of pending) {
      const result = await this.post(credential, target, chunks[index] ?? '');
      if (!result.ok) return result;
      this.parts.markSent(trackId, index);
    }
    this.parts.forget(trackId);
    return { ok: true };
  }

  private async post(credential: WebhookCredential, target: ChatTarget & { kind: 'chat' }, content: string): Promise<SendResult> {
    const where = { unitId: credential.unitId, chatId: target.chatId, chatTitle: target.title };
    let status: number;
    let data: unknown;
    try {
      const response = await this.http.post(
        `${this.options.apiBase.replace(/\/+$/, '')}/cgi-bin/webhook/send`,
        { msgtype: 'markdown', markdown: { content } },
        {
          params: { key: credential.token },
          timeout: this.options.timeoutMs ?? 10_000,
          validateStatus: () => true,
          headers: { 'Content-Type': 'application/json' },
        },
      );
      status = response.status;
      data = response.data;
    } catch (err) {
      // Never log the axios error itself: its config carries the URL with the key.
      const reason = redact(err instanceof Error ? err.message : String(err));
      this.deps.log.warn({ ...where, reason }, 'WeCom group robot unreachable; will retry');
      return { ok: false, error: `network error: ${reason}` };
    }
    if (status !== 200) {
      this.deps.log.warn({ ...where, status }, 'WeCom group robot HTTP error; will retry');
      return { ok: false, error: `HTTP ${status}` };
    }
    const { errcode, errmsg } = parseReply(data);
    if (errcode === 0) return { ok: true };
    const error = `errcode ${errcode}: ${redact(errmsg)}`;
    if (errcode === RATE_LIMITED) {
      this.deps.log.warn({ ...where, errcode }, 'WeCom group robot rate limit hit (20 per minute); retry in a minute');
      return { ok: false, retryAfterMs: WEBHOOK_RATE_LIMIT.windowMs, error };
    }
    if (errcode === INVALID_KEY) {
      this.deps.log.error({ ...where, errcode },
        `WeCom group robot key of unit ${credential.unitId} is invalid (errcode 93000): ` +
          'the robot was removed or the key mistyped; set the unit a new key with the CLI');
      return { ok: false, permanent: true, error };
    }
    this.deps.log.warn({ ...where, errcode, errmsg: redact(errmsg) }, 'WeCom group robot refused the message');
    return { ok: false, error, ...(PERMANENT.has(errcode) ? { permanent: true } : {}) };
  }
}

function parseReply(data: unknown): { errcode: number; errmsg: string } {
  if (typeof data === 'object' && data !== null) {
    const { errcode, errmsg } = data as { errcode?: unknown; errmsg?: unknown };
    if (typeof errcode === 'number') return { errcode, errmsg: typeof errmsg === 'string' ? errmsg : '' };
  }
  return { errcode: -1, errmsg: 'unexpected response body' };
}

/**
 * Per-key sliding window, so that a burst of reminders waits its turn instead of hitting 45009.
 * @example new SlidingWindowLimiter(20, 60_000).reserve('k', 1, now) // → 0 (go ahead)
 */
export class SlidingWindowLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly limit: number, private readonly windowMs: number) {}

  /** Reserves n slots at nowMs and returns 0, or returns how long to wait before n slots are free. */
  reserve(key: string, n: number, nowMs: number): number {
    const recent = (this.sent.get(key) ?? []).filter((t) => t > nowMs - this.windowMs);
    const needed = Math.min(n, this.limit);
    if (recent.length + needed > this.limit) {
      const freeAt = recent[recent.length + needed - this.limit - 1] ?? nowMs;
      this.sent.set(key, recent);
      return Math.max(1, freeAt + this.windowMs - nowMs);
    }
    for (let i = 0; i < n; i += 1) recent.push(nowMs);
    this.sent.set(key, recent);
    return 0;
  }
}
