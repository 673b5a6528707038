import type { Clock } from '../../clock.js';
import type { SendResult } from '../../messages.js';
import type { DingTalkSession } from './decode.js';
import { postJson, webhookAnswer, type HttpOptions } from './http.js';
import type { MarkdownPart } from './markdown.js';

/** Do not start a POST on a session that expires within this margin. */
const expiryMarginMs = 30_000;

/**
 * The body of a markdown message for the sessionWebhook and the custom robot webhook.
 * `at.atUserIds` only renders as an @ when `@userId` is also in the text (renderChunk puts it there).
 * See https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages
 */
export function webhookMarkdownBody(part: MarkdownPart) {
  return {
    msgtype: 'markdown',
    markdown: { title: part.title, text: part.text },
    at: { atUserIds: part.atUserIds, atMobiles: part.atMobiles, isAtAll: false },
  };
}

/** True while the session can still take a reply, by the injected clock. */
export function isSessionFresh(session: DingTalkSession | undefined, clock: Clock): session is DingTalkSession {
  return session !== undefined && session.expiresAt - expiryMarginMs > clock.now().getTime();
}

/**
 * Replies through a message's sessionWebhook (no token needed). A failure is not final: the
 * caller falls back to the OpenAPI, so the result only says what went wrong.
 * @example await postToSession(session, part, { timeoutMs: 10_000 }) // { ok: true }
 */
export async function postToSession(session: DingTalkSession, part: MarkdownPart, http: HttpOptions): Promise<SendResult> {
  const res = await postJson(session.url, webhookMarkdownBody(part), http);
  if ('error' in res) return { ok: false, error: `session webhook: ${res.error}` };
  const { errcode, errmsg } = webhookAnswer(res.data);
  if (res.status === 200 && errcode === 0) return { ok: true };
  return { ok: false, error: `session webhook: HTTP ${res.status} errcode ${errcode} ${errmsg}`.trim() };
}
