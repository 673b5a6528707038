import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { createWecomChannels } from '../../src/bot/wecom/index.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { atLocalTime } from '../../src/domain/dates.js';
import { silentLogger } from '../../src/log.js';
import { FakeWecomServer } from '../fakes/wecom-server.js';
import { wecomSay } from '../helpers/platform-app.js';
import { testStore } from '../helpers/store.js';

// A vote through the real @wecom/aibot-node-sdk against the fake WeCom: the ballot form arrives as a
// private aibot_send_msg, the ballot is typed in the 1:1 chat, and the same ballot typed in the
// group is refused without a word of it reaching WeCom.

const GROUP_CHAT = 'wrBranchFour';
const SECRET = '群里的秘密ABC';
let wecom: FakeWecomServer;
let app: App;
let clock: ManualClock;

beforeEach(async () => {
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  clock = new ManualClock(atLocalTime('2026-12-01', 10, 0));
  wecom = await FakeWecomServer.start({ botId: 'bot-1', secret: 'wecom-secret' });
  const config = loadConfig({ DATABASE_URL: ':memory:', WECOM_BOT_ID: 'bot-1', WECOM_BOT_SECRET: 'wecom-secret', WECOM_WS_URL: wecom.wsUrl, WECOM_API_BASE: wecom.apiBase });
  app = await createApp({ config, clock, log: silentLogger, db: (await testStore()).db });
  for (const c of createWecomChannels({ config, clock, log: silentLogger, webhooks: app.webhooks }, { heartbeatIntervalMs: 100, reconnectIntervalMs: 50 })) app.addChannel(c);
  await app.start();
  await wecom.waitForAuth(1);
});

afterEach(async () => {
  await app.stop();
  await wecom.close();
  vi.restoreAllMocks();
});

/** Sends a text (to the group when `group`, else the 1:1 chat) and returns the bot's passive reply. */
const say = (userid: string, content: string, group = true) => wecomSay(wecom, userid, content, group ? GROUP_CHAT : undefined);

const privateSends = (userid: string) =>
  wecom.frames.filter((f) => f.cmd === 'aibot_send_msg' && (f.body as { chatid: string }).chatid === userid)
    .map((f) => String((f.body as { markdown: { content: string } }).markdown.content));

describe('民主测评 through WeCom', () => {
  it('takes a ballot in the 1:1 chat and refuses the group copy without echoing it', async () => {
    expect(await say('zhou', '/单位 设置 第四党支部')).toContain('第四党支部');
    expect(await say('zhou', '/成员 添加 @孙书记 支部书记')).toContain('孙书记');
    expect(await say('zhou', '/成员 添加 @郑党员 @冯党员 党员')).toContain('郑党员');
    for (const [userid, name] of [['sun', '孙书记'], ['zheng', '郑党员'], ['feng', '冯党员']] as const) {
      expect(await say(userid, `/我是 ${name}`)).toContain(`/成员 确认 ${name}`);
      expect(await say('zhou', `/成员 确认 ${name}`)).toContain('已确认');
    }
    expect(await say('zhou', '/会议 新建 组织生活会 2026-12-10')).toContain('组织生活会');
    clock.set(atLocalTime('2026-12-10', 15, 0));
    expect(await say('sun', '/会议 召开')).toContain('召开');
    expect(await say('zhou', '/评议 开始')).toContain('参加评议3人');
    await wecom.waitFor((f) => f.cmd === 'aibot_send_msg' && (f.body as { chatid: string }).chatid === 'zheng');
    expect(privateSends('zheng').join('\n')).toContain('民主测评表');

    const reply = await say('zheng', '/测评 班子 优秀 孙书记 合格 冯党员 基本合格 评语单聊', false);
    expect(reply).toContain('已记录（仅您可见）');
    expect(reply).toContain('冯党员 基本合格（意见：评语单聊）');

    const refused = await say('zheng', `/测评 @冯党员 不合格 ${SECRET}`);
    expect(refused).toContain('测评和自评只在与机器人的私聊（单聊）中进行');
    expect(JSON.stringify(wecom.frames.filter((f) => f.cmd !== 'aibot_msg_callback'))).not.toContain(SECRET);

    const ballots = await app.db.selectFrom('appraisal_ballot').select(['target', 'grade']).orderBy('id').execute();
    expect(ballots.map((b) => b.grade)).toEqual(['excellent', 'qualified', 'basically_qualified']);
  });
});
