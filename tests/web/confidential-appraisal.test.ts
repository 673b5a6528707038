import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../src/web/server.js';
import { aBigBranch, GROUP, ok, OPERATOR, SECRETARY, SUPERVISOR } from '../appraisal/branch.js';
import { privateText, startChat, type Chat } from '../helpers/chat.js';
import { browser, dashboardOf, everythingShown, unitRoutes, type Browser } from './harness.js';

/**
 * A 民主评议 with votes, comments and self-appraisals, and a talk note, all planted
 * as distinctive strings: none of them may appear on any page or in any download of the dashboard,
 * for the supervisor, the branch's secretary or its operator. (Leave and rejection reasons are planted
 * in routes.test.ts.)
 */
const PLANTED = {
  voteComment: '投票意见VT8秘',
  selfAppraisal: '自评内容SA4秘',
  talkNote: '谈话备注TN6秘',
} as const;

let chat: Chat;
let dash: Dashboard;

beforeAll(async () => {
  chat = await startChat({ today: '2026-12-01' });
  await chat.as(SUPERVISOR).in('组织部督导群').say('/单位 设置 区委组织部');
  await aBigBranch(chat); // holds its 组织生活会 on 2026-12-10
  const group = (who: string) => chat.as(who).in(GROUP);
  await ok(group(SECRETARY).say(`/谈心 @钱委员 面谈 ${PLANTED.talkNote}`));
  await ok(group(OPERATOR).say('/评议 开始'));
  await ok(chat.as('赵明').privately().say(`/测评 @钱委员 不合格 意见 ${PLANTED.voteComment}`));
  await ok(chat.as('钱亮').privately().say('/测评 班子 基本合格'));
  await ok(chat.as('孙红').privately().say(`/自评 ${PLANTED.selfAppraisal}`));
  await ok(group(SECRETARY).say('/评议 结束'));
  dash = dashboardOf(chat.app);
}, 60_000);
afterAll(async () => {
  await dash.close();
  await chat.stop();
});

async function signIn(who: string, where: string): Promise<Browser> {
  const lines = await chat.as(who).in(where).say('/看板');
  const token = /\/login\?t=([A-Za-z0-9_-]+)/.exec(privateText(lines, who))![1]!;
  const b = browser(dash);
  expect((await b.signIn(token)).status).toBe(303);
  return b;
}

describe('confidential contents stay off the dashboard', () => {
  it('the store holds every planted string (so the test can see a leak)', async () => {
    const dump = JSON.stringify(await Promise.all(['appraisal_ballot', 'appraisal_text', 'talk'].map((t) => chat.db.selectFrom(t as 'talk').selectAll().execute())));
    for (const s of Object.values(PLANTED)) expect(dump).toContain(s);
  });

  it.each([[SUPERVISOR, GROUP], [SECRETARY, GROUP], [OPERATOR, GROUP]])('%s: no page or download shows them', async (who, where) => {
    const b = await signIn(who, where);
    const units = await chat.db.selectFrom('unit').select('id').execute();
    const shown = await everythingShown(b, ['/', ...units.flatMap((u) => unitRoutes(u.id))]);
    expect(shown.length).toBeGreaterThan(8);
    for (const { url, text } of shown) {
      for (const s of Object.values(PLANTED)) expect(text, `${who} ${url}`).not.toContain(s);
      // Nor the grades people gave (a vote's 等次 next to a name).
      expect(text, `${who} ${url}`).not.toContain('不合格');
    }
  });
});
