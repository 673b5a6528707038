import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { atLocalTime } from '../../src/domain/dates.js';
import { startPlatformApp } from '../helpers/platform-app.js';
import { startFakeDingTalk, until, type FakeDingTalk } from '../fakes/dingtalk-server.js';

/**
 * Buttons on DingTalk, through the official `dingtalk-stream` client against the fake: the leave
 * card created and delivered to the principal's private chat with the robot, a click pushed on
 * TOPIC_CARD with the clicker's staffId, the answer to 驳回's question, and the card updated.
 */
let ding: FakeDingTalk;
let app: App;
let clock: ManualClock;

const dingEnv = () => ({ DINGTALK_CLIENT_ID: 'dingapp0001', DINGTALK_CLIENT_SECRET: 'ding-secret-xyz', DINGTALK_API_BASE: ding.url, DINGTALK_OAPI_BASE: ding.url });

beforeEach(async () => {
  clock = new ManualClock(atLocalTime('2026-11-25', 10, 0));
  ding = await startFakeDingTalk({ clientId: 'dingapp0001', clientSecret: 'ding-secret-xyz', now: () => clock.now().getTime() });
  app = await startPlatformApp({ ...dingEnv(), DINGTALK_CARD_TEMPLATE_ID: 'tpl-shh.schema' }, clock);
  await until(() => ding.openStream !== undefined, 5_000, 'the DingTalk stream');
});

afterEach(async () => {
  await app.stop();
  await ding.close();
  vi.restoreAllMocks();
});

let seq = 0;
async function say(staffId: string, nick: string, text: string, opts: { atUsers?: string[]; private?: boolean } = {}): Promise<string> {
  const before = ding.sessionPosts.length;
  const expires = clock.now().getTime() + 90 * 60_000;
  ding.pushRobotMessage({
    conversationId: opts.private ? `cidPrivate-${staffId}` : 'cidGroup==', conversationType: opts.private ? '1' : '2', ...(opts.private ? {} : { conversationTitle: '乙支部群' }),
    chatbotCorpId: 'ding-corp', chatbotUserId: '$:bot:$', robotCode: 'dingapp0001', msgId: `m-${++seq}`, msgtype: 'text', text: { content: ` ${text}` },
    senderId: `$:${staffId}:$`, senderStaffId: staffId, senderNick: nick, senderCorpId: 'ding-corp', isAdmin: false, isInAtList: true,
    atUsers: [{ dingtalkId: '$:bot:$' }, ...(opts.atUsers ?? []).map((u) => ({ dingtalkId: `$:${u}:$`, staffId: u }))],
    sessionWebhook: ding.sessionWebhook(expires), sessionWebhookExpiredTime: expires, createAt: clock.now().getTime(),
  });
  await until(() => ding.sessionPosts.length > before, 5_000, 'a reply');
  return JSON.stringify(ding.sessionPosts.slice(before).map((p) => p.body));
}

async function aBranch(): Promise<void> {
  await say('li-op', '李联络员', '/单位 设置 乙支部');
  await say('li-op', '李联络员', '/成员 添加 @赵书记 主要负责人', { atUsers: ['zhao01'] });
  await say('li-op', '李联络员', '/成员 添加 @钱委员 @孙委员 支委', { atUsers: ['qian01', 'sun01'] });
  await say('li-op', '李联络员', '/会议 新建 组织生活会 2026-12-22');
}

const cardParams = (i: number) => (ding.cardSends[i]!.body as { cardData: { cardParamMap: Record<string, string> } }).cardData.cardParamMap;
const lastAck = () => JSON.parse(ding.acks[ding.acks.length - 1]!.data ?? '{}') as { response: { cardData?: { cardParamMap: Record<string, string> } } };

