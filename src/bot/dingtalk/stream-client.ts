import { DWClient, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import type WebSocket from 'ws';
import type { Logger } from '../../log.js';
import { openApiError, postJson, type HttpOptions } from './http.js';

export interface StreamClientOptions {
  clientId: string;
  clientSecret: string;
  /** DINGTALK_API_BASE: https://api.dingtalk.com, or a dedicated-DingTalk / test host. */
  apiBase: string;
  ua: string;
  http: HttpOptions;
  /** Give up a WebSocket handshake after this long (the SDK sets no limit). */
  handshakeTimeoutMs: number;
  log: Logger;
}

/** The gateway refused the credentials (HTTP 4xx on the open call): retrying will not help. */
export class StreamOpenRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`dingtalk stream gateway refused the app credentials: HTTP ${status} ${code}`.trim());
    this.name = 'StreamOpenRefused';
  }
}

/**
 * The official `DWClient`, pointed at a configurable gateway and hardened where the SDK is weak.
 * The SDK itself is not modified:
 * - `getEndpoint()` POSTs to `${apiBase}/v1.0/gateway/connections/open` instead of the hard-coded
 *   GATEWAY_URL, and reports a refusal as {@link StreamOpenRefused};
 * - `autoReconnect` and `keepAlive` are off: {@link StreamConnection} owns reconnects and the
 *   heartbeat (the SDK's reconnect storms on socket errors and its keepAlive interval leaks
 *   across reconnects);
 * - `subscriptions` is our own array (the SDK's default is shared and mutated);
 * - an unreadable frame is logged instead of throwing out of the socket's listener;
 * - SYSTEM `disconnect` closes the socket, so that we reconnect at once.
 * Protocol: https://open.dingtalk.com/document/direction/stream-mode-protocol-access-description
 */
export class DingTalkStreamClient extends DWClient {
  private readonly options: StreamClientOptions;

  constructor(options: StreamClientOptions) {
    super({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      ua: options.ua,
      keepAlive: false,
      autoReconnect: false,
      subscriptions: [{ type: 'CALLBACK', topic: TOPIC_ROBOT }],
    } as ConstructorParameters<typeof DWClient>[0]);
    this.options = options;
    // Passed by the SDK to `new WebSocket(url, sslopts)`; `handshakeTimeout` is a `ws` option.
    (this as unknown as { sslopts: object }).sslopts = {
      rejectUnauthorized: true,
      handshakeTimeout: options.handshakeTimeoutMs,
    };
  }

  /** The open call: `{clientId, clientSecret, ua, subscriptions}` → `{endpoint, ticket}`. */
  override async getEndpoint(): Promise<this> {
    const { apiBase, http } = this.options;
    const body = {
      clientId: this.config.clientId,
      clientSecret: this.config.clientSecret,
      ua: this.config.ua ?? '',
      subscriptions: this.config.subscriptions,
    };
    // Accept: application/json, or the gateway answers in XML (SDK comment). postJson sends it.
    const res = await postJson(`${apiBase}/v1.0/gateway/connections/open`, body, http);
    if ('error' in res) throw new Error(`gateway unreachable: ${res.error}`);
    if (res.status >= 400 && res.status < 500 && res.status !== 429) {
      throw new StreamOpenRefused(res.status, openApiError(res.data).code);
    }
    const data = (res.data ?? {}) as { endpoint?: unknown; ticket?: unknown };
    if (res.status !== 200 || typeof data.endpoint !== 'string' || typeof data.ticket !== 'string') {
      throw new Error(`gateway answered HTTP ${res.status} without endpoint and ticket`);
    }
    // Same URL shape as the SDK's own getEndpoint (no encoding of the ticket).
    (this as unknown as { dw_url: string }).dw_url = `${data.endpoint}?ticket=${data.ticket}`;
    return this;
  }

  /** The SDK's current socket (a private field in its typings). */
  currentSocket(): WebSocket | undefined {
    return (this as unknown as { socket?: WebSocket }).socket;
  }

  override onDownStream(data: string): void {
    try {
      super.onDownStream(data);
    } catch (err) {
      this.options.log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'dingtalk stream: unreadable frame skipped');
    }
  }

  override onSystem(downstream: DWClientDownStream): void {
    super.onSystem(downstream);
    if (downstream.headers.topic === 'disconnect') {
      // The gateway is about to drop this connection (the SDK only flips flags): close it now,
      // so that StreamConnection opens a new one instead of waiting for the server to hang up.
      this.options.log.info('dingtalk stream: gateway asked to disconnect; reconnecting');
      this.currentSocket()?.close();
    }
  }
}
