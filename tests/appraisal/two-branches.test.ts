import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privateText, recipients, startChat, type Chat } from '../helpers/chat.js';
import { aSmallBranch, ok, OPERATOR, SMALL_GROUP } from './branch.js';

// A member of two branches (郑党员: 第三党支部 and 第四党支部) while both appraisals run votes in the
// single chat: the names on the ballot tell the branch, or the branch is named first.

const OTHER_GROUP = '四支部群';
let chat: Chat;
let opened: { third: string[]; fourth: string[] };

beforeEach(async () => {
  chat = await startChat({ today: '2026-12-01' });
  await aSmallBranch(chat);
  const op = chat.as('何组织员').in(OTHER_GROUP);
  await ok(op.say('/单位 设置 第四党支部'));
  await ok(op.say('/成员 添加 @李书记 支部书记'));
  await ok(op.say('/成员 添加 @王委员 支委'));
  await ok(op.say('/成员 添加 @郑党员 @蒋党员 党员'));
  await ok(op.say('/会议 新建 组织生活会 2026-12-20'));
  await ok(chat.as('李书记').in(OTHER_GROUP).say('/会议 召开'));
  opened = {
    third: await ok(chat.as(OPERATOR).in(SMALL_GROUP).say('/评议 开始')),
    fourth: await ok(op.say('/评议 开始')),
  };
});
afterEach(async () => chat.stop());

const zheng = () => chat.as('郑党员').privately();
/** Ballots stored per branch: unit name → grades. */
const ballotsByUnit = () =>
  chat.query<{ unit: string; grade: string }>('SELECT u.name AS unit, b.grade FROM appraisal_ballot b JOIN appraisal a ON a.id = b.appraisal_id JOIN unit u ON u.id = a.unit_id ORDER BY b.id');

describe('a member of two branches whose appraisals both run', () => {
  it('gets ballot forms that name the branch first; the other members’ forms do not', () => {
    const third = privateText(opened.third, '郑党员');
    expect(third).toContain('发送时请在命令后先写“第三党支部”');
    expect(third).toContain('一次填完：/测评 第三党支部 班子 优秀 孙书记 合格 钱委员 合格 …');
    expect(third).toContain('查看已填：/测评 第三党支部 我的');
    expect(third).toContain('个人自评：/自评 第三党支部 <');
    expect(privateText(opened.fourth, '郑党员')).toContain('一次填完：/测评 第四党支部 班子 优秀 李书记 合格 王委员 合格');
    expect(privateText(opened.fourth, '蒋党员')).toContain('一次填完：/测评 班子 优秀 李书记 合格 王委员 合格');
    expect(privateText(opened.fourth, '蒋党员')).not.toContain('第四党支部 班子');
  });

  it('votes in the branch where every name on the ballot takes part', async () => {
    const lines = await zheng().say('/测评 班子 优秀 王委员 合格');
    expect(recipients(lines)).toEqual(['私聊 郑党员']);
    expect(privateText(lines, '郑党员')).toContain('已记录（仅您可见）：支部班子 优秀，王委员 合格');
    expect(privateText(lines, '郑党员')).toContain('/测评 第四党支部 我的 查看');
    expect((await ballotsByUnit())).toEqual([{ unit: '第四党支部', grade: 'excellent' }, { unit: '第四党支部', grade: 'qualified' }]);
  });

  it('asks for the branch when the ballot does not tell, and takes it named first', async () => {
    const asked = privateText(await zheng().say('/测评 班子 优秀'), '郑党员');
    expect(asked).toBe('您在第三党支部、第四党支部都参加民主评议，请在命令后先写支部名称，例如：/测评 第三党支部 班子 优秀 <姓名> 合格');
    expect((await ballotsByUnit())).toEqual([]);
    expect(privateText(await ok(zheng().say('/测评 第三党支部 班子 合格')), '郑党员')).toContain('已记录（仅您可见）：支部班子 合格');
    expect(privateText(await ok(zheng().say('/测评 第四党支部，班子 基本合格')), '郑党员')).toContain('已记录（仅您可见）：支部班子 基本合格');
    expect((await ballotsByUnit())).toEqual([{ unit: '第三党支部', grade: 'qualified' }, { unit: '第四党支部', grade: 'basically_qualified' }]);
    const mine = privateText(await zheng().say('/测评 第四党支部 我的'), '郑党员');
    expect(mine).toContain('• 支部班子：基本合格');
    expect(mine).toContain('• 李书记：未测评');
    expect(mine).toContain('例如：/测评 第四党支部 班子 优秀 李书记 合格 王委员 合格');
    expect(privateText(await zheng().say('/测评 我的'), '郑党员')).toBe('您在第三党支部、第四党支部都参加民主评议，请在命令后先写支部名称，例如：/测评 第三党支部 我的');
  });

  it('takes a self-appraisal with the branch named first, without the branch name in it', async () => {
    expect(privateText(await zheng().say('/自评 我在发挥作用方面有差距'), '郑党员')).toBe(
      '您在第三党支部、第四党支部都参加民主评议，请在命令后先写支部名称，例如：/自评 第三党支部 <内容>',
    );
    expect(privateText(await ok(zheng().say('/自评 第四党支部 我在发挥作用方面有差距')), '郑党员')).toContain('个人自评已收到');
    const rows = await chat.query("SELECT u.name AS unit, t.content FROM appraisal_text t JOIN appraisal a ON a.id = t.appraisal_id JOIN unit u ON u.id = a.unit_id WHERE t.kind = 'self'");
    expect(rows).toEqual([{ unit: '第四党支部', content: '我在发挥作用方面有差距' }]);
  });
});
