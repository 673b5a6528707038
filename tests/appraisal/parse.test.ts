import { describe, expect, it } from 'vitest';
import { parseBallot } from '../../src/commands/appraisal.parser.js';
import { parseCommand } from '../../src/commands/parse.js';

const today = '2026-12-01';
const parse = (text: string) => parseCommand(text, today, { addressed: true });

describe('/评议 /评定 /党小组 /承诺 /公示 /自评', () => {
  it.each([
    ['/评议 开始', { kind: 'appraisal.open' }],
    ['/评议 开始 截止 12月20日', { kind: 'appraisal.open', closesOn: '2026-12-20' }],
    ['/评议 开始 截止 12-20 18:00', { kind: 'appraisal.open', closesOn: '2026-12-20', closesTime: { hour: 18, minute: 0 } }],
    ['/评议 开始 截止12-20 17点30', { kind: 'appraisal.open', closesOn: '2026-12-20', closesTime: { hour: 17, minute: 30 } }],
    ['/评议 开始 明天 9点', { kind: 'appraisal.open', closesOn: '2026-12-02', closesTime: { hour: 9, minute: 0 } }],
    ['／评议　开始　截止　１２月２０日　１８：００', { kind: 'appraisal.open', closesOn: '2026-12-20', closesTime: { hour: 18, minute: 0 } }],
    ['/评议', { kind: 'appraisal.progress' }],
    ['/评议 进度', { kind: 'appraisal.progress' }],
    ['/评议 结束', { kind: 'appraisal.close' }],
    ['/评定 @张三 优秀', { kind: 'appraisal.grade', entries: [{ who: { name: '张三' }, grade: 'excellent' }] }],
    ['/评定 张三 合格 李四 基本合格 王五 不合格', { kind: 'appraisal.grade', entries: [{ who: { name: '张三' }, grade: 'qualified' }, { who: { name: '李四' }, grade: 'basically_qualified' }, { who: { name: '王五' }, grade: 'unqualified' }] }],
    ['/党小组 设置 第一党小组 @张三 @李四', { kind: 'partyGroup.set', name: '第一党小组', who: [{ name: '张三' }, { name: '李四' }] }],
    ['/党小组 设置 一组 @张三@李四', { kind: 'partyGroup.set', name: '一组', who: [{ name: '张三' }, { name: '李四' }] }],
    ['/党小组', { kind: 'partyGroup.list' }],
    ['/党小组 列表', { kind: 'partyGroup.list' }],
    ['/党小组 清除', { kind: 'partyGroup.clear' }],
    ['/承诺 按时参加组织生活', { kind: 'commitment.submit', content: '按时参加组织生活' }],
    ['/承诺 情况', { kind: 'commitment.status' }],
    ['/公示', { kind: 'publicity.post' }],
    ['/公示 7', { kind: 'publicity.post', days: 7 }],
    ['/公示 10天', { kind: 'publicity.post', days: 10 }],
    ['/自评 对照四个合格 我在发挥作用方面有差距', { kind: 'appraisal.self', content: '对照四个合格 我在发挥作用方面有差距' }],
    ['/自评 我的', { kind: 'appraisal.selfMine' }],
    ['/测评', { kind: 'appraisal.mine' }],
    ['/测评 我的', { kind: 'appraisal.mine' }],
    ['/测评我的', { kind: 'appraisal.mine' }],
    ['测评 班子 优秀', { kind: 'appraisal.vote', words: ['班子', '优秀'] }],
    ['/测评 第二党支部 我的', { kind: 'appraisal.mine', unitWord: '第二党支部' }],
    ['/评定 郑党员：优秀，冯党员、合格', { kind: 'appraisal.grade', entries: [{ who: { name: '郑党员' }, grade: 'excellent' }, { who: { name: '冯党员' }, grade: 'qualified' }] }],
    ['/评定 第二党支部 @张三 合格', { kind: 'appraisal.grade', entries: [{ who: { name: '张三' }, grade: 'qualified' }], unitWord: '第二党支部' }],
  ])('%s', (text, want) => expect(parse(text)).toEqual(want));

  it.each([
    ['/评议 开始 截止', 'appraisal.closingMissing'],
    ['/评议 开始 截止 12-20 25:00', 'appraisal.badTime'],
    ['/评议 开始 截止 2月30日', 'date.impossible'],
    ['/评议 开会', 'command.usage'],
    ['/评定 @张三', 'grade.gradeMissing'],
    ['/评定 @张三 良好', 'grade.gradeUnknown'],
    ['/评定 张三优秀', 'grade.glued'],
    ['/评定 班子 优秀', 'command.usage'],
    ['/党小组 设置 一组', 'command.usage'],
    ['/党小组 设置 @张三', 'command.usage'],
    ['/承诺', 'command.usage'],
    ['/公示 0', 'publicity.badDays'],
    ['/公示 31', 'publicity.badDays'],
    ['/公示 五天', 'publicity.badDays'],
    ['/自评', 'appraisal.selfEmpty'],
  ])('%s is refused with %s', (text, key) => expect(parse(text)).toMatchObject({ kind: 'invalid', key }));
});