describe('DingTalk interactive cards', () => {
  it('delivers the leave card to the principal, asks 驳回’s reason, takes the next private message as it, and updates the card', async () => {
    await aBranch();
    const group = await say('qian01', '钱委员', '/请假 家中有事');
    expect(group).not.toContain('家中有事');
    await until(() => ding.cardSends.length === 1, 3_000, 'the card');
    const sent = ding.cardSends[0]!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ cardTemplateId: 'tpl-shh.schema', callbackType: 'STREAM', openSpaceId: 'dtv1.card//IM_ROBOT.zhao01', imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: 'dingapp0001' } });
    expect(cardParams(0).content).toContain('原因：家中有事');
    const buttons = JSON.parse(cardParams(0).buttons!) as Array<{ text: string; key: string }>;
    expect(buttons.map((b) => b.text)).toEqual(['批准', '驳回']);

    const acksBefore = ding.acks.length;
    const otoBefore = ding.otoSends.length;
    const messageId = ding.pushCardCallback({ userId: 'zhao01', outTrackId: String(sent.outTrackId), params: { key: buttons[1]!.key } });
    await until(() => ding.otoSends.length > otoBefore, 3_000, 'the question');
    expect(ding.acks.slice(acksBefore).map((a) => a.headers.messageId)).toContain(messageId);
    expect(JSON.stringify(ding.otoSends[otoBefore]!.body)).toContain('请直接回复驳回 钱委员 请假的理由');
    expect((await app.db.selectFrom('leave_request').select('status').executeTakeFirstOrThrow()).status).toBe('pending');

    const answer = await say('zhao01', '赵书记', '会议很重要，请调整', { private: true });
    expect(answer).toContain('钱委员 的请假未获批准');
    expect(await app.db.selectFrom('leave_request').select(['status', 'decision_note']).executeTakeFirstOrThrow()).toEqual({ status: 'rejected', decision_note: '会议很重要，请调整' });
    await until(() => ding.cardUpdates.length === 1, 3_000, 'the card update');
    const update = ding.cardUpdates[0]!.body as { outTrackId: string; cardData: { cardParamMap: Record<string, string> } };
    expect(update.outTrackId).toBe(sent.outTrackId);
    expect(update.cardData.cardParamMap).toMatchObject({ closed: 'true', outcome: '已驳回 · 赵书记 · 2026年11月25日', buttons: '[]' });
  });

  it('approves with one click (the ack carries the updated card), refuses the requester’s own click as typed, and handles a redelivered click once', async () => {
    await aBranch();
    await say('qian01', '钱委员', '/请假 家中有事');
    await until(() => ding.cardSends.length === 1, 3_000, 'the card');
    const outTrackId = String(ding.cardSends[0]!.body.outTrackId);
    const [approve] = JSON.parse(cardParams(0).buttons!) as Array<{ key: string }>;

    // 钱委员 presses 批准 on a card meant for the principal: the typed command's refusal.
    const typed = await say('qian01', '钱委员', '/批准 @钱委员', { private: true });
    // (Answered through 钱委员's own private chat, whose sessionWebhook is fresh.)
    const posts = ding.sessionPosts.length;
    ding.pushCardCallback({ userId: 'qian01', outTrackId, params: { key: approve!.key } });
    await until(() => ding.sessionPosts.length > posts, 3_000, 'the refusal');
    expect(JSON.stringify([ding.sessionPosts[posts]!.body])).toBe(typed);
    const refusal = (ding.sessionPosts[posts]!.body as { markdown: { text: string } }).markdown.text;
    expect(refusal).toBe('只有主要负责人、上级可以这样做。');

    const acks = ding.acks.length;
    const id = ding.pushCardCallback({ userId: 'zhao01', outTrackId, params: { key: approve!.key } });
    await until(() => ding.acks.length > acks, 3_000, 'the ack');
    expect(lastAck().response.cardData?.cardParamMap).toMatchObject({ closed: 'true', outcome: '已批准 · 赵书记 · 2026年11月25日' });
    expect((await app.db.selectFrom('leave_request').select('status').executeTakeFirstOrThrow()).status).toBe('approved');
    ding.pushCardCallback({ userId: 'zhao01', outTrackId, params: { key: approve!.key } }, id);
    await until(() => ding.acks.length > acks + 1, 3_000, 'the second ack');
    const approvals = await app.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'leave.approve').execute();
    expect(approvals).toHaveLength(1);
  });

  it('a leave decided by typing updates its card at once (DingTalk allows it outside a click)', async () => {
    await aBranch();
    await say('qian01', '钱委员', '/请假 家中有事');
    await until(() => ding.cardSends.length === 1, 3_000, 'the card');
    expect(await say('zhao01', '赵书记', '/批准 @钱委员')).toContain('钱委员 的请假已批准');
    await until(() => ding.cardUpdates.length === 1, 3_000, 'the card update');
    const update = ding.cardUpdates[0]!.body as { outTrackId: string; cardData: { cardParamMap: Record<string, string> } };
    expect(update.outTrackId).toBe(ding.cardSends[0]!.body.outTrackId);
    expect(update.cardData.cardParamMap).toMatchObject({ closed: 'true', outcome: '已批准 · 赵书记 · 2026年11月25日' });
  });

  it('without a card template the principal gets the text with the commands to type, as before', async () => {
    await app.stop();
    app = await startPlatformApp(dingEnv(), clock);
    await until(() => ding.openStream !== undefined, 5_000, 'the DingTalk stream');
    await aBranch();
    const oto = ding.otoSends.length;
    await say('qian01', '钱委员', '/请假 家中有事');
    await until(() => ding.otoSends.length > oto, 3_000, 'the private text');
    expect(String(ding.otoSends[oto]!.body.msgParam)).toContain('/批准 @钱委员');
    expect(ding.cardSends).toEqual([]);
    expect(await app.db.selectFrom('card').select('id').execute()).toEqual([]);
  });
});
