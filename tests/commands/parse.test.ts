import { describe, expect, it } from 'vitest';
import { nearestCommand, normalize, parseCommand } from '../../src/commands/parse.js';
import { USAGE } from '../../src/text/help.js';

// "Today" for every row: 2026-12-01. Dates without a year are the next such date on or after it.
const today = '2026-12-01';
const parse = (text: string) => parseCommand(text, today, { addressed: true });

describe(`${parseCommand.name}: every documented form`, () => {
  it.each([
    // /帮助
    ['/帮助', { kind: 'help' }],
    ['/帮助 整改', { kind: 'help', topic: '整改' }],
    ['/帮助 /整改', { kind: 'help', topic: '整改' }],
    ['/help', { kind: 'help' }],
    ['/', { kind: 'help' }],
    // /单位
    ['/单位 设置 区教育局党组', { kind: 'unit.set', name: '区教育局党组' }],
    ['/单位 设置 区教育局党组 上级 区委组织部', { kind: 'unit.set', name: '区教育局党组', parent: '区委组织部' }],
    // /成员
    ['/成员 添加 @张三 班子成员', { kind: 'member.add', who: [{ name: '张三' }], role: 'member' }],
    ['/成员 添加 @张三 @李四 班子成员', { kind: 'member.add', who: [{ name: '张三' }, { name: '李四' }], role: 'member' }],
    ['/成员 添加 @张三@李四 支委', { kind: 'member.add', who: [{ name: '张三' }, { name: '李四' }], role: 'member' }],
    ['/成员 添加 @王书记 主要负责人', { kind: 'member.add', role: 'principal' }],
    ['/成员 添加 @孙书记 支部书记', { kind: 'member.add', role: 'principal' }],
    ['/成员 添加 @郑党员 党员', { kind: 'member.add', role: 'party_member' }],
    ['/成员 添加 @陈预备 预备党员', { kind: 'member.add', role: 'probationary' }],
    ['/成员 添加 @黄主任 列席', { kind: 'member.add', role: 'attendee' }],
    ['/成员 添加 @刘联络员 联络员', { kind: 'member.add', role: 'operator' }],
    ['/成员 添加 @周组织员 组织员', { kind: 'member.add', role: 'operator' }],
    ['/成员 添加 @陈部长 上级', { kind: 'member.add', role: 'supervisor' }],
    ['/成员 移除 @张三', { kind: 'member.remove', who: [{ name: '张三' }] }],
    ['/成员 移除 @张三 联络员', { kind: 'member.remove', who: [{ name: '张三' }], role: 'operator' }],
    ['/成员 列表', { kind: 'member.list' }],
    ['/成员', { kind: 'member.list' }],
    ['/成员 确认 张三', { kind: 'member.confirm', who: { name: '张三' } }],
    ['/成员 确认 @张三', { kind: 'member.confirm', who: { name: '张三' } }],
    ['/我是 张三', { kind: 'iam', name: '张三' }],
    // /会议
    ['/会议 新建 民主生活会 2026-12-28 加强党性修养', { kind: 'meeting.create', meetingKind: 'democratic_life', date: '2026-12-28', topic: '加强党性修养' }],
    ['/会议 新建 组织生活会 12月20日', { kind: 'meeting.create', meetingKind: 'org_life', date: '2026-12-20' }],
    ['/会议 新建 民主生活会 2026/12/28', { kind: 'meeting.create', date: '2026-12-28' }],
    ['/会议 新建 民主生活会 12-28', { kind: 'meeting.create', date: '2026-12-28' }],
    ['/会议 新建 民主生活会 2026年12月28日', { kind: 'meeting.create', date: '2026-12-28' }],
    ['/会议 新建 民主生活会 明天', { kind: 'meeting.create', date: '2026-12-02' }],
    ['/会议 新建 民主生活会 后天', { kind: 'meeting.create', date: '2026-12-03' }],
    ['/会议 新建 领导班子民主生活会 2026-12-28', { kind: 'meeting.create', meetingKind: 'democratic_life' }],
    ['/会议 新建 党支部组织生活会 2026-12-28', { kind: 'meeting.create', meetingKind: 'org_life' }],
    ['/会议 改期 2027-01-05 上级集中培训', { kind: 'meeting.reschedule', date: '2027-01-05', reason: '上级集中培训' }],
    ['/会议 改期 1月5日', { kind: 'meeting.reschedule', date: '2027-01-05' }],
    ['/会议 取消', { kind: 'meeting.cancel' }],
    ['/会议 取消 并入年度会议', { kind: 'meeting.cancel', reason: '并入年度会议' }],
    ['/会议 召开', { kind: 'meeting.hold' }],
    // Recorded late: the day it was held (a date without a year is the last such day).
    ['/会议 召开 昨天', { kind: 'meeting.hold', date: '2026-11-30' }],
    ['/会议 召开 11月30日', { kind: 'meeting.hold', date: '2026-11-30' }],
    ['/会议 主题 深入学习贯彻党的创新理论', { kind: 'meeting.topic', topic: '深入学习贯彻党的创新理论' }],
    // /进度 /完成
    ['/进度', { kind: 'progress' }],
    ['/完成 方案 已报区委组织部审核', { kind: 'step.done', step: 'plan', note: '已报区委组织部审核' }],
    ['/完成 通知', { kind: 'step.done', step: 'notice' }],
    ['/完成 撤销 通知', { kind: 'step.undo', step: 'notice' }],
    ['/完成 学习', { kind: 'step.done', step: 'study' }],
    ['/完成 征求意见', { kind: 'step.done', step: 'opinions' }],
    ['/完成 对照检查', { kind: 'step.done', step: 'inspection' }],
    ['/完成 报告', { kind: 'step.done', step: 'report' }],
    ['/完成 整改清单', { kind: 'step.done', step: 'rectify_list' }],
    ['/完成 通报', { kind: 'step.done', step: 'inform' }],
    ['/完成 支委会', { kind: 'step.done', step: 'committee_meeting' }],
    ['/完成 评定', { kind: 'step.done', step: 'grading' }],
    ['/完成 备案', { kind: 'step.done', step: 'filing' }],
    // /谈心
    ['/谈心 @张三 12月1日 面谈', { kind: 'talk.log', with: [{ name: '张三' }], date: '2026-12-01', mode: 'in_person' }],
    ['/谈心 @张三', { kind: 'talk.log', with: [{ name: '张三' }], mode: 'in_person' }],
    ['/谈心 @张三 电话', { kind: 'talk.log', mode: 'phone' }],
    ['/谈心 @张三 网络', { kind: 'talk.log', mode: 'online' }],
    ['/谈心 @陈预备 上门 身体不便', { kind: 'talk.log', mode: 'home_visit', note: '身体不便' }],
    ['/谈心 @张三 2026-11-30 面谈 谈到分管工作', { kind: 'talk.log', date: '2026-11-30', mode: 'in_person', note: '谈到分管工作' }],
    ['/谈心 @钱委员 @吴委员 面谈', { kind: 'talk.log', with: [{ name: '钱委员' }, { name: '吴委员' }] }],
    ['/谈心 情况', { kind: 'talk.status' }],
    // /提纲
    ['/提纲 提交', { kind: 'outline.submit' }],
    ['/提纲 提交 @张三', { kind: 'outline.submit', who: { name: '张三' } }],
    ['/提纲 审核 @张三', { kind: 'outline.review', who: { name: '张三' } }],
    ['/提纲 情况', { kind: 'outline.status' }],
    ['/提纲', { kind: 'outline.status' }],
    // /请假 /批准 /驳回 /书面发言 /转告
    ['/请假 外出参加培训', { kind: 'leave.request', reason: '外出参加培训' }],
    ['/请假 外出 参加 省委党校培训', { kind: 'leave.request', reason: '外出 参加 省委党校培训' }],
    ['/请假 列表', { kind: 'leave.list' }],
    ['/批准 @张三', { kind: 'leave.approve', who: { name: '张三' } }],
    ['/驳回 @张三 会议不宜缺席', { kind: 'leave.reject', who: { name: '张三' }, reason: '会议不宜缺席' }],
    ['/驳回 @张三', { kind: 'leave.reject', who: { name: '张三' } }],
    ['/书面发言 提交', { kind: 'statement.submit' }],
    ['/书面发言 提交 @张三', { kind: 'statement.submit', who: { name: '张三' } }],
    ['/转告 @张三', { kind: 'relay', who: { name: '张三' } }],
    // /整改
    ['/整改 新增 @张三 完善请销假制度 截止 2026-12-31', { kind: 'rectify.add', owners: [{ name: '张三' }], content: '完善请销假制度', deadline: '2026-12-31', itemKind: 'fixed' }],
    ['/整改 新增 @张三 完善请销假制度 截止2026-12-31', { kind: 'rectify.add', deadline: '2026-12-31', itemKind: 'fixed' }],
    ['/整改 新增 @张三 完善请销假制度 截止 12月31日 限期整改', { kind: 'rectify.add', deadline: '2026-12-31', itemKind: 'fixed' }],
    ['/整改 新增 @李四 清理办公用房 立行立改', { kind: 'rectify.add', content: '清理办公用房', itemKind: 'immediate' }],
    ['/整改 新增 @李四 清理办公用房', { kind: 'rectify.add', itemKind: 'immediate' }],
    ['/整改 新增 @张三 @赵敏 协调解决食堂问题 需协调 牵头 区财政局 截止 2027-03-31',
      { kind: 'rectify.add', owners: [{ name: '张三' }, { name: '赵敏' }], content: '协调解决食堂问题', itemKind: 'coordinate', leadUnit: '区财政局', deadline: '2027-03-31' }],
    ['/整改 完成 3 已更换门禁', { kind: 'rectify.complete', no: 3, note: '已更换门禁' }],
    ['/整改 完成 3 已修订 并印发', { kind: 'rectify.complete', no: 3, note: '已修订 并印发' }],
    ['/整改 完成 第3号 已更换门禁', { kind: 'rectify.complete', no: 3 }],
    ['/整改 完成 #3 已更换门禁', { kind: 'rectify.complete', no: 3 }],
    ['/整改 延期 3 2027-01-31 需上级协调', { kind: 'rectify.extend', no: 3, date: '2027-01-31', reason: '需上级协调' }],
    ['/整改 核实 3', { kind: 'rectify.verify', no: 3 }],
    ['/整改 查看 3', { kind: 'rectify.show', no: 3 }],
    ['/整改 列表', { kind: 'rectify.list' }],
    ['/整改', { kind: 'rectify.list' }],
    ['/整改 我的', { kind: 'rectify.list', mine: true }],
    ['/整改 逾期', { kind: 'rectify.overdue' }],
  ])('%s', (text, want) => {
    expect(parse(text)).toMatchObject(want);
  });

  it('covers every command word of the /帮助 usage table', () => {
    for (const [command, usage] of Object.entries(USAGE)) {
      const parsed = parse(usage.example);
      expect(parsed.kind, `${command}: ${usage.example}`).not.toBe('invalid');
      expect(parsed.kind, `${command}: ${usage.example}`).not.toBe('none');
    }
  });

  it('keeps what the user wrote in free text (reasons, notes, topics) apart from the words around it', () => {
    expect(parse('/请假 外出参加培训')).not.toHaveProperty('who');
    expect(parse('/谈心 @张三 面谈')).not.toHaveProperty('note');
    expect(parse('/整改 新增 @李四 清理办公用房')).not.toHaveProperty('deadline');
    expect(parse('/会议 新建 民主生活会 2026-12-28')).not.toHaveProperty('topic');
  });
});

