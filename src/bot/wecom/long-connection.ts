import { WSAuthFailureError, WSClient, WSReconnectExhaustedError, generateReqId, type SendMsgBody, type WsFrame } from '@wecom/aibot-node-sdk';
import { redact, type Logger } from '../../log.js';
import type { ChatTarget, Delivery, IncomingMessage, OutgoingMessage, SendResult } from '../../messages.js';
import { isSameChat, type Channel, type MessageHandler, type PressHandler } from '../channel.js';
import { decodeWecomCardEvent, wecomTemplateCard } from './card.js';
import { decodeWecomMessage } from './decode.js';
import { PartTracker } from './part-tracker.js';
import { ReadyGate } from './ready-gate.js';
import { RecentIds } from './recent-ids.js';
import { renderWecomMarkdown, utf8Bytes, WECOM_MARKDOWN_MAX_BYTES, WECOM_STREAM_MAX_BYTES } from './render.js';
import { sdkLogger } from './sdk-logger.js';

export interface WecomLongConnectionOptions {
  botId: string;
  secret: string;
  /** Only for tests and proxies; the SDK defaults to wss://openws.work.weixin.qq.com. */
  wsUrl?: string;
  /** Robot display name, to strip its @mention exactly. */
  botName?: string;
  /** SDK heartbeat period; default 30000 ms. */
  heartbeatIntervalMs?: number;
  /** SDK reconnect backoff base; default 1000 ms (doubling, capped at 30 s by the SDK). */
  reconnectIntervalMs?: number;
  /** Give up after this many consecutive auth failures (wrong Bot ID/Secret); default 5. */
  maxAuthFailureAttempts?: number;
  /** Reconnect attempts after a dropped connection; default -1 = forever (a bot must come back). */
  maxReconnectAttempts?: number;
  /** How long send() waits for the connection to be (re)authenticated; default 15000 ms. */
  readyTimeoutMs?: number;
  /** How long start() waits for the first authentication before returning anyway; default 15000 ms. */
  startTimeoutMs?: number;
  /** How long stop() waits for messages being handled; default 5000 ms. */
  stopGraceMs?: number;
}

/**
 * WeCom 智能机器人 over the official long connection (`@wecom/aibot-node-sdk`).
 * Receives group (@robot) and 1:1 text, replies passively with one finished `stream` reply to the
 * callback's req_id, and falls back to a proactive `aibot_send_msg` markdown message when the
 * passive reply fails (846605 invalid req_id, 846608 stream expired, ack timeout, dropped
 * connection, or any other error: an undelivered reply is worse than a second attempt).
 * Protocol: https://developer.work.weixin.qq.com/document/path/101463
 *
 * @example
 * const wecom = new WecomLongConnectionChannel({ log }, { botId, secret });
 * await wecom.start(async (msg) => [{ target: { kind: 'chat', channel: 'wecom', chatId: msg.chatId }, message }]);
 */
export class WecomLongConnectionChannel implements Channel {
  readonly name = 'wecom';
  readonly caps = { canReceive: true, markdown: true, maxLength: WECOM_MARKDOWN_MAX_BYTES, cards: true };

  private client: WSClient | undefined;
  private handler: MessageHandler | undefined;
  private pressHandler: PressHandler | undefined;
  private readonly gate = new ReadyGate();
  private readonly seen = new RecentIds(2000);
  private readonly parts = new PartTracker();
  private readonly inflight = new Set<Promise<void>>();
  private stopping = false;
  private replaced = false;
  private authFailing = false;
  private firstOutcome: (() => void) | undefined;

  constructor(
    private readonly deps: { log: Logger },
    private readonly options: WecomLongConnectionOptions,
  ) {}

  private get log(): Logger {
    return this.deps.log;
  }

