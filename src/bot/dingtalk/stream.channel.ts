import { TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import type { Logger } from '../../log.js';
import type { ChatTarget, Delivery, IncomingMessage, OutgoingMessage, SendResult } from '../../messages.js';
import { dingtalk } from '../../text/dingtalk.js';
import { isSameChat, type Channel, type MessageHandler, type PressHandler } from '../channel.js';
import { cardParamMap, createAndDeliverBody, decodeDingTalkCardCallback, outTrackIdOf } from './card.js';
import type { ChannelDeps } from '../types.js';
import { AccessTokenCache } from './access-token.js';
import { decodeDingTalk, parseRobotMessage, sessionOf, type DingTalkSession } from './decode.js';
import type { HttpOptions } from './http.js';
import { chunkMessage, dingTalkLimits, renderChunk, type MarkdownPart } from './markdown.js';
import { DingTalkOpenApi } from './openapi.js';
import { RecentMap } from './recent-map.js';
import { RedeliveryGuard } from './redelivery-guard.js';
import { isSessionFresh, postToSession } from './session-webhook.js';
import { DingTalkStreamClient, StreamOpenRefused } from './stream-client.js';
import { StreamConnection, type ReconnectPolicy } from './stream-connection.js';

export interface StreamChannelOptions {
  clientId: string;
  clientSecret: string;
  /** DINGTALK_ROBOT_CODE, or the Client ID (the same value for an app's own robot). */
  robotCode: string;
  apiBase: string;
  http: HttpOptions;
  reconnect: ReconnectPolicy;
  heartbeatMs: number;
  handshakeTimeoutMs: number;
  /** How long stop() waits for messages still being handled. */
  drainMs: number;
  /** DINGTALK_CARD_TEMPLATE_ID: with it, messages with buttons go out as 互动卡片; without it, as text. */
  cardTemplateId?: string;
}

/** How many chats' sessionWebhooks and private-chat ids we remember. */
const rememberedChats = 5_000;

/**
 * The DingTalk enterprise robot in Stream mode (`'dingtalk'`): receives through the official
 * `dingtalk-stream` client, answers through the message's sessionWebhook, and sends proactively
 * through the OpenAPI.
 *
 * Sending picks, per part of a message:
 * 1. the chat's most recent sessionWebhook while it is valid (it can @ people: `at.atUserIds`);
 * 2. otherwise, or when that POST fails, the OpenAPI (group or 1:1), which cannot @ anyone.
 * @example const channel = new DingTalkStreamChannel(deps, options); await channel.start(handler);
 */
export class DingTalkStreamChannel implements Channel {
  readonly name = 'dingtalk';
  readonly caps: { canReceive: boolean; markdown: boolean; maxLength: number; cards: boolean };

  private readonly log: Logger;
  private readonly openApi: DingTalkOpenApi;
  private readonly guard: RedeliveryGuard;
  /** Latest sessionWebhook per chat, keyed by {@link chatKey}. */
  private readonly sessions = new RecentMap<string, DingTalkSession>(rememberedChats);
  /** chatIds of single chats (their chatId is the person's staffId). */
  private readonly privateChats = new RecentMap<string, true>(rememberedChats);
  private readonly handling = new Set<Promise<void>>();
  private connection: StreamConnection | undefined;

  constructor(
    private readonly deps: ChannelDeps,
    private readonly options: StreamChannelOptions,
  ) {
    this.log = deps.log.child({ channel: this.name });
    this.caps = { canReceive: true, markdown: true, maxLength: dingTalkLimits.maxTextChars, cards: Boolean(options.cardTemplateId) };
    const tokens = new AccessTokenCache({
      apiBase: options.apiBase,
      appKey: options.clientId,
      appSecret: options.clientSecret,
      http: options.http,
      clock: deps.clock,
      log: this.log,
    });
    this.openApi = new DingTalkOpenApi({
      apiBase: options.apiBase,
      robotCode: options.robotCode,
      tokens,
      http: options.http,
      log: this.log,
    });
    this.guard = new RedeliveryGuard(deps.clock);
  }

  async start(onMessage: MessageHandler, onPress?: PressHandler): Promise<void> {
    const { options, log } = this;
    const client = new DingTalkStreamClient({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      apiBase: options.apiBase,
      ua: 'shenghuohui-bot',
      http: options.http,
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      log,
    });
    client.registerCallbackListener(TOPIC_ROBOT, (frame) => this.track(this.onRobotFrame(client, frame, onMessage)));
    if (this.caps.cards && onPress) client.registerCallbackListener(TOPIC_CARD, (frame) => this.track(this.onCardFrame(client, frame, onPress)));
    this.connection = new StreamConnection(client, {
      policy: options.reconnect,
      heartbeatMs: options.heartbeatMs,
      log,
    });
    try {
      await this.connection.start();
    } catch (err) {
      if (err instanceof StreamOpenRefused) {
        log.error({ status: err.status, code: err.code }, 'dingtalk stream: credentials refused at start-up');
        throw new Error(dingtalk['dingtalk.badCredentials']({ status: err.status, code: err.code }), { cause: err });
      }
      throw err;
    }
  }

  async send(target: ChatTarget, message: OutgoingMessage): Promise<SendResult> {
    const card = message.card;
    if (card?.id !== undefined && this.options.cardTemplateId) {
      const body = createAndDeliverBody({
        card: { ...card, id: card.id }, templateId: this.options.cardTemplateId, robotCode: this.options.robotCode, target,
        privateChat: target.kind === 'chat' && this.privateChats.has(target.chatId), mentions: message.mentions,
      });
      return this.openApi.createAndDeliverCard(body, { card: String(card.id) });
    }
    return this.sendParts(target, message, this.sessions.get(this.chatKey(target)));
  }

  /** A card decided without a click (a typed command, an answered question): DingTalk updates it at any time. */
  async updateCard(cardId: number, _target: ChatTarget, message: OutgoingMessage): Promise<SendResult> {
    if (!this.options.cardTemplateId || !message.card) return { ok: true };
    return this.openApi.updateCard({
      outTrackId: outTrackIdOf(cardId), cardData: { cardParamMap: cardParamMap({ ...message.card, id: cardId }) }, cardUpdateOptions: { updateCardDataByKey: true },
    }, { card: String(cardId) });
  }

  /**
   * A button pressed on one of our cards: the core runs its command as the clicker; the ack's
   * response carries the card as it should now look (DingTalk updates it with the answer), then
   * the replies go out as the robot's messages do.
   */
  private async onCardFrame(client: DingTalkStreamClient, frame: DWClientDownStream, onPress: PressHandler): Promise<void> {
    const messageId = frame.headers?.messageId;
    const press = decodeDingTalkCardCallback(frame.data, messageId, this.name);
    const ack = (response: object) => {
      try {
        client.socketCallBackResponse(messageId, response);
      } catch (err) {
        this.log.warn({ messageId, reason: err instanceof Error ? err.message : String(err) }, 'dingtalk stream: card ack not sent');
      }
    };
    if (!press) {
      this.log.warn({ messageId }, 'dingtalk stream: card callback not for one of our cards');
      ack({});
      return;
    }
    if (!this.guard.firstTime(`card:${messageId}`)) {
      this.log.info({ messageId }, 'dingtalk stream: redelivered card click ignored');
      ack({});
      return;
    }
    let outcome;
    try {
      outcome = await onPress(press);
    } catch (err) {
      this.log.error({ err, messageId }, 'dingtalk stream: card press handler failed');
      ack({});
      return;
    }
    const updated = outcome.card?.card;
    ack(updated ? { cardUpdateOptions: { updateCardDataByKey: true }, cardData: { cardParamMap: cardParamMap({ ...updated, id: press.cardId }) } } : {});
    for (const delivery of outcome.deliveries) {
      if (delivery.target.channel !== this.name) continue;
      const result = await this.send(delivery.target, delivery.message);
      if (!result.ok) this.log.warn({ target: describe(delivery.target), error: result.error }, 'dingtalk stream: reply to a card press not delivered');
    }
  }

  /** Closes the stream, then waits (bounded) for messages still being handled to send their replies. */
  async stop(): Promise<void> {
    await this.connection?.stop();
    if (this.handling.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.drainMs);
    });
    const outcome = await Promise.race([Promise.allSettled([...this.handling]), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.log.warn({ pending: this.handling.size }, 'dingtalk stream: stopped with messages still being handled');
  }

  private track(work: Promise<void>): void {
    const guarded = work.catch((err: unknown) => {
      this.log.error({ err }, 'dingtalk stream: robot message not handled');
    });
    this.handling.add(guarded);
    void guarded.finally(() => this.handling.delete(guarded));
  }

  private async onRobotFrame(client: DingTalkStreamClient, frame: DWClientDownStream, onMessage: MessageHandler): Promise<void> {
    const { log } = this;
    const messageId = frame.headers?.messageId;
    // Ack first: DingTalk re-pushes a CALLBACK that is not acked within ~60 s, and the handler
    // (database, replies) may take longer than that.
    try {
      client.socketCallBackResponse(messageId, {});
    } catch (err) {
      log.warn({ messageId, reason: err instanceof Error ? err.message : String(err) }, 'dingtalk stream: ack not sent');
    }
    const raw = parseRobotMessage(frame.data);
    if (!raw) {
      log.warn({ messageId }, 'dingtalk stream: robot callback without a readable message');
      return;
    }
    const msg = decodeDingTalk(raw);
    if (!msg) {
      log.debug({ messageId, msgtype: raw.msgtype }, 'dingtalk stream: non-text message ignored');
      return;
    }
    if (msg.msgId && !this.guard.firstTime(msg.msgId)) {
      log.info({ msgId: msg.msgId, messageId }, 'dingtalk stream: redelivered message ignored');
      return;
    }
    const session = sessionOf(raw);
    if (msg.chatType === 'private') this.privateChats.set(msg.chatId, true);
    if (session) this.sessions.set(this.chatKeyOf(msg), session);

    let deliveries: Delivery[];
    try {
      deliveries = await onMessage(msg);
    } catch (err) {
      log.error({ err, msgId: msg.msgId, chatId: msg.chatId }, 'dingtalk stream: message handler failed');
      return;
    }
    for (const delivery of deliveries) await this.deliver(delivery, msg, session);
  }

  private async deliver(delivery: Delivery, msg: IncomingMessage, session: DingTalkSession | undefined): Promise<void> {
    const { target, message } = delivery;
    if (target.channel !== this.name) {
      this.log.warn({ to: target.channel, messageKey: message.key }, 'dingtalk stream: delivery for another channel dropped');
      return;
    }
    // A reply to the same chat uses this message's own sessionWebhook; others use the chat's latest.
    const result = isSameChat(target, msg) && message.card?.id === undefined
      ? await this.sendParts(target, message, session)
      : await this.send(target, message);
    if (!result.ok) {
      this.log.warn({ target: describe(target), messageKey: message.key, error: result.error }, 'dingtalk stream: reply not delivered');
    }
  }

  private async sendParts(target: ChatTarget, message: OutgoingMessage, session: DingTalkSession | undefined): Promise<SendResult> {
    const { clock, config } = this.deps;
    let live = session;
    for (const chunk of chunkMessage(message, config.BOT_NAME)) {
      if (isSessionFresh(live, clock)) {
        const viaSession = await postToSession(live, renderChunk(chunk, message.mentions, 'at'), this.options.http);
        if (viaSession.ok) continue;
        this.log.info({ target: describe(target), error: viaSession.error }, 'dingtalk: session webhook failed; using the openapi');
        if (this.sessions.get(this.chatKey(target)) === live) this.sessions.delete(this.chatKey(target));
        live = undefined;
      }
      const viaApi = await this.viaOpenApi(target, renderChunk(chunk, message.mentions, 'name'));
      if (!viaApi.ok) return viaApi;
    }
    return { ok: true };
  }

  private viaOpenApi(target: ChatTarget, part: MarkdownPart): Promise<SendResult> {
    if (target.kind === 'person') return this.openApi.sendToUser(target.userId, part);
    if (this.privateChats.has(target.chatId)) return this.openApi.sendToUser(target.chatId, part);
    return this.openApi.sendToGroup(target.chatId, part);
  }

  /** A single chat's id is the person's staffId, so a person target and their single chat share a key. */
  private chatKey(target: ChatTarget): string {
    if (target.kind === 'person') return `private:${target.userId}`;
    return this.privateChats.has(target.chatId) ? `private:${target.chatId}` : `group:${target.chatId}`;
  }

  private chatKeyOf(msg: IncomingMessage): string {
    return `${msg.chatType}:${msg.chatId}`;
  }
}

function describe(target: ChatTarget): string {
  return target.kind === 'chat' ? `chat ${target.chatId}` : `person ${target.userId}`;
}
