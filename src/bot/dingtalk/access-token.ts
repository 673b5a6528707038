import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { SendResult } from '../../messages.js';
import { openApiError, postJson, type HttpOptions } from './http.js';

export interface AccessTokenOptions {
  apiBase: string;
  appKey: string;
  appSecret: string;
  http: HttpOptions;
  clock: Clock;
  log: Logger;
}

export type TokenOutcome = { ok: true; token: string } | { ok: false; failure: SendResult };

/** Refresh this long before the token expires (the docs advise ~7000 s of a 7200 s token). */
const refreshMarginMs = 5 * 60_000;

/**
 * The v1.0 app access token (`POST /v1.0/oauth2/accessToken`), cached until ~5 min before it
 * expires by the injected clock. Concurrent callers share one request.
 * See https://open.dingtalk.com/document/orgapp/obtain-the-access_token-of-an-internal-app
 * @example const t = await tokens.get(); if (t.ok) headers['x-acs-dingtalk-access-token'] = t.token;
 */
export class AccessTokenCache {
  private current: { token: string; refreshAt: number } | undefined;
  private pending: Promise<TokenOutcome> | undefined;

  constructor(private readonly options: AccessTokenOptions) {}

  get(): Promise<TokenOutcome> {
    const now = this.options.clock.now().getTime();
    if (this.current && now < this.current.refreshAt) return Promise.resolve({ ok: true, token: this.current.token });
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forget a token the server refused (HTTP 401), unless a newer one is already cached. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async fetch(): Promise<TokenOutcome> {
    const { apiBase, appKey, appSecret, http, clock, log } = this.options;
    const res = await postJson(`${apiBase}/v1.0/oauth2/accessToken`, { appKey, appSecret }, http);
    if ('error' in res) {
      log.warn({ reason: res.error }, 'dingtalk access token request failed');
      return { ok: false, failure: { ok: false, error: `access token: ${res.error}` } };
    }
    const data = (res.data ?? {}) as { accessToken?: unknown; expireIn?: unknown };
    if (res.status === 200 && typeof data.accessToken === 'string' && data.accessToken) {
      const expireInMs = (typeof data.expireIn === 'number' ? data.expireIn : 7200) * 1000;
      const margin = Math.min(refreshMarginMs, expireInMs / 2);
      this.current = { token: data.accessToken, refreshAt: clock.now().getTime() + expireInMs - margin };
      return { ok: true, token: data.accessToken };
    }
    const { code, message } = openApiError(res.data);
    if (res.status >= 400 && res.status < 500 && res.status !== 429) {
      log.error(
        { status: res.status, code, message },
        'dingtalk refused the app credentials: check DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET',
      );
      return { ok: false, failure: { ok: false, permanent: true, error: `access token refused: ${res.status} ${code}` } };
    }
    log.warn({ status: res.status, code }, 'dingtalk access token request failed');
    return {
      ok: false,
      failure: { ok: false, error: `access token: HTTP ${res.status}`, ...(res.retryAfterMs ? { retryAfterMs: res.retryAfterMs } : {}) },
    };
  }
}
