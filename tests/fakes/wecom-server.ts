import { createServer, type IncomingMessage as HttpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/**
 * A fake WeCom: the 智能机器人 long-connection WebSocket (as `@wecom/aibot-node-sdk` speaks it,
 * see shared/platform-protocols.md §1.8) and the 群机器人 webhook HTTP endpoint, on one
 * 127.0.0.1 port. The real SDK connects to `wsUrl`; the webhook channel posts to `apiBase`.
 *
 * @example
 * const wecom = await FakeWecomServer.start({ botId: 'bot-1', secret: 's3cret' });
 * wecom.pushText({ userid: 'zhangsan', chatid: 'wrOg', content: '@生活会助手 /进度' });
 * const reply = await wecom.nextFrame('aibot_respond_msg');
 */
export class FakeWecomServer {
  /** Every frame a client sent, in order (auth, ping, respond, send …). */
  readonly frames: ReceivedFrame[] = [];
  /** Every webhook POST, in order. */
  readonly webhookRequests: WebhookRequest[] = [];
  /** Number of WebSocket connections opened so far. */
  connectionCount = 0;
  /** Number of successful authentications so far. */
  authCount = 0;
  /** Whether ping frames are acked (turn off to make the SDK declare the connection dead). */
  ackPings = true;

  private readonly sockets = new Set<WebSocket>();
  private authenticated: { socket: WebSocket; connection: number } | undefined;
  private readonly ackFaults: AckFault[] = [];
  private readonly webhookFaults: WebhookFault[] = [];
  private readonly watchers = new Set<() => void>();
  private readonly cursors = new Map<string, number>();
  private pushSeq = 0;
  /** Card clicks pushed, by req_id: an update must name the clicked card's task_id within 5 s. */
  private readonly cardEvents = new Map<string, { at: number; taskId: string }>();

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    private readonly options: Required<FakeWecomOptions>,
  ) {}

  static async start(options: FakeWecomOptions = {}): Promise<FakeWecomServer> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    const fake = new FakeWecomServer(http, wss, {
      botId: options.botId ?? 'bot-1',
      secret: options.secret ?? 's3cret',
      webhookKeys: options.webhookKeys ?? [],
    });
    http.on('request', (req, res) => fake.onHttp(req, res));
    wss.on('connection', (socket) => fake.onConnection(socket));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  // ---- pushing callbacks ----

  /** Pushes an `aibot_msg_callback` with a text body; returns its req_id. Needs an authenticated client. */
  pushText(p: PushText): string {
    const chattype = p.chattype ?? (p.chatid ? 'group' : 'single');
    return this.pushCallback({
      msgid: p.msgid ?? `msg-${this.pushSeq + 1}`,
      aibotid: this.options.botId,
      ...(chattype === 'group' ? { chatid: p.chatid ?? 'wrOgChat' } : {}),
      chattype,
      from: { userid: p.userid },
      create_time: 1_764_547_200,
      msgtype: 'text',
      text: { content: p.content },
    }, p.reqId);
  }

  /** Pushes any callback body (fixtures); returns the req_id used. */
  pushCallback(body: Record<string, unknown>, reqId?: string): string {
    // Never a req_id starting with `ping` or `aibot_subscribe`: the SDK routes those as acks.
    const id = reqId ?? `cb-${++this.pushSeq}`;
    this.sendToClient({ cmd: 'aibot_msg_callback', headers: { req_id: id }, body });
    return id;
  }

  /** Pushes an `aibot_event_callback` (e.g. 'disconnected_event', 'enter_chat'). */
  pushEvent(eventtype: string, extra: Record<string, unknown> = {}): string {
    const id = `ev-${++this.pushSeq}`;
    this.sendToClient({
      cmd: 'aibot_event_callback',
      headers: { req_id: id },
      body: {
        msgid: `event-${this.pushSeq}`,
        create_time: 1_764_547_200,
        aibotid: this.options.botId,
        from: { userid: 'system' },
        msgtype: 'event',
        event: { eventtype },
        ...extra,
      },
    });
    return id;
  }

  /**
   * Pushes a click on a template card's button as WeCom does: cmd `aibot_event_callback`, body
   * `{ msgid, create_time, aibotid, chatid?, chattype, from: { userid }, msgtype: 'event',
   * event: { eventtype: 'template_card_event', event_key, task_id } }` — the shape of the SDK's
   * `EventMessage`/`TemplateCardEventData` types (dist/types/event.d.ts), whose comment calls `msgid`
   * the key for de-duplicating events. The same `msgid` may be pushed again (a redelivery).
   * Returns the event's req_id, to which an `aibot_respond_update_msg` must answer within 5 s.
   */
  pushCardClick(p: { userid: string; taskId: string; eventKey: string; chatid?: string; msgid?: string }): string {
    const id = `ev-${++this.pushSeq}`;
    this.cardEvents.set(id, { at: Date.now(), taskId: p.taskId });
    const chattype = p.chatid ? 'group' : 'single';
    this.sendToClient({
      cmd: 'aibot_event_callback',
      headers: { req_id: id },
      body: {
        msgid: p.msgid ?? `card-event-${this.pushSeq}`,
        create_time: 1_764_547_200,
        aibotid: this.options.botId,
        ...(p.chatid ? { chatid: p.chatid } : {}),
        chattype,
        from: { userid: p.userid },
        msgtype: 'event',
        event: { eventtype: 'template_card_event', event_key: p.eventKey, task_id: p.taskId },
      },
    });
    return id;
  }

  /** Every template card sent with `aibot_send_msg`, with its chat, in order. */
  cardsSent(): Array<{ chatid: string; card: any }> {
    return this.frames.filter((f) => f.cmd === 'aibot_send_msg' && f.body?.msgtype === 'template_card').map((f) => ({ chatid: f.body.chatid, card: f.body.template_card }));
  }

  // ---- fault injection ----

  /** The next frame with this cmd is acked with a non-zero errcode (the SDK rejects with the raw frame). */
  failNextAck(cmd: string, errcode: number, errmsg = 'fake error'): void {
    this.ackFaults.push({ cmd, kind: 'error', errcode, errmsg });
  }

  /** The next frame with this cmd gets no ack (the SDK times out after its fixed 5 s). */
  withholdNextAck(cmd: string): void {
    this.ackFaults.push({ cmd, kind: 'withhold' });
  }

  /** Kills every open connection without a close frame (the SDK sees code 1006 and reconnects). */
  terminateConnections(): void {
    this.authenticated = undefined;
    for (const socket of this.sockets) socket.terminate();
  }

  /** The next webhook POST gets this answer instead of the normal one. */
  failNextWebhook(fault: WebhookFault): void {
    this.webhookFaults.push(fault);
  }

  // ---- waiting ----

  /** The next not-yet-returned frame with this cmd (in arrival order), waiting for it if needed. */
  async nextFrame(cmd: string, timeoutMs = 3000): Promise<ReceivedFrame> {
    const after = this.cursors.get(cmd) ?? -1;
    const frame = await this.waitFor((f) => f.cmd === cmd && f.seq > after, timeoutMs);
    this.cursors.set(cmd, frame.seq);
    return frame;
  }

  /** The first received frame (past or future) matching the predicate. */
  waitFor(predicate: (frame: ReceivedFrame) => boolean, timeoutMs = 3000): Promise<ReceivedFrame> {
    return this.until(() => this.frames.find(predicate), timeoutMs, 'frame');
  }

  /** Resolves once `authCount` reaches n. */
  async waitForAuth(n: number, timeoutMs = 3000): Promise<void> {
    await this.until(() => (this.authCount >= n ? true : undefined), timeoutMs, `auth #${n}`);
  }

  /** Resolves with the n-th (1-based) webhook request. */
  waitForWebhook(n: number, timeoutMs = 3000): Promise<WebhookRequest> {
    return this.until(() => this.webhookRequests[n - 1], timeoutMs, `webhook request #${n}`);
  }

  /** Generic condition wait; checked after every event the fake sees. */
  until<T>(check: () => T | undefined, timeoutMs: number, what = 'condition'): Promise<T> {
    const found = check();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const watcher = () => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(timer);
        this.watchers.delete(watcher);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.watchers.delete(watcher);
        reject(new Error(`fake WeCom: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.watchers.add(watcher);
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- internals ----

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  private sendToClient(frame: unknown): void {
    const target = this.authenticated;
    if (!target || target.socket.readyState !== WebSocket.OPEN) {
      throw new Error('fake WeCom: no authenticated client to push to');
    }
    target.socket.send(JSON.stringify(frame));
  }

  private onConnection(socket: WebSocket): void {
    const connection = ++this.connectionCount;
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (this.authenticated?.socket === socket) this.authenticated = undefined;
    });
    socket.on('message', (data) => this.onFrame(socket, connection, data));
    this.notify();
  }

  private onFrame(socket: WebSocket, connection: number, data: RawData): void {
    const parsed = JSON.parse(data.toString()) as { cmd?: string; headers?: { req_id?: string }; body?: unknown };
    const frame: ReceivedFrame = {
      seq: this.frames.length,
      connection,
      cmd: parsed.cmd ?? '',
      reqId: parsed.headers?.req_id ?? '',
      body: parsed.body as ReceivedFrame['body'],
    };
    this.frames.push(frame);
    const ack = (errcode = 0, errmsg = 'ok', body?: unknown) =>
      socket.send(JSON.stringify({ headers: { req_id: frame.reqId }, errcode, errmsg, ...(body ? { body } : {}) }));

    if (frame.cmd === 'aibot_subscribe') {
      const body = (frame.body ?? {}) as { bot_id?: string; secret?: string };
      if (body.bot_id === this.options.botId && body.secret === this.options.secret) {
        this.authenticated = { socket, connection };
        this.authCount += 1;
        ack();
      } else {
        ack(40001, 'invalid bot_id or secret');
      }
    } else if (frame.cmd === 'ping') {
      if (this.ackPings) ack();
    } else if (frame.cmd === 'aibot_respond_update_msg') {
      // The SDK's comment (updateTemplateCard): only with the template_card_event's req_id, within
      // 5 s, and task_id must be the clicked card's. The errcodes for a refusal are not documented
      // in the SDK; 846605 (invalid req_id, seen for late stream replies) stands in for them here.
      const event = this.cardEvents.get(frame.reqId);
      const body = (frame.body ?? {}) as { response_type?: string; template_card?: { task_id?: string } };
      if (!event || Date.now() - event.at > 5000) ack(846605, 'invalid req_id');
      else if (body.response_type !== 'update_template_card' || body.template_card?.task_id !== event.taskId) ack(40058, 'invalid template_card');
      else ack();
    } else if (frame.cmd === 'aibot_send_msg' && (frame.body as { msgtype?: string })?.msgtype === 'template_card') {
      // button_interaction: a task_id and 1–6 buttons with distinct keys (the SDK's TemplateCard type comments).
      const card = (frame.body as { template_card?: { card_type?: string; task_id?: string; button_list?: Array<{ key?: string }> } }).template_card;
      const keys = (card?.button_list ?? []).map((b) => b.key);
      const valid = card?.card_type === 'button_interaction' && Boolean(card.task_id) && keys.length >= 1 && keys.length <= 6 && new Set(keys).size === keys.length;
      if (valid) ack();
      else ack(40058, 'invalid template_card');
    } else {
      const faultIndex = this.ackFaults.findIndex((f) => f.cmd === frame.cmd);
      const fault = faultIndex >= 0 ? this.ackFaults.splice(faultIndex, 1)[0] : undefined;
      if (fault?.kind === 'error') ack(fault.errcode, fault.errmsg);
      else if (!fault) ack();
    }
    this.notify();
  }

  private onHttp(req: HttpRequest, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.apiBase);
    if (req.method !== 'POST' || url.pathname !== '/cgi-bin/webhook/send') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const request: WebhookRequest = {
        key: url.searchParams.get('key') ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: JSON.parse(raw) as WebhookRequest['body'],
      };
      this.webhookRequests.push(request);
      const fault = this.webhookFaults.shift();
      if (fault && 'status' in fault) {
        res.writeHead(fault.status).end('server error');
      } else {
        const reply = fault ?? (this.options.webhookKeys.includes(request.key)
          ? { errcode: 0, errmsg: 'ok' }
          : { errcode: 93000, errmsg: 'invalid webhook url, hint: [fake]' });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply));
      }
      this.notify();
    });
  }
}

export interface FakeWecomOptions {
  botId?: string;
  secret?: string;
  /** Webhook keys that exist; any other key gets errcode 93000. */
  webhookKeys?: string[];
}

export interface ReceivedFrame {
  /** Arrival order across all connections. */
  seq: number;
  /** 1-based connection number (2 = after the first reconnect). */
  connection: number;
  cmd: string;
  reqId: string;
  body: any;
}

export interface WebhookRequest {
  key: string;
  contentType: string;
  body: { msgtype: string; markdown?: { content: string }; text?: { content: string } };
}

export interface PushText {
  userid: string;
  content: string;
  /** Group chat id; omit for a 1:1 (single) chat. */
  chatid?: string;
  chattype?: 'group' | 'single';
  msgid?: string;
  reqId?: string;
}

type AckFault = { cmd: string; kind: 'error'; errcode: number; errmsg: string } | { cmd: string; kind: 'withhold' };

export type WebhookFault = { errcode: number; errmsg: string } | { status: number };
