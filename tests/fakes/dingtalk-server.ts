/**
 * A fake DingTalk on 127.0.0.1 (port 0): one HTTP server for the Stream gateway's open call, the
 * Stream WebSocket, the OpenAPI (token, group and 1:1 robot messages), sessionWebhooks and custom
 * robots. It answers as the real services do according to
 * shared/platform-protocols.md §3–§5, records what it is sent, and can be told to fail.
 */
import { createHmac } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export const ROBOT_TOPIC = '/v1.0/im/bot/messages/get';
/** dingtalk-stream's TOPIC_CARD (dist/constants). */
export const CARD_TOPIC = '/v1.0/card/instances/callback';

export interface FakeDingTalkOptions {
  /** The app's credentials the fake accepts (open call and access token). */
  clientId?: string;
  clientSecret?: string;
  /** robotCode the OpenAPI accepts; defaults to clientId. */
  robotCode?: string;
  /** The fake's notion of now (epoch ms): token expiry, session expiry, custom robot timestamps. */
  now?: () => number;
  /** Lifetime of issued access tokens. */
  tokenTtlSeconds?: number;
  /** Send SYSTEM CONNECTED and REGISTERED when a stream connects (default true). */
  greet?: boolean;
}

/** A one-shot answer that replaces the normal one for the next request on a path. */
export interface CannedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface StreamFrame {
  code?: number;
  headers: Record<string, string>;
  message?: string;
  data?: string;
}

export interface Recorded<T = Record<string, unknown>> {
  body: T;
  token?: string;
}

export class FakeDingTalk {
  readonly openCalls: Array<{ body: Record<string, unknown>; accept: string | undefined }> = [];
  /** Every WebSocket that passed the ticket check, in order. */
  readonly streams: WebSocket[] = [];
  /** Upgrade attempts refused (bad ticket, or refuseStream). */
  refusedUpgrades = 0;
  /** CALLBACK acks (`{code:200, headers:{messageId}, data:'{"response":…}'}`) in arrival order. */
  readonly acks: StreamFrame[] = [];
  /** SYSTEM ping echoes. */
  readonly pingEchoes: StreamFrame[] = [];
  readonly tokenRequests: Array<Record<string, unknown>> = [];
  /** Requests the OpenAPI refused with 401 (bad or expired token). */
  unauthorized = 0;
  readonly groupSends: Array<Recorded> = [];
  readonly otoSends: Array<Recorded> = [];
  readonly sessionPosts: Array<{ session: string; body: Record<string, unknown> }> = [];
  readonly customRobotPosts: Array<{ token: string; timestamp: string | null; body: Record<string, unknown> }> = [];
  /** Stream upgrades are answered 503 while this is set. */
  refuseStream = false;
  /** While set, WebSocket pings get no pong (a half-open connection). */
  silent = false;
  /** Cards created and delivered (`POST /v1.0/card/instances/createAndDeliver`), in order. */
  readonly cardSends: Array<Recorded> = [];
  /** Card updates (`PUT /v1.0/card/instances`), in order. */
  readonly cardUpdates: Array<Recorded> = [];
  /** Staff ids the 1:1 send reports in invalidStaffIdList. */
  readonly invalidStaffIds = new Set<string>();

  private readonly server: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  private readonly options: Required<Omit<FakeDingTalkOptions, 'robotCode'>> & { robotCode: string };
  private readonly canned = new Map<string, CannedAnswer[]>();
  private readonly tickets = new Set<string>();
  private readonly tokens = new Map<string, number>();
  private readonly sessions = new Map<string, { expiresAt: number; expired: boolean }>();
  private readonly customRobots = new Map<string, string | undefined>();
  private counter = 0;
  private port = 0;