describe(`${parseCommand.name}: what people type on phones`, () => {
  it.each([
    ['／整改　完成  3 已更换门禁', { kind: 'rectify.complete', no: 3, note: '已更换门禁' }], // full-width slash, U+3000, two spaces
    ['/整改\u2005完成\u20053\u2005已更换门禁', { kind: 'rectify.complete', no: 3, note: '已更换门禁' }], // U+2005 (WeCom after @)
    ['/整改\u00a0完成 3 已更换门禁', { kind: 'rectify.complete', no: 3 }], // NBSP
    ['/整改 完成 ３ 已更换门禁', { kind: 'rectify.complete', no: 3 }], // full-width digit
    ['   /进度   ', { kind: 'progress' }],
    ['/进度\n', { kind: 'progress' }],
    ['\u200b/进度', { kind: 'progress' }], // zero-width space pasted in front
    ['@生活会助手 /进度', { kind: 'progress' }],
    ['@生活会助手\u2005/进度', { kind: 'progress' }],
    ['@生活会助手　/整改 完成 3 已更换门禁', { kind: 'rectify.complete', no: 3 }],
    ['/谈心 ＠张三 面谈', { kind: 'talk.log', with: [{ name: '张三' }] }],
    ['/谈心 @张三\u2005面谈', { kind: 'talk.log', with: [{ name: '张三' }], mode: 'in_person' }],
    ['/谈心 @张三，@李四 电话', { kind: 'talk.log', with: [{ name: '张三' }, { name: '李四' }], mode: 'phone' }],
    ['/请假：外出参加培训', { kind: 'leave.request', reason: '外出参加培训' }], // full-width colon after the command
    ['/请假: 外出参加培训', { kind: 'leave.request', reason: '外出参加培训' }],
    ['/会议 新建 民主生活会 ２０２６-１２-２８', { kind: 'meeting.create', date: '2026-12-28' }],
    ['进度', { kind: 'progress' }], // addressed (private chat or @bot): the slash may be left out
    ['整改 完成 3 已更换门禁', { kind: 'rectify.complete', no: 3 }],
    ['/会议 改期 ２０２６－１２－２８', { kind: 'meeting.reschedule', date: '2026-12-28' }], // full-width hyphen
    ['/会议 改期 12月28日。', { kind: 'meeting.reschedule', date: '2026-12-28' }], // a full stop typed after the date
    ['/批准@张三', { kind: 'leave.approve', who: { name: '张三' } }], // @ glued to the command
    ['/谈心@张三 面谈', { kind: 'talk.log', with: [{ name: '张三' }] }],
    ['/提纲 审核@张三', { kind: 'outline.review', who: { name: '张三' } }], // … or to the sub-command
    ['/完成 方案。', { kind: 'step.done', step: 'plan' }],
    ['/问题清单 提交', { kind: 'outline.submit' }], // a 组织生活会's outline by its own name
    ['/个人问题清单 提交', { kind: 'outline.submit' }],
    ['/完成 问题清单', { kind: 'step.done', step: 'outlines' }], // answered with how to hand it in, never another step
    ['/完成 方案，已报区委组织部', { kind: 'step.done', step: 'plan', note: '已报区委组织部' }],
    ['/谈心 @张三 电话 11月30日', { kind: 'talk.log', mode: 'phone', date: '2026-11-30' }], // the date after the way
    ['/整改 新增 @李四 @李四 完善制度 截止 2027-01-31', { kind: 'rectify.add', owners: [{ name: '李四' }], content: '完善制度' }], // an owner named twice
  ])('%j', (text, want) => {
    expect(parse(text)).toMatchObject(want);
  });

  it('normalizes once: full-width signs, odd spaces and a leading @bot', () => {
    expect(normalize('＠生活会助手\u2005／整改　完成　３')).toBe('/整改 完成 3');
  });

  it('stays silent on group chatter not addressed to the bot', () => {
    expect(parseCommand('今天下午开会吗', today)).toEqual({ kind: 'none' });
    expect(parseCommand('进度怎么样了', today)).toEqual({ kind: 'none' });
    expect(parseCommand('', today)).toEqual({ kind: 'none' });
  });

  it('answers an empty @bot with help and addressed chatter with a pointer to /帮助', () => {
    expect(parse('@生活会助手')).toEqual({ kind: 'help' });
    expect(parse('')).toEqual({ kind: 'help' });
    expect(parse('你好')).toMatchObject({ kind: 'invalid', key: 'command.notCommand' });
  });
});

