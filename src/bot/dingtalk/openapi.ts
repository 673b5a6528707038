import type { Logger } from '../../log.js';
import type { SendResult } from '../../messages.js';
import type { AccessTokenCache } from './access-token.js';
import { openApiError, postJson, type HttpOptions, type HttpResult } from './http.js';
import type { MarkdownPart } from './markdown.js';

export interface OpenApiOptions {
  apiBase: string;
  robotCode: string;
  tokens: AccessTokenCache;
  http: HttpOptions;
  log: Logger;
}

/** When DingTalk throttles without saying for how long. */
const defaultRateLimitWaitMs = 60_000;

/**
 * Robot messages through the OpenAPI (needs the app access token, works without a recent message):
 * - group: `POST /v1.0/robot/groupMessages/send` (https://open.dingtalk.com/document/orgapp/the-robot-sends-a-group-message)
 * - people: `POST /v1.0/robot/oToMessages/batchSend` (https://open.dingtalk.com/document/orgapp/chatbots-send-one-on-one-chat-messages-in-batches)
 * Robot messages sent this way cannot @ anyone, so parts come in the 'name' style.
 * @example await openApi.sendToGroup('cid123==', part) // { ok: true }
 */
export class DingTalkOpenApi {
  constructor(private readonly options: OpenApiOptions) {}

  sendToGroup(openConversationId: string, part: MarkdownPart): Promise<SendResult> {
    const { robotCode } = this.options;
    const body = { ...markdownParam(part), openConversationId, robotCode };
    return this.post('/v1.0/robot/groupMessages/send', body, { openConversationId }).then((r) => r.result);
  }

  /** At most 20 userIds per call (DingTalk's limit); we send to one person at a time. */
  async sendToUser(userId: string, part: MarkdownPart): Promise<SendResult> {
    const { robotCode } = this.options;
    const body = { ...markdownParam(part), robotCode, userIds: [userId] };
    const { result, data: answer } = await this.post('/v1.0/robot/oToMessages/batchSend', body, { userId });
    if (!result.ok) return result;
    const data = (answer ?? {}) as { invalidStaffIdList?: unknown; flowControlledStaffIdList?: unknown };
    if (Array.isArray(data.invalidStaffIdList) && data.invalidStaffIdList.includes(userId)) {
      this.options.log.error({ userId }, 'dingtalk: this user cannot receive robot messages (not in the app\'s visible range?)');
      return { ok: false, permanent: true, error: 'invalid staff id' };
    }
    if (Array.isArray(data.flowControlledStaffIdList) && data.flowControlledStaffIdList.includes(userId)) {
      return { ok: false, retryAfterMs: defaultRateLimitWaitMs, error: 'flow controlled' };
    }
    return result;
  }

  /**
   * A card created from the card template and delivered to a group or a private chat in one call:
   * `POST /v1.0/card/instances/createAndDeliver` (https://open.dingtalk.com/document/orgapp/create-and-deliver-cards).
   * The answer lists one `deliverResults` entry per space; a `success: false` there is a failure.
   */
  async createAndDeliverCard(body: Record<string, unknown>, context: Record<string, string>): Promise<SendResult> {
    const { result, data } = await this.post('/v1.0/card/instances/createAndDeliver', body, context);
    if (!result.ok) return result;
    const delivered = ((data as { result?: { deliverResults?: Array<{ success?: boolean; errorMsg?: string }> } } | undefined)?.result?.deliverResults) ?? [];
    const failed = delivered.find((d) => d.success === false);
    if (failed) {
      this.options.log.warn({ ...context, error: failed.errorMsg }, 'dingtalk: card not delivered');
      return { ok: false, error: `card not delivered: ${failed.errorMsg ?? ''}`.trim() };
    }
    return result;
  }

  /** Updates a delivered card's data: `PUT /v1.0/card/instances` with its outTrackId (the official Python SDK's `put_card_data`). */
  async updateCard(body: Record<string, unknown>, context: Record<string, string>): Promise<SendResult> {
    return (await this.post('/v1.0/card/instances', body, context, 'put')).result;
  }

  private async post(
    path: string,
    body: object,
    context: Record<string, string>,
    method: 'post' | 'put' = 'post',
  ): Promise<{ result: SendResult; data?: unknown }> {
    const { apiBase, tokens, http, log } = this.options;
    const url = `${apiBase}${path}`;
    let token = await tokens.get();
    if (!token.ok) return { result: token.failure };
    let res = await postJson(url, body, http, { 'x-acs-dingtalk-access-token': token.token }, method);
    if (res.status === 401) {
      // The token was revoked or expired early: fetch a new one once and try again.
      tokens.invalidate(token.token);
      token = await tokens.get();
      if (!token.ok) return { result: token.failure };
      res = await postJson(url, body, http, { 'x-acs-dingtalk-access-token': token.token }, method);
    }
    return { result: classify(res, path, context, log), data: 'data' in res ? res.data : undefined };
  }
}

function markdownParam(part: MarkdownPart) {
  return { msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: part.title, text: part.text }) };
}

function classify(res: HttpResult, path: string, context: Record<string, string>, log: Logger): SendResult {
  if ('error' in res) {
    log.warn({ path, ...context, reason: res.error }, 'dingtalk openapi unreachable');
    return { ok: false, error: res.error };
  }
  if (res.status >= 200 && res.status < 300) return { ok: true };
  const { code, message } = openApiError(res.data);
  const throttled = res.status === 429 || /qpslimit|qpmlimit|throttl|flowcontrol/i.test(code);
  if (throttled) {
    log.warn({ path, ...context, status: res.status, code }, 'dingtalk openapi rate limited');
    return { ok: false, retryAfterMs: res.retryAfterMs ?? defaultRateLimitWaitMs, error: `rate limited: ${code || res.status}` };
  }
  if (res.status >= 500) {
    log.warn({ path, ...context, status: res.status, code }, 'dingtalk openapi server error');
    return { ok: false, error: `HTTP ${res.status}`, ...(res.retryAfterMs ? { retryAfterMs: res.retryAfterMs } : {}) };
  }
  log.error(
    { path, ...context, status: res.status, code, message },
    'dingtalk openapi refused the message: check DINGTALK_ROBOT_CODE, that the robot is in this group, that the app has the robot send permission (qyapi_robot_sendmsg) and is published',
  );
  return { ok: false, permanent: true, error: `HTTP ${res.status} ${code}`.trim() };
}