  constructor(options: FakeDingTalkOptions = {}) {
    const clientId = options.clientId ?? 'dingapp0001';
    this.options = {
      clientId,
      clientSecret: options.clientSecret ?? 'app-secret-0001',
      robotCode: options.robotCode ?? clientId,
      now: options.now ?? (() => Date.now()),
      tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
      greet: options.greet ?? true,
    };
    this.server = http.createServer((req, res) => void this.onHttp(req, res));
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── test controls ────────────────────────────────────────────────────────────

  /** The next request on `path` gets this answer instead of the normal one. */
  failNext(path: string, answer: CannedAnswer): void {
    const queue = this.canned.get(path) ?? [];
    queue.push(answer);
    this.canned.set(path, queue);
  }

  /** A sessionWebhook URL on this fake, valid until `expiresAt` (epoch ms). */
  sessionWebhook(expiresAt: number): string {
    const session = `sess-${++this.counter}`;
    this.sessions.set(session, { expiresAt, expired: false });
    return `${this.url}/robot/sendBySession?session=${session}`;
  }

  /** Makes a session refuse posts although its expiry time has not come. */
  expireSession(url: string): void {
    const session = new URL(url).searchParams.get('session') ?? '';
    const s = this.sessions.get(session);
    if (s) s.expired = true;
  }

  /** Every issued access token stops working (as after a secret reset). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Registers a custom robot; with a secret, posts must be signed (加签). */
  addCustomRobot(token: string, secret?: string): void {
    this.customRobots.set(token, secret);
  }

  /** The stream that is open now (the latest one). */
  get openStream(): WebSocket | undefined {
    return [...this.streams].reverse().find((ws) => ws.readyState === WebSocket.OPEN);
  }

  /** Pushes a robot message as a CALLBACK frame; returns the frame's messageId. */
  pushRobotMessage(data: Record<string, unknown>, messageId = `cb-${++this.counter}`): string {
    this.sendFrame({
      specVersion: '1.0',
      type: 'CALLBACK',
      headers: {
        appId: 'fake-app',
        connectionId: `conn-${this.streams.length}`,
        contentType: 'application/json',
        messageId,
        time: String(this.options.now()),
        topic: ROBOT_TOPIC,
      },
      data: JSON.stringify(data),
    });
    return messageId;
  }

  /**
   * Pushes a click on a card's button as DingTalk's Stream mode does: a CALLBACK frame on
   * `/v1.0/card/instances/callback` whose `data` is the JSON of `{ type: 'actionCallback', outTrackId,
   * userId, userIdType: 1, corpId, spaceType, spaceId, extension, content, value }`, `content` and
   * `value` being the JSON of `{ cardPrivateData: { actionIds, params } }` (recorded payload in the
   * official Python SDK's card_callback_message.py; field list in the Go SDK's card/model.go).
   * The button's 回传请求 parameters are the template's (ours send `{ key }`). Returns the messageId.
   */
  pushCardCallback(p: { userId: string; outTrackId: string; params: Record<string, unknown>; spaceType?: 'IM_GROUP' | 'IM_ROBOT'; spaceId?: string }, messageId = `cb-${++this.counter}`): string {
    const action = JSON.stringify({ cardPrivateData: { actionIds: ['button_action'], params: p.params } });
    this.sendFrame({
      specVersion: '1.0',
      type: 'CALLBACK',
      headers: { appId: 'fake-app', connectionId: `conn-${this.streams.length}`, contentType: 'application/json', messageId, time: String(this.options.now()), topic: CARD_TOPIC },
      data: JSON.stringify({
        extension: '{}', corpId: 'ding-corp', spaceType: p.spaceType ?? 'IM_ROBOT', userIdType: 1, type: 'actionCallback',
        userId: p.userId, content: action, spaceId: p.spaceId ?? '', outTrackId: p.outTrackId, value: action,
      }),
    });
    return messageId;
  }

  /** Sends a SYSTEM frame (`ping`, `disconnect`, `KEEPALIVE` …) on the open stream. */
  sendSystem(topic: string, data: Record<string, unknown> = {}): string {
    const messageId = `sys-${++this.counter}`;
    this.sendFrame({
      specVersion: '1.0',
      type: 'SYSTEM',
      headers: { contentType: 'application/json', messageId, time: String(this.options.now()), topic },
      data: JSON.stringify(data),
    });
    return messageId;
  }

  /** Sends raw text on the open stream (a broken frame). */
  sendRaw(text: string): void {
    const ws = this.openStream;
    if (!ws) throw new Error('fake dingtalk: no open stream');
    ws.send(text);
  }

  /** Drops the open stream without a close handshake (network failure). */
  dropStream(): void {
    this.openStream?.terminate();
  }

  // ── HTTP ─────────────────────────────────────────────────────────────────────

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readJson(req);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const record = () => this.record(url, req, body);
    record();
    const canned = this.canned.get(url.pathname)?.shift();
    if (canned) return reply(canned.status, canned.body ?? {}, canned.headers);
    if (req.method === 'PUT' && url.pathname === '/v1.0/card/instances') return this.onCardUpdate(req, body, reply);
    if (req.method !== 'POST') return reply(405, { code: 'methodNotAllowed' });

    switch (url.pathname) {
      case '/v1.0/gateway/connections/open':
        return this.onOpen(body, reply);
      case '/v1.0/oauth2/accessToken':
        return this.onAccessToken(body, reply);
      case '/v1.0/robot/groupMessages/send':
      case '/v1.0/robot/oToMessages/batchSend':
        return this.onRobotSend(url.pathname, req, body, reply);
      case '/robot/sendBySession':
        return this.onSession(url, body, reply);
      case '/v1.0/card/instances/createAndDeliver':
        return this.onCardCreate(req, body, reply);
      case '/robot/send':
        return this.onCustomRobot(url, reply);
      default:
        return reply(404, { code: 'notFound' });
    }
  }