describe(`${parseCommand.name}: errors say what to type instead`, () => {
  it.each([
    // unknown commands, with the nearest one
    ['/整改完成 3', 'command.unknown', { typed: '/整改完成', nearest: '/整改 完成' }],
    ['/会议新建 民主生活会 12-28', 'command.unknown', { typed: '/会议新建', nearest: '/会议 新建' }],
    ['/进度查询', 'command.unknown', { typed: '/进度查询', nearest: '/进度' }],
    ['/新增 @张三 x', 'command.unknown', { nearest: '/整改 新增' }],
    ['/方案', 'command.unknown', { nearest: '/完成 方案' }],
    ['/吃饭', 'command.unknown', { typed: '/吃饭' }],
    // usage errors
    ['/单位', 'command.usage', { command: '单位' }],
    ['/单位 设置', 'command.usage', { command: '单位' }],
    ['/单位 设置 区教育局党组 上级', 'command.usage', { command: '单位' }],
    ['/成员 添加 张三 班子成员', 'member.mentionNeeded', { example: '/成员 添加 @张三 班子成员' }],
    ['/成员 添加 张三 李四 班子 成员', 'member.mentionNeeded', { example: '/成员 添加 @张三 @李四 班子成员' }],
    ['/成员 添加 张三', 'command.usage', { command: '成员' }],
    ['/成员 添加 张三 局长', 'command.usage', { command: '成员' }],
    ['/成员 移除 张三', 'member.mentionNeeded', { example: '/成员 移除 @张三' }],
    ['/成员 移除 张三 班子成员', 'member.mentionNeeded', { example: '/成员 移除 @张三 班子成员' }],
    ['/成员 添加 李四 预备 党员', 'member.mentionNeeded', { example: '/成员 添加 @李四 预备党员' }],
    ['/成员 移除 @张三 多余', 'command.usage', { command: '成员' }],
    ['/成员 确认', 'command.usage', { command: '成员' }],
    ['/成员 查看', 'command.usage', { command: '成员' }],
    ['/我是', 'command.usage', { command: '我是' }],
    ['/我是 @张三', 'command.usage', { command: '我是' }],
    ['/会议', 'command.usage', { command: '会议' }],
    ['/会议 新建 民主生活会', 'command.usage', { command: '会议' }],
    ['/会议 新建 团委会 2026-12-28', 'command.usage', { command: '会议' }],
    ['/会议 改期', 'command.usage', { command: '会议' }],
    ['/会议 召开 很成功', 'command.usage', { command: '会议', sub: '召开' }],
    // /提醒: each mistake names the range of that setting and its own example.
    ['/提醒 提前 100', 'remind.badBefore', { typed: '100' }],
    ['/提醒 升级 5', 'remind.badEscalate', { typed: '5' }],
    ['/提醒 升级 0 0', 'remind.badEscalate', { typed: '0 0' }],
    ['/提醒 时间', 'remind.badHour', { typed: '' }],
    // A deadline typed without “截止” is asked about, with the command to type.
    ['/整改 新增 @李四 完善制度 2027-01-31', 'rectify.dateWithoutDeadline', { typed: '2027-01-31', example: '/整改 新增 @李四 完善制度 截止 2027-01-31' }],
    ['/整改 新增 @李四 完善制度 到 1月31日', 'rectify.dateWithoutDeadline', { typed: '1月31日', example: '/整改 新增 @李四 完善制度 截止 1月31日' }],
    ['/会议 主题', 'command.usage', { command: '会议' }],
    ['/完成', 'command.usage', { command: '完成' }],
    ['/谈心', 'command.usage', { command: '谈心' }],
    ['/谈心 张三 面谈', 'command.usage', { command: '谈心' }],
    ['/谈心 情况 多余', 'command.usage', { command: '谈心' }],
    ['/提纲 审核', 'command.usage', { command: '提纲' }],
    ['/提纲 提交 多余', 'command.usage', { command: '提纲' }],
    ['/批准', 'command.usage', { command: '批准' }],
    ['/批准 @张三 @李四', 'command.usage', { command: '批准' }],
    ['/驳回', 'command.usage', { command: '驳回' }],
    ['/书面发言', 'command.usage', { command: '书面发言' }],
    ['/转告', 'command.usage', { command: '转告' }],
    ['/整改 新增 张三 完善制度', 'command.usage', { command: '整改' }],
    ['/整改 延期 3', 'command.usage', { command: '整改' }],
    ['/整改 核实 3 多余', 'command.usage', { command: '整改' }],
    ['/整改 修改 3', 'command.usage', { command: '整改' }],
    ['/整改 完成', 'command.usage', { command: '整改' }],
    // bad item numbers
    ['/整改 完成 三 已完成', 'rectify.itemNoNotNumber', { typed: '三' }],
    ['/整改 完成 3.5 已完成', 'rectify.itemNoNotNumber', { typed: '3.5' }],
    ['/整改 核实 -1', 'rectify.itemNoNotNumber', { typed: '-1' }],
    ['/整改 查看 一号', 'rectify.itemNoNotNumber', { typed: '一号' }],
    // impossible and unreadable dates
    ['/会议 新建 民主生活会 2026-02-30', 'date.impossible', { typed: '2026-02-30', command: '会议' }],
    ['/会议 新建 民主生活会 2月30日', 'date.impossible', { typed: '2月30日' }],
    ['/会议 改期 2027-02-29', 'date.impossible', { typed: '2027-02-29' }],
    ['/会议 新建 民主生活会 下周一', 'date.format', { typed: '下周一', command: '会议' }],
    ['/整改 延期 3 2027-02-30 理由', 'date.impossible', { typed: '2027-02-30', command: '整改' }],
    ['/整改 新增 @张三 完善制度 截止 2026-02-30', 'date.impossible', { typed: '2026-02-30' }],
    ['/谈心 @张三 2026-02-30 面谈', 'date.impossible', { command: '谈心' }],
    ['/谈心 @张三 明天 面谈', 'talk.dateInFuture', { date: '2026-12-02', name: '张三' }],
    // missing reason, note, content or deadline
    ['/请假', 'leave.reasonRequired', {}],
    ['/整改 完成 3', 'rectify.noteRequired', { no: 3 }],
    ['/整改 延期 3 2027-01-31', 'rectify.reasonRequired', { no: 3 }],
    ['/整改 新增 @张三 完善制度 截止', 'rectify.deadlineMissing', {}],
    ['/整改 新增 @张三 截止 2026-12-31', 'rectify.contentRequired', {}],
    // roles and steps
    ['/成员 添加 @张三 局长', 'member.unknownRole', { typed: '局长' }],
    ['/成员 添加 @张三', 'member.unknownRole', { typed: '' }],
    ['/完成 吃饭', 'step.unknown', { typed: '吃饭' }],
  ])('%s → %s', (text, key, params) => {
    const got = parse(text);
    expect(got).toMatchObject({ kind: 'invalid', key });
    expect((got as { params: object }).params).toMatchObject(params);
  });

  it('refuses a message over 2000 characters', () => {
    expect(parse(`/请假 ${'外'.repeat(2001)}`)).toMatchObject({ kind: 'invalid', key: 'command.tooLong', params: { max: 2000 } });
    expect(parse(`/请假 ${'外'.repeat(1990)}`)).toMatchObject({ kind: 'leave.request' });
  });

  it('gives dates in error examples 30 days after today', () => {
    expect(parse('/会议 新建 民主生活会 2026-02-30')).toMatchObject({ params: { example: '2026-12-31' } });
  });
});

