import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.js';
import { textOf } from '../../src/text/index.js';

const today = '2026-11-25';

describe('parsing the supervision and paperwork commands', () => {
  it.each([
    ['/汇总', { kind: 'summary' }],
    ['/汇总 逾期', { kind: 'summary', overdueOnly: true }],
    ['／汇总　区教育局党组', { kind: 'summary', unit: '区教育局党组' }],
    ['/部署 民主生活会 深入学习 贯彻 截止 2027-01-31', { kind: 'campaign.deploy', meetingKind: 'democratic_life', theme: '深入学习 贯彻', end: '2027-01-31' }],
    ['/部署 组织生活会 对照党章 截止1月20日 方案提前20 通知提前 12天 报告期限 10', {
      kind: 'campaign.deploy', meetingKind: 'org_life', theme: '对照党章', end: '2027-01-20', planBefore: 20, noticeBefore: 12, reportWithin: 10,
    }],
    ['/部署 民主生活会 截止 2027-01-31', { kind: 'invalid', key: 'command.usage', params: { command: '部署' } }],
    ['/部署 民主生活会 主题', { kind: 'invalid', key: 'command.usage', params: { command: '部署' } }],
    ['/部署 年会 主题 截止 2027-01-31', { kind: 'invalid', key: 'command.usage', params: { command: '部署' } }],
    ['/部署 民主生活会 主题 截止 2027-02-30', { kind: 'invalid', key: 'date.impossible' }],
    ['/部署 民主生活会 主题 截止 2027-01-31 方案提前 100', { kind: 'invalid', key: 'campaign.badDays', params: { typed: '100', word: '方案提前' } }],
    // A date without 截止 is not taken into the theme.
    ['/部署 民主生活会 学习贯彻 2027-01-31', { kind: 'invalid', key: 'campaign.dateWithoutDeadline', params: { kind: 'democratic_life', theme: '学习贯彻', date: '2027-01-31' } }],
    ['/部署 民主生活会 学习贯彻 2027-01-31 截止 2027-02-01', { kind: 'invalid', key: 'campaign.dateWithoutDeadline' }],
    ['/设置', { kind: 'settings.show' }],
    ['/设置 方案提前 20', { kind: 'settings.set', key: 'plan', days: 20 }],
    ['/设置 通知提前12天', { kind: 'settings.set', key: 'notice', days: 12 }],
    ['/设置 报告期限 默认', { kind: 'settings.set', key: 'report', days: null }],
    ['/设置 方案提前 很久', { kind: 'invalid', key: 'settings.badDays', params: { typed: '很久' } }],
    ['/设置 颜色 红', { kind: 'invalid', key: 'command.usage', params: { command: '设置' } }],
    ['/报告 草稿', { kind: 'paper.report' }],
    ['/报告', { kind: 'paper.report' }],
    ['/通报 草稿', { kind: 'paper.inform' }],
    ['/通报 发送', { kind: 'invalid', key: 'command.usage', params: { command: '通报' } }],
    ['/归档', { kind: 'archive.show' }],
    ['/归档 会议方案 已归档', { kind: 'archive.mark', material: 'plan' }],
    ['/归档 上次整改情况通报已归档', { kind: 'archive.mark', material: 'last_rectify_report' }],
    ['/归档 综合情况报告', { kind: 'archive.mark', material: 'report' }],
    ['/归档 照片 已归档', { kind: 'invalid', key: 'archive.unknownMaterial', params: { typed: '照片' } }],
  ])('%s', (text, want) => expect(parseCommand(text, today)).toMatchObject(want));

  it('suggests the command for a glued typo', () => {
    expect(parseCommand('/汇总逾期', today)).toMatchObject({ kind: 'invalid', key: 'command.unknown', params: { nearest: '/汇总 逾期' } });
  });

  /** The reply a user sees for a refused /部署, and the example command it offers. */
  const refusal = (text: string, on = today) => {
    const r = parseCommand(text, on);
    if (r.kind !== 'invalid') throw new Error(`accepted: ${text}`);
    return textOf(r.key, r.params);
  };
  const exampleOf = (reply: string) => /例如：(\/部署 .*)$/.exec(reply)?.[1];

  it.each([
    ['/部署 民主生活会 学习贯彻 2027-01-31', '日期前面请写“截止”，例如：/部署 民主生活会 学习贯彻 截止 2027-01-31'],
    ['/部署 组织生活会 对照 党章 1月20日 方案提前 20', '日期前面请写“截止”，例如：/部署 组织生活会 对照 党章 截止 1月20日'],
    ['/部署 组织生活会 对照党章 2027-02-30', '日期前面请写“截止”，例如：/部署 组织生活会 对照党章 截止 2027-01-24'],
    ['/部署 组织生活会 对照党章 昨天', '日期前面请写“截止”，例如：/部署 组织生活会 对照党章 截止 2027-01-24'],
  ])('%s is refused with an example the bot accepts', (text, want) => {
    const reply = refusal(text);
    expect(reply).toBe(want);
    expect(parseCommand(exampleOf(reply)!, today)).toMatchObject({ kind: 'campaign.deploy' });
  });

  it('a missing day count names the word it belongs to', () => {
    expect(refusal('/部署 组织生活会 对照党章 截止 2027-01-31 方案提前')).toBe('“方案提前”后面请写天数（0 到 90 的整数），例如：方案提前 15');
  });

  it('every date example of an unreadable 截止 is accepted, even late in the year', () => {
    for (const on of [today, '2026-12-29']) {
      const reply = refusal('/部署 组织生活会 对照党章 截止 后年', on);
      const examples = /请写成 (\S+)、(\S+) 或 (\S+)。/.exec(reply)!.slice(1);
      for (const date of examples) expect(parseCommand(`/部署 组织生活会 对照党章 截止 ${date}`, on)).toMatchObject({ kind: 'campaign.deploy' });
    }
  });
});