  async start(onMessage: MessageHandler, onPress?: PressHandler): Promise<void> {
    if (this.client) {
      this.log.warn('WeCom long connection already started');
      return;
    }
    this.handler = onMessage;
    this.pressHandler = onPress;
    const client = new WSClient({
      botId: this.options.botId,
      secret: this.options.secret,
      ...(this.options.wsUrl ? { wsUrl: this.options.wsUrl } : {}),
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 30_000,
      reconnectInterval: this.options.reconnectIntervalMs ?? 1_000,
      maxReconnectAttempts: this.options.maxReconnectAttempts ?? -1,
      maxAuthFailureAttempts: this.options.maxAuthFailureAttempts ?? 5,
      logger: sdkLogger(this.log),
    });
    this.client = client;
    client.on('authenticated', () => this.onAuthenticated());
    client.on('disconnected', (reason) => this.onDisconnected(reason));
    client.on('reconnecting', (attempt) => this.log.info({ attempt }, 'WeCom long connection reconnecting'));
    client.on('error', (err) => this.onSdkError(err));
    client.on('message', (frame) => this.onFrame(frame));
    client.on('event.disconnected_event', () => this.onReplaced());
    client.on('event.template_card_event', (frame) => this.onCardEvent(frame as WsFrame));

    const outcome = new Promise<void>((resolve) => {
      this.firstOutcome = resolve;
    });
    const timeoutMs = this.options.startTimeoutMs ?? 15_000;
    const timer = setTimeout(() => {
      this.log.warn({ timeoutMs }, 'WeCom long connection not authenticated yet; still retrying in the background');
      this.settleStart();
    }, timeoutMs);
    this.log.info('WeCom long connection connecting');
    client.connect();
    await outcome;
    clearTimeout(timer);
  }