describe(`${parseCommand.name}: the date of a talk (a talk has already happened)`, () => {
  it.each([
    ['/谈心 @张三 11月30日 面谈', '2026-12-01', '2026-11-30'],
    ['/谈心 @张三 11-30 面谈', '2026-12-01', '2026-11-30'],
    ['/谈心 @张三 12月1日 面谈', '2026-12-01', '2026-12-01'],
    ['/谈心 @张三 12月1日 面谈', '2026-12-05', '2026-12-01'], // the /帮助 example still works days later
    ['/谈心 @张三 12月28日 面谈', '2027-01-03', '2026-12-28'], // across the new year
    ['/谈心 @张三 2026-11-30 面谈', '2026-12-01', '2026-11-30'],
    ['/谈心 @张三 昨天 电话', '2026-12-01', '2026-11-30'],
    ['/谈心 @张三 前天 网络', '2026-12-01', '2026-11-29'],
  ])('%s on %s is the talk of %s', (text, on, want) => {
    expect(parseCommand(text, on, { addressed: true })).toMatchObject({ kind: 'talk.log', date: want });
  });

  it.each([
    ['/谈心 @张三 12月2日 面谈', '2026-12-01', '2026-12-02'], // tomorrow, not a year ago
    ['/谈心 @张三 明天 面谈', '2026-12-01', '2026-12-02'],
    ['/谈心 @张三 2027-11-30 面谈', '2026-12-01', '2027-11-30'],
  ])('%s on %s is refused: %s has not come yet', (text, on, date) => {
    expect(parseCommand(text, on, { addressed: true })).toMatchObject({ kind: 'invalid', key: 'talk.dateInFuture', params: { date } });
  });
});