  private record(url: URL, req: IncomingMessage, body: Record<string, unknown>): void {
    const token = header(req, 'x-acs-dingtalk-access-token');
    switch (url.pathname) {
      case '/v1.0/gateway/connections/open':
        this.openCalls.push({ body, accept: header(req, 'accept') });
        break;
      case '/v1.0/oauth2/accessToken':
        this.tokenRequests.push(body);
        break;
      case '/v1.0/robot/groupMessages/send':
        this.groupSends.push({ body, ...(token ? { token } : {}) });
        break;
      case '/v1.0/robot/oToMessages/batchSend':
        this.otoSends.push({ body, ...(token ? { token } : {}) });
        break;
      case '/robot/sendBySession':
        this.sessionPosts.push({ session: url.searchParams.get('session') ?? '', body });
        break;
      case '/v1.0/card/instances/createAndDeliver':
        this.cardSends.push({ body, ...(token ? { token } : {}) });
        break;
      case '/v1.0/card/instances':
        if (req.method === 'PUT') this.cardUpdates.push({ body, ...(token ? { token } : {}) });
        break;
      case '/robot/send':
        this.customRobotPosts.push({
          token: url.searchParams.get('access_token') ?? '',
          timestamp: url.searchParams.get('timestamp'),
          body,
        });
        break;
    }
  }

  private onOpen(body: Record<string, unknown>, reply: Reply): void {
    if (body.clientId !== this.options.clientId || body.clientSecret !== this.options.clientSecret) {
      return reply(401, { code: 'invalidClientIdOrSecret', message: 'clientId or clientSecret is invalid' });
    }
    const ticket = `ticket-${++this.counter}`;
    this.tickets.add(ticket);
    reply(200, { endpoint: `ws://127.0.0.1:${this.port}/stream`, ticket });
  }

  private onAccessToken(body: Record<string, unknown>, reply: Reply): void {
    if (body.appKey !== this.options.clientId || body.appSecret !== this.options.clientSecret) {
      return reply(400, { code: 'invalidClientIdOrSecret', message: 'appKey or appSecret is invalid' });
    }
    const accessToken = `tok-${++this.counter}`;
    this.tokens.set(accessToken, this.options.now() + this.options.tokenTtlSeconds * 1000);
    reply(200, { accessToken, expireIn: this.options.tokenTtlSeconds });
  }