  async send(target: ChatTarget, message: OutgoingMessage): Promise<SendResult> {
    const chatId = target.kind === 'chat' ? target.chatId : target.userId;
    const card = message.card?.id !== undefined ? { ...message.card, id: message.card.id } : undefined;
    // A template card cannot @ anyone: where the message @mentions people in a group, its text goes
    // first (they are notified) and the card with the buttons after it; otherwise the card alone.
    const withText = !card || (target.kind === 'chat' && message.mentions.some((m) => m.userId));
    const chunks = withText ? renderWecomMarkdown(message, { maxBytes: WECOM_MARKDOWN_MAX_BYTES }) : [];
    if (!chunks.length && !card) return { ok: false, permanent: true, error: 'empty message' };
    const trackId = message.key === undefined ? undefined : `${chatId}\u0000${message.key}`;
    const parts = card ? [...chunks, card] : chunks;
    for (const [index, part] of parts.entries()) {
      if (this.parts.isSent(trackId, index)) continue;
      const result = typeof part === 'string'
        ? await this.sendMarkdown(chatId, part)
        : await this.sendBody(chatId, { msgtype: 'template_card', template_card: wecomTemplateCard(part) });
      if (!result.ok) {
        this.log.warn({ chatId, messageKey: message.key, part: index + 1, parts: parts.length, card: card?.id, error: result.error },
          'WeCom send failed');
        return result;
      }
      this.parts.markSent(trackId, index);
    }
    this.parts.forget(trackId);
    return { ok: true };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.inflight.size) {
      const graceMs = this.options.stopGraceMs ?? 5_000;
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.allSettled([...this.inflight]), grace]);
      clearTimeout(timer);
    }
    this.gate.fail();
    this.settleStart();
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.disconnect();
      client.removeAllListeners();
    }
  }

  // ---- receiving ----

  private onFrame(frame: WsFrame): void {
    const msg = decodeWecomMessage(frame.body, { botName: this.options.botName, channel: this.name });
    if (!msg) {
      this.log.debug({ msgtype: frame.body?.msgtype }, 'WeCom message ignored (not text)');
      return;
    }
    if (this.stopping) {
      this.log.info({ msgId: msg.msgId }, 'WeCom message ignored while stopping');
      return;
    }
    if (msg.msgId && !this.seen.add(msg.msgId)) {
      this.log.info({ msgId: msg.msgId }, 'WeCom duplicate callback ignored');
      return;
    }
    const task = this.handle(frame, msg).finally(() => this.inflight.delete(task));
    this.inflight.add(task);
  }

  private async handle(frame: WsFrame, msg: IncomingMessage): Promise<void> {
    const handler = this.handler;
    if (!handler) return;
    let deliveries: Delivery[];
    try {
      deliveries = await handler(msg);
    } catch (err) {
      // The core's dispatcher is the error boundary; reaching here means it threw anyway.
      this.log.error({ err, msgId: msg.msgId, chatId: msg.chatId }, 'message handler failed');
      return;
    }
    // Cards cannot ride in the passive stream reply: they go out as their own messages.
    const replies = deliveries.filter((d) => isSameChat(d.target, msg) && d.message.card?.id === undefined).map((d) => d.message);
    if (replies.length) await this.replyPassively(frame, msg, replies);
    await this.sendOthers(deliveries.filter((d) => !isSameChat(d.target, msg) || d.message.card?.id !== undefined));
  }

  private async sendOthers(deliveries: Delivery[]): Promise<void> {
    for (const delivery of deliveries) {
      if (delivery.target.channel !== this.name) {
        this.log.warn({ channel: delivery.target.channel, messageKey: delivery.message.key },
          'delivery for another channel cannot be sent by the WeCom adapter; dropped');
        continue;
      }
      await this.send(delivery.target, delivery.message);
    }
  }

  /**
   * A button pressed on one of our cards: the core runs its command as the clicker; the card is
   * updated in answer to this click's req_id (WeCom allows it within 5 s of the click, and only
   * then), and the replies go out as new messages (an event frame takes no stream reply).
   */
  private onCardEvent(frame: WsFrame): void {
    const press = decodeWecomCardEvent(frame.body, this.name);
    if (!press) {
      this.log.debug('WeCom card event ignored (not one of our cards)');
      return;
    }
    if (this.stopping || !this.pressHandler) return;
    if (!this.seen.add(`event:${press.eventId}`)) {
      this.log.info({ msgId: press.eventId }, 'WeCom duplicate card event ignored');
      return;
    }
    const onPress = this.pressHandler;
    const task = (async () => {
      let outcome;
      try {
        outcome = await onPress(press);
      } catch (err) {
        this.log.error({ err, msgId: press.eventId }, 'card press handler failed');
        return;
      }
      const updated = outcome.card?.card;
      if (updated && this.client) {
        try {
          await this.client.updateTemplateCard(frame, wecomTemplateCard({ ...updated, id: press.cardId }));
        } catch (reason) {
          this.log.warn({ card: press.cardId, reason: describeRejection(reason) }, 'WeCom card not updated');
        }
      }
      await this.sendOthers(outcome.deliveries);
    })().finally(() => this.inflight.delete(task));
    this.inflight.add(task);
  }

  /**
   * One finished stream reply carries as many parts as fit; the rest (and everything, when the
   * passive reply fails) goes out with aibot_send_msg to the same chat.
   */
  private async replyPassively(frame: WsFrame, msg: IncomingMessage, messages: OutgoingMessage[]): Promise<void> {
    const parts = messages.flatMap((m) => renderWecomMarkdown(m, { maxBytes: WECOM_MARKDOWN_MAX_BYTES }));
    if (!parts.length) return;
    let streamContent = parts[0] ?? '';
    let used = 1;
    while (used < parts.length) {
      const next = `${streamContent}\n\n${parts[used] ?? ''}`;
      if (utf8Bytes(next) > WECOM_STREAM_MAX_BYTES) break;
      streamContent = next;
      used += 1;
    }
    let rest = parts.slice(used);
    const client = this.client;
    try {
      if (!client) throw new Error('client stopped');
      await client.replyStream(frame, generateReqId('stream'), streamContent, true);
    } catch (reason) {
      this.log.warn({ msgId: msg.msgId, chatId: msg.chatId, reason: describeRejection(reason) },
        'WeCom passive reply failed; sending the reply as a new message');
      rest = parts;
    }
    for (const [index, content] of rest.entries()) {
      const result = await this.sendMarkdown(msg.chatId, content);
      if (!result.ok) {
        this.log.error({ msgId: msg.msgId, chatId: msg.chatId, part: index + 1, error: result.error },
          'WeCom reply could not be delivered');
        return;
      }
    }
  }

  // ---- sending ----

  private sendMarkdown(chatId: string, content: string): Promise<SendResult> {
    return this.sendBody(chatId, { msgtype: 'markdown', markdown: { content } });
  }

  private async sendBody(chatId: string, body: SendMsgBody): Promise<SendResult> {
    if (this.replaced) return { ok: false, error: 'another instance took over this WeCom robot' };
    const ready = await this.gate.wait(this.options.readyTimeoutMs ?? 15_000);
    const client = this.client;
    if (!ready || !client) return { ok: false, error: 'WeCom long connection is not connected' };
    try {
      await client.sendMessage(chatId, body);
      return { ok: true };
    } catch (reason) {
      return { ok: false, error: describeRejection(reason) };
    }
  }

  // ---- connection events ----

  private onAuthenticated(): void {
    this.log.info('WeCom long connection authenticated');
    this.authFailing = false;
    this.gate.open();
    this.settleStart();
  }

  private onDisconnected(reason: string): void {
    this.gate.close();
    if (this.stopping) return;
    if (this.replaced || this.authFailing) return; // already explained by onReplaced / onSdkError
    this.log.warn({ reason: redact(reason) }, 'WeCom long connection lost; the SDK reconnects');
  }

  /** `disconnected_event`: the server closed us because a newer connection with this Bot ID exists. */
  private onReplaced(): void {
    this.replaced = true;
    this.gate.fail();
    this.settleStart();
    this.log.error(
      'WeCom closed this connection because another instance connected with the same WECOM_BOT_ID; ' +
        'this instance no longer receives or sends WeCom messages (the SDK does not reconnect). ' +
        'Run only one instance per robot, or restart this one to take the connection back.',
    );
  }

  private onSdkError(err: Error): void {
    if (err instanceof WSAuthFailureError) {
      this.gate.fail();
      this.settleStart();
      this.log.error({ code: err.code },
        'WeCom authentication kept failing; gave up. Check WECOM_BOT_ID and WECOM_BOT_SECRET, then restart');
      return;
    }
    if (err instanceof WSReconnectExhaustedError) {
      this.gate.fail();
      this.settleStart();
      this.log.error({ code: err.code }, 'WeCom long connection gave up reconnecting; restart the bot');
      return;
    }
    if (err.message.startsWith('Authentication failed')) {
      this.authFailing = true;
      this.settleStart();
      this.log.error({ reason: redact(err.message) },
        'WeCom rejected the robot credentials; check WECOM_BOT_ID and WECOM_BOT_SECRET ' +
          '(smart robot → API mode → long connection). Retrying');
      return;
    }
    this.log.warn({ reason: redact(err.message) }, 'WeCom long connection error');
  }

  private settleStart(): void {
    const resolve = this.firstOutcome;
    this.firstOutcome = undefined;
    resolve?.();
  }
}

/**
 * The SDK rejects a failed ack with the raw frame `{headers, errcode, errmsg}`, not an Error
 * (`handleReplyAck` in dist/index.esm.js); timeouts and closed connections are Errors.
 */
export function describeRejection(reason: unknown): string {
  if (reason instanceof Error) return redact(reason.message);
  if (typeof reason === 'object' && reason !== null && 'errcode' in reason) {
    const { errcode, errmsg } = reason as { errcode?: unknown; errmsg?: unknown };
    return redact(`errcode ${String(errcode)}: ${String(errmsg ?? '')}`);
  }
  return redact(String(reason));
}