describe(parseBallot.name, () => {
  const tokens = (s: string) => s.split(' ');

  it.each([
    ['班子 优秀', [{ target: 'committee', grade: 'excellent' }]],
    ['支部班子 合格', [{ target: 'committee', grade: 'qualified' }]],
    ['@张三 合格', [{ target: { name: '张三' }, grade: 'qualified' }]],
    ['@张三 合格 工作认真负责', [{ target: { name: '张三' }, grade: 'qualified', comment: '工作认真负责' }]],
    ['班子 优秀 张三 合格 李四 基本合格 王五 不合格', [
      { target: 'committee', grade: 'excellent' }, { target: { name: '张三' }, grade: 'qualified' },
      { target: { name: '李四' }, grade: 'basically_qualified' }, { target: { name: '王五' }, grade: 'unqualified' },
    ]],
    ['班子 优秀， 张三 合格， 李四 基本合格。', [{ target: 'committee', grade: 'excellent' }, { target: { name: '张三' }, grade: 'qualified' }, { target: { name: '李四' }, grade: 'basically_qualified' }]],
    ['张三 合格 要多 学习 @李四 优秀 带头作用好', [{ target: { name: '张三' }, grade: 'qualified', comment: '要多 学习' }, { target: { name: '李四' }, grade: 'excellent', comment: '带头作用好' }]],
    ['张三 合格 意见 表现 优秀 值得学习', [{ target: { name: '张三' }, grade: 'qualified', comment: '表现 优秀 值得学习', commentMarked: true }]],
    ['张三 合格 意见:多下基层 李四 优秀', [{ target: { name: '张三' }, grade: 'qualified', comment: '多下基层', commentMarked: true }, { target: { name: '李四' }, grade: 'excellent' }]],
    ['班子优秀', [{ target: 'committee', grade: 'excellent' }]],
    ['张三:合格', [{ target: { name: '张三' }, grade: 'qualified' }]],
    ['张三不合格', [{ target: { name: '张三' }, grade: 'unqualified' }]],
    ['张三基本合格', [{ target: { name: '张三' }, grade: 'basically_qualified' }]],
    ['@张三 合格，工作认真，作风扎实', [{ target: { name: '张三' }, grade: 'qualified', comment: '工作认真，作风扎实' }]],
    ['班子 优秀、张三 合格', [{ target: 'committee', grade: 'excellent' }, { target: { name: '张三' }, grade: 'qualified' }]],
    ['班子:优秀，张三:合格；李四:基本合格', [{ target: 'committee', grade: 'excellent' }, { target: { name: '张三' }, grade: 'qualified' }, { target: { name: '李四' }, grade: 'basically_qualified' }]],
    ['张三 合格 工作表现优秀', [{ target: { name: '张三' }, grade: 'qualified', comment: '工作表现优秀' }]],
  ])('%s', (text, entries) => expect(parseBallot(tokens(text))).toEqual({ ok: true, entries }));

  it.each([
    ['优秀', 'ballot.targetMissing'],
    ['张三', 'ballot.gradeMissing'],
    ['张三 良好', 'ballot.gradeUnknown'],
    ['张三 合格 @李四', 'ballot.gradeMissing'],
    ['意见 很好', 'ballot.commentFirst'],
    ['张三 合格 意见', 'ballot.commentEmpty'],
    [`张三 合格 ${'很'.repeat(301)}`, 'ballot.commentTooLong'],
  ])('%s → %s', (text, key) => {
    const r = parseBallot(tokens(text));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.key).toBe(key);
  });

  it('with the roster, splits a glued grade after a name on it, and does not answer an unknown word as a name', () => {
    const known = { names: ['张三', '李四'], hint: { sample: ['李四'] } };
    expect(parseBallot(tokens('张三 合格 李四优秀'), known)).toEqual({ ok: true, entries: [{ target: { name: '张三' }, grade: 'qualified' }, { target: { name: '李四' }, grade: 'excellent' }] });
    expect(parseBallot(tokens('撤回'), known)).toMatchObject({ ok: false, error: { key: 'ballot.unknownWord', params: { typed: '撤回' } } });
    expect(parseBallot(tokens('张三'), known)).toMatchObject({ ok: false, error: { key: 'ballot.gradeMissing', params: { target: '张三' } } });
  });

  it('keeps a ballot typed in a group a command, so the handler can refuse it without quoting it', () => {
    expect(parse('/测评 张三 很差劲')).toMatchObject({ kind: 'appraisal.vote' });
    expect(parse('/测评张三优秀')).toMatchObject({ kind: 'appraisal.vote' });
    expect(parse('/自评我有差距')).toEqual({ kind: 'appraisal.self', content: '我有差距' });
  });
});