  private onRobotSend(path: string, req: IncomingMessage, body: Record<string, unknown>, reply: Reply): void {
    const token = header(req, 'x-acs-dingtalk-access-token') ?? '';
    const until = this.tokens.get(token);
    if (until === undefined || until <= this.options.now()) {
      this.unauthorized += 1;
      return reply(401, { code: 'InvalidAuthentication', message: 'access token is invalid or expired' });
    }
    if (body.robotCode !== this.options.robotCode) {
      return reply(400, { code: 'invalidParameter.robotCode.notExsit', message: 'robot does not exist' });
    }
    const msgParam = typeof body.msgParam === 'string' ? body.msgParam : '';
    if (Buffer.byteLength(msgParam, 'utf8') > 15000) {
      return reply(400, { code: 'invalidParameter.msgParam.tooLong', message: 'msgParam is too long' });
    }
    try {
      JSON.parse(msgParam);
    } catch {
      return reply(400, { code: 'invalidParameter.msgParam', message: 'msgParam is not JSON' });
    }
    if (path.endsWith('groupMessages/send')) {
      if (!body.openConversationId) return reply(400, { code: 'invalid.openConversationId', message: 'missing openConversationId' });
      return reply(200, { processQueryKey: `pqk-${++this.counter}` });
    }
    const userIds = Array.isArray(body.userIds) ? (body.userIds as string[]) : [];
    if (userIds.length === 0 || userIds.length > 20) return reply(400, { code: 'invalidParameter.userIds', message: '1 to 20 userIds' });
    reply(200, {
      processQueryKey: `pqk-${++this.counter}`,
      invalidStaffIdList: userIds.filter((u) => this.invalidStaffIds.has(u)),
      flowControlledStaffIdList: [],
    });
  }

  private tokenOk(req: IncomingMessage): boolean {
    const until = this.tokens.get(header(req, 'x-acs-dingtalk-access-token') ?? '');
    if (until !== undefined && until > this.options.now()) return true;
    this.unauthorized += 1;
    return false;
  }

  /** Card data must be a map of strings (cardParamMap), as the card API requires. */
  private static paramMapOk(body: Record<string, unknown>): boolean {
    const map = (body.cardData as { cardParamMap?: Record<string, unknown> } | undefined)?.cardParamMap;
    return typeof map === 'object' && map !== null && Object.values(map).every((v) => typeof v === 'string');
  }

  /** Known cards by outTrackId: where each was delivered. */
  private readonly cards = new Map<string, string>();

  private onCardCreate(req: IncomingMessage, body: Record<string, unknown>, reply: Reply): void {
    if (!this.tokenOk(req)) return reply(401, { code: 'InvalidAuthentication', message: 'access token is invalid or expired' });
    if (!body.cardTemplateId) return reply(400, { code: 'param.cardTemplateIdEmpty', message: 'param.cardTemplateIdEmpty' });
    if (!body.outTrackId) return reply(400, { code: 'param.outTrackIdEmpty', message: 'param.outTrackIdEmpty' });
    if (!FakeDingTalk.paramMapOk(body)) return reply(400, { code: 'param.cardPublicDataEmpty', message: 'cardParamMap values must be strings' });
    const space = String(body.openSpaceId ?? '');
    const group = space.startsWith('dtv1.card//IM_GROUP.');
    const robot = space.startsWith('dtv1.card//IM_ROBOT.');
    const model = group ? (body.imGroupOpenDeliverModel as { robotCode?: string } | undefined) : (body.imRobotOpenDeliverModel as { robotCode?: string; spaceType?: string } | undefined);
    if ((!group && !robot) || !model) return reply(400, { code: 'param.openSpaceModelInvalid', message: 'param.openSpaceModelInvalid' });
    if (body.callbackType !== 'STREAM') return reply(400, { code: 'param.callbackTypeInvalid', message: 'this fake delivers clicks over Stream only' });
    const deliverable = model.robotCode === this.options.robotCode;
    if (deliverable) this.cards.set(String(body.outTrackId), space);
    reply(200, {
      success: true,
      result: {
        outTrackId: body.outTrackId,
        deliverResults: [{ spaceType: group ? 'IM_GROUP' : 'IM_ROBOT', spaceId: space.split('.').slice(2).join('.'), success: deliverable, ...(deliverable ? { carrierId: `carrier-${++this.counter}` } : { errorMsg: 'robot not found' }) }],
      },
    });
  }

