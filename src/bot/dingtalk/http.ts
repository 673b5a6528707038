import axios from 'axios';
import { redact } from '../../log.js';

/** What came back from one POST; status 0 means no HTTP answer (network error, timeout). */
export type HttpResult =
  | { status: number; data: unknown; retryAfterMs?: number }
  | { status: 0; error: string };

export interface HttpOptions {
  timeoutMs: number;
}

/**
 * POSTs JSON and never throws: every outcome is a value the caller classifies.
 * Error texts are redacted, since DingTalk URLs carry credentials (access_token, session).
 * @example const res = await postJson(url, { msgtype: 'markdown' }, { timeoutMs: 10_000 });
 */
export async function postJson(
  url: string,
  body: unknown,
  options: HttpOptions,
  headers: Record<string, string> = {},
  method: 'post' | 'put' = 'post',
): Promise<HttpResult> {
  try {
    const res = await axios.request({
      url,
      method,
      data: body,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
      timeout: options.timeoutMs,
      validateStatus: () => true,
      maxRedirects: 0,
      responseType: 'json',
    });
    const retryAfter = Number(res.headers['retry-after']);
    return {
      status: res.status,
      data: res.data,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  } catch (err) {
    const reason = axios.isAxiosError(err) ? (err.code ?? err.message) : String(err);
    return { status: 0, error: redact(reason) };
  }
}

/** `{ errcode, errmsg }` of webhook answers; errcode -1 when the body is not one. */
export function webhookAnswer(data: unknown): { errcode: number; errmsg: string } {
  const d = (data ?? {}) as { errcode?: unknown; errmsg?: unknown };
  return {
    errcode: typeof d.errcode === 'number' ? d.errcode : -1,
    errmsg: typeof d.errmsg === 'string' ? redact(d.errmsg) : '',
  };
}

/** `{ code, message }` of OpenAPI v1.0 error bodies. */
export function openApiError(data: unknown): { code: string; message: string } {
  const d = (data ?? {}) as { code?: unknown; message?: unknown };
  return {
    code: typeof d.code === 'string' ? d.code : '',
    message: typeof d.message === 'string' ? redact(d.message) : '',
  };
}