describe(`${parseCommand.name}: words that happen to be JavaScript object keys are just words`, () => {
  it.each([
    ['/成员 添加 @黄主任 constructor', { kind: 'invalid', key: 'member.unknownRole', params: { typed: 'constructor' } }],
    ['/成员 添加 @黄主任 __proto__', { kind: 'invalid', key: 'member.unknownRole' }],
    ['/会议 新建 toString 2026-12-30', { kind: 'invalid', key: 'command.usage' }],
    ['/会议 新建 __proto__ 2026-12-30', { kind: 'invalid', key: 'command.usage' }],
    ['/谈心 @张三 constructor', { kind: 'talk.log', mode: 'in_person', note: 'constructor' }],
    ['/谈心 @张三 hasOwnProperty 面谈', { kind: 'talk.log', note: 'hasOwnProperty 面谈' }],
    ['/整改 新增 @张三 规范 toString 截止 2027-01-31', { kind: 'rectify.add', content: '规范 toString', itemKind: 'fixed' }],
  ])('%s', (text, want) => {
    const got = parse(text);
    expect(got).toMatchObject(want);
    expect(got).not.toHaveProperty('date', expect.stringContaining('NaN'));
  });
});

describe(nearestCommand.name, () => {
  it.each([
    ['整改完成', '/整改 完成'],
    ['整改延期', '/整改 延期'],
    ['请假列表', '/请假 列表'],
    ['进', '/进度'],
    ['核实', '/整改 核实'],
    ['征求意见', '/完成 征求意见'],
    ['吃饭', undefined],
  ])('%s → %s', (typed, want) => {
    expect(nearestCommand(typed)).toBe(want);
  });
});
