import WebSocket from 'ws';
import type { Logger } from '../../log.js';
import { redact } from '../../log.js';
import { StreamOpenRefused, type DingTalkStreamClient } from './stream-client.js';

export interface ReconnectPolicy {
  /** First wait after a failure or a drop. */
  baseMs: number;
  /** Longest wait between attempts. */
  maxMs: number;
  /** A connection that stayed up this long resets the backoff. */
  stableMs: number;
}

export const defaultReconnectPolicy: ReconnectPolicy = { baseMs: 1_000, maxMs: 60_000, stableMs: 30_000 };

/**
 * Wait before the next attempt after `failures` failures in a row (1, 2, 4 … × base, capped).
 * @example reconnectDelay(3, { baseMs: 1000, maxMs: 60000, stableMs: 30000 }) // 4000
 */
export function reconnectDelay(failures: number, policy: ReconnectPolicy): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
}

export interface StreamConnectionOptions {
  policy: ReconnectPolicy;
  /** WebSocket ping period; a socket that missed one pong is terminated and reconnected. */
  heartbeatMs: number;
  log: Logger;
}

/**
 * Keeps one Stream connection up: one attempt at a time (open call, then WebSocket), exponential
 * backoff between attempts, a new open call (new ticket) for every attempt, and a ping/pong
 * heartbeat. The SDK's `connect()` is not used: it never rejects, and with autoReconnect it
 * schedules two retries per socket error.
 * @example const conn = new StreamConnection(client, options); await conn.start(); … await conn.stop();
 */
export class StreamConnection {
  private stopped = false;
  private failures = 0;
  private socket: WebSocket | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly client: DingTalkStreamClient,
    private readonly options: StreamConnectionOptions,
  ) {}

  /**
   * Connects once. Resolves when connected, or after a passing failure (retries then go on in
   * the background). Rejects with {@link StreamOpenRefused} when the credentials are refused.
   */
  start(): Promise<void> {
    this.stopped = false;
    return this.connect(true);
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.clearSocketTimers();
    this.client.disconnect(); // sets the SDK's userDisconnect and closes (or aborts) its socket
    if (this.inFlight) await Promise.allSettled([this.inFlight]);
    const socket = this.client.currentSocket();
    if (socket && socket.readyState !== WebSocket.CLOSED) await closeWithin(socket, 1_000);
    this.socket = undefined;
  }

  private connect(first: boolean): Promise<void> {
    this.inFlight ??= this.attempt(first).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async attempt(first: boolean): Promise<void> {
    const { log } = this.options;
    try {
      await this.client.getEndpoint();
      if (this.stopped) return;
      await this.client._connect();
    } catch (err) {
      if (this.stopped) return;
      if (first && err instanceof StreamOpenRefused) throw err;
      this.failures += 1;
      const delayMs = reconnectDelay(this.failures, this.options.policy);
      const reason = redact(err instanceof Error ? err.message : String(err));
      if (err instanceof StreamOpenRefused) {
        log.error({ reason, delayMs }, 'dingtalk stream: credentials refused; check DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET');
      } else {
        log.warn({ reason, failures: this.failures, delayMs }, 'dingtalk stream: connect failed; retrying');
      }
      this.scheduleRetry(delayMs);
      return;
    }
    const socket = this.client.currentSocket();
    if (!socket || this.stopped) {
      socket?.terminate();
      return;
    }
    this.adopt(socket);
  }

  private adopt(socket: WebSocket): void {
    const { log, heartbeatMs, policy } = this.options;
    this.socket = socket;
    log.info({ failuresBefore: this.failures }, 'dingtalk stream: connected');
    socket.once('close', (code: number) => this.onClose(socket, code));
    let alive = true;
    socket.on('pong', () => {
      alive = true;
    });
    this.heartbeatTimer = setInterval(() => {
      if (!alive) {
        log.warn('dingtalk stream: no pong within one heartbeat; dropping the connection');
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
    }, heartbeatMs);
    this.stableTimer = setTimeout(() => {
      this.failures = 0;
    }, policy.stableMs);
    if (socket.readyState !== WebSocket.OPEN) this.onClose(socket, 1006);
  }

  private onClose(socket: WebSocket, code: number): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.clearSocketTimers();
    if (this.stopped) return;
    this.failures += 1;
    const delayMs = reconnectDelay(this.failures, this.options.policy);
    this.options.log.warn({ code, failures: this.failures, delayMs }, 'dingtalk stream: connection closed; reconnecting');
    this.scheduleRetry(delayMs);
  }

  private scheduleRetry(delayMs: number): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect(false).catch((err: unknown) => {
        this.options.log.error({ reason: String(err) }, 'dingtalk stream: reconnect attempt failed unexpectedly');
        this.scheduleRetry(reconnectDelay(this.failures + 1, this.options.policy));
      });
    }, delayMs);
  }

  private clearSocketTimers(): void {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.stableTimer);
    this.heartbeatTimer = undefined;
    this.stableTimer = undefined;
  }
}

function closeWithin(socket: WebSocket, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