  private onCardUpdate(req: IncomingMessage, body: Record<string, unknown>, reply: Reply): void {
    if (!this.tokenOk(req)) return reply(401, { code: 'InvalidAuthentication', message: 'access token is invalid or expired' });
    if (!this.cards.has(String(body.outTrackId ?? ''))) return reply(400, { code: 'param.outTrackIdNotExist', message: 'card not found' });
    if (!FakeDingTalk.paramMapOk(body)) return reply(400, { code: 'param.cardPublicDataEmpty', message: 'cardParamMap values must be strings' });
    reply(200, { success: true, result: true });
  }

  private onSession(url: URL, body: Record<string, unknown>, reply: Reply): void {
    const s = this.sessions.get(url.searchParams.get('session') ?? '');
    if (!s || s.expired || s.expiresAt <= this.options.now()) {
      // The real errcode for an expired session is not documented; any non-zero errcode is a failure.
      return reply(200, { errcode: 300001, errmsg: 'session is expired or invalid' });
    }
    if (body.msgtype !== 'markdown') return reply(200, { errcode: 40035, errmsg: 'msgtype not supported by this fake' });
    reply(200, { errcode: 0, errmsg: 'ok' });
  }

  private onCustomRobot(url: URL, reply: Reply): void {
    const token = url.searchParams.get('access_token') ?? '';
    const answer = (errcode: number, errmsg: string) => reply(200, { errcode, errmsg });
    if (!this.customRobots.has(token)) return answer(300001, 'token is not exist');
    const secret = this.customRobots.get(token);
    if (secret !== undefined) {
      const timestamp = url.searchParams.get('timestamp') ?? '';
      const sign = url.searchParams.get('sign') ?? ''; // already URL-decoded by URLSearchParams
      if (Math.abs(this.options.now() - Number(timestamp)) > 3_600_000) return answer(310000, 'timestamp is not in one hour');
      const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
      if (sign !== expected) return answer(310000, 'sign not match');
    }
    answer(0, 'ok');
  }

  // ── Stream WebSocket ─────────────────────────────────────────────────────────

  private onUpgrade(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.url);
    const ticket = url.searchParams.get('ticket') ?? '';
    const refuse = (status: string) => {
      this.refusedUpgrades += 1;
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/stream') return refuse('404 Not Found');
    if (this.refuseStream) return refuse('503 Service Unavailable');
    if (!this.tickets.delete(ticket)) return refuse('401 Unauthorized'); // each ticket works once
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.streams.push(ws);
      ws.on('message', (raw) => this.onStreamMessage(String(raw)));
      ws.on('ping', (data) => {
        if (!this.silent) ws.pong(data);
      });
      if (this.options.greet) {
        this.sendSystemTo(ws, 'CONNECTED');
        this.sendSystemTo(ws, 'REGISTERED');
      }
    });
  }

  private onStreamMessage(text: string): void {
    const frame = JSON.parse(text) as StreamFrame;
    if (frame.headers?.topic === 'ping') this.pingEchoes.push(frame);
    else this.acks.push(frame);
  }

  private sendSystemTo(ws: WebSocket, topic: string): void {
    ws.send(
      JSON.stringify({
        specVersion: '1.0',
        type: 'SYSTEM',
        headers: { contentType: 'application/json', messageId: `sys-${++this.counter}`, time: String(this.options.now()), topic },
        data: '{}',
      }),
    );
  }

  private sendFrame(frame: Record<string, unknown>): void {
    const ws = this.openStream;
    if (!ws) throw new Error('fake dingtalk: no open stream to push to');
    ws.send(JSON.stringify(frame));
  }
}

type Reply = (status: number, payload: unknown, headers?: Record<string, string>) => void;

export async function startFakeDingTalk(options: FakeDingTalkOptions = {}): Promise<FakeDingTalk> {
  return new FakeDingTalk(options).listen();
}

/** Polls until `check` returns true; fails the test after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { unparsable: text };
  }
}
