import { describe, expect, it } from 'vitest';
import { renderWecomMarkdown, utf8Bytes, WECOM_MARKDOWN_MAX_BYTES } from '../../../src/bot/wecom/render.js';
import type { MentionRef } from '../../../src/messages.js';

const zhang: MentionRef = { personId: 1, name: '张三', userId: 'zhangsan' };
const zhangSanFeng: MentionRef = { personId: 2, name: '张三丰', userId: 'zhangsanfeng' };
const noId: MentionRef = { personId: 3, name: '李四' };

describe(renderWecomMarkdown.name, () => {
  it('bolds the title and keeps the lines', () => {
    expect(renderWecomMarkdown({ text: '会前提醒\n第一项\n第二项', mentions: [] }, { maxBytes: 4096 }))
      .toEqual(['**会前提醒**\n第一项\n第二项']);
  });

  it('replaces @姓名 with <@userid> when the userid is known, longest name first', () => {
    const [out] = renderWecomMarkdown(
      { text: '催办\n@张三丰 请提交对照检查材料\n@张三 请提交发言提纲\n@李四 请确认', mentions: [zhang, zhangSanFeng, noId] },
      { maxBytes: 4096 },
    );
    expect(out).toBe('**催办**\n<@zhangsanfeng> 请提交对照检查材料\n<@zhangsan> 请提交发言提纲\n@李四 请确认');
  });

  it('appends mentions with a userid that the text does not name, once each', () => {
    const [out] = renderWecomMarkdown({ text: '整改台账已更新', mentions: [zhang, zhang, noId] }, { maxBytes: 4096 });
    expect(out).toBe('**整改台账已更新**\n<@zhangsan>');
  });

  it('turns plain angle brackets into full-width ones so WeCom does not read them as markup', () => {
    expect(renderWecomMarkdown({ text: '用法\n/请假 <原因> @张三', mentions: [zhang] }, { maxBytes: 4096 }))
      .toEqual(['**用法**\n/请假 ＜原因＞ <@zhangsan>']);
  });

  it('renders a mention in the title line', () => {
    expect(renderWecomMarkdown({ text: '@张三 的请假已批准', mentions: [zhang] }, { maxBytes: 4096 }))
      .toEqual(['**<@zhangsan> 的请假已批准**']);
  });

  it('drops trailing blank lines and renders an empty text to no message', () => {
    expect(renderWecomMarkdown({ text: '标题\n正文\n\n', mentions: [] }, { maxBytes: 4096 })).toEqual(['**标题**\n正文']);
    expect(renderWecomMarkdown({ text: '', mentions: [] }, { maxBytes: 4096 })).toEqual([]);
  });

  it('splits at line boundaries, every part within the byte limit, later parts titled 续', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${i + 1}. 第${i + 1}项整改措施：完善制度，落实责任。`);
    const parts = renderWecomMarkdown({ text: ['整改台账', ...lines].join('\n'), mentions: [] },
      { maxBytes: WECOM_MARKDOWN_MAX_BYTES });
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) expect(utf8Bytes(part)).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES);
    expect(parts[0]?.startsWith('**整改台账**\n1. ')).toBe(true);
    for (const part of parts.slice(1)) expect(part.startsWith('**整改台账（续）**\n')).toBe(true);
    // Every original line appears whole, exactly once, in order.
    const body = parts.flatMap((p) => p.split('\n').slice(1));
    expect(body).toEqual(lines);
  });

  it('cuts a single overlong line by bytes without splitting a character or a <@id>', () => {
    const long = `${'民主生活会'.repeat(40)}@张三${'对照检查'.repeat(40)}`;
    const parts = renderWecomMarkdown({ text: `标题\n${long}`, mentions: [zhang] }, { maxBytes: 200 });
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(utf8Bytes(part)).toBeLessThanOrEqual(200);
    const joined = parts.map((p, i) => (i === 0 ? p.replace('**标题**\n', '') : p.replace('**标题（续）**\n', ''))).join('');
    expect(joined).toBe(long.replace('@张三', '<@zhangsan>'));
    expect(parts.join('')).not.toMatch(/�/);
  });
});
