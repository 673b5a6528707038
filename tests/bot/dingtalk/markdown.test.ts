import { describe, expect, it } from 'vitest';
import { chunkMessage, dingTalkLimits, paramBytes, renderChunk } from '../../../src/bot/dingtalk/markdown.js';
import type { MentionRef, OutgoingMessage } from '../../../src/messages.js';

const zhang: MentionRef = { personId: 1, name: '张三', userId: 'zhangsan01' };
const zhangSanfeng: MentionRef = { personId: 2, name: '张三丰', userId: 'zsf01' };
const li: MentionRef = { personId: 3, name: '李四' }; // no DingTalk id known
const wang: MentionRef = { personId: 4, name: '王五', mobile: '13800000000' };

const message = (text: string, mentions: MentionRef[] = []): OutgoingMessage => ({ text, mentions });
const render = (m: OutgoingMessage, style: 'at' | 'name') => chunkMessage(m, '生活会助手').map((c) => renderChunk(c, m.mentions, style));

describe(renderChunk.name, () => {
  it('makes the first line the title and a heading, one paragraph per line', () => {
    expect(render(message('整改进度\n1. 门禁系统 已完成\n\n2. 值班制度 进行中'), 'at')).toEqual([
      { title: '整改进度', text: '#### 整改进度\n\n1. 门禁系统 已完成\n\n2. 值班制度 进行中', atUserIds: [], atMobiles: [] },
    ]);
  });

  it('sends a one-line reply as it is', () => {
    expect(render(message('已记录张三的请假。'), 'at')[0]).toMatchObject({ title: '已记录张三的请假。', text: '已记录张三的请假。' });
  });

  it('turns @姓名 into @userId and lists the id in at, so that DingTalk renders a real @', () => {
    const [part] = render(message('发言材料提醒\n@张三 @张三丰 请于12月5日前提交发言提纲', [zhang, zhangSanfeng]), 'at');
    expect(part?.text).toBe('#### 发言材料提醒\n\n@zhangsan01 @zsf01 请于12月5日前提交发言提纲');
    expect(part?.atUserIds).toEqual(['zhangsan01', 'zsf01']);
  });

  it('uses the mobile when no user id is known, and leaves the name when neither is', () => {
    const [part] = render(message('提醒\n@王五 @李四 请确认参会', [wang, li]), 'at');
    expect(part?.text).toBe('#### 提醒\n\n@13800000000 @李四 请确认参会');
    expect(part).toMatchObject({ atUserIds: [], atMobiles: ['13800000000'] });
  });

  it('keeps names readable for the OpenAPI, which cannot @', () => {
    const [part] = render(message('提醒\n@张三 请提交', [zhang]), 'name');
    expect(part).toMatchObject({ text: '#### 提醒\n\n@张三 请提交', atUserIds: [] });
  });

  it('adds people who are mentioned but not named in the text at the end', () => {
    const [part] = render(message('会议通知\n12月10日召开民主生活会', [zhang]), 'at');
    expect(part?.text).toBe('#### 会议通知\n\n12月10日召开民主生活会\n\n@zhangsan01');
    expect(part?.atUserIds).toEqual(['zhangsan01']);
  });
});

describe(chunkMessage.name, () => {
  const longList = ['整改清单', ...Array.from({ length: 300 }, (_, i) => `${i + 1}. 第${i + 1}项整改措施：完善制度、明确责任人 @张三，限期完成并报党委备案。`)].join('\n');

  it('splits a long message at line boundaries, each part within both limits and titled (i/n)', () => {
    const m = message(longList, [zhang]);
    const chunks = chunkMessage(m, '生活会助手');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.title)).toEqual(chunks.map((_, i) => `整改清单（${i + 1}/${chunks.length}）`));
    expect(chunks.flatMap((c) => c.lines)).toEqual(longList.split('\n').slice(1)); // nothing lost, nothing cut
    for (const c of chunks) {
      const at = renderChunk(c, m.mentions, 'at');
      const byName = renderChunk(c, m.mentions, 'name');
      expect(at.text.length).toBeLessThanOrEqual(dingTalkLimits.maxTextChars);
      expect(paramBytes(byName)).toBeLessThanOrEqual(dingTalkLimits.maxParamBytes);
      expect(at.atUserIds).toEqual(['zhangsan01']);
    }
  });

  it('respects the byte limit of msgParam for CJK text', () => {
    const limits = { maxTextChars: 4000, maxParamBytes: 3000 };
    const chunks = chunkMessage(message(longList), '生活会助手', limits);
    for (const c of chunks) expect(paramBytes(renderChunk(c, [], 'name'))).toBeLessThanOrEqual(3000);
  });

  it('cuts a single over-long line into pieces without losing characters', () => {
    const line = '党'.repeat(9000);
    const chunks = chunkMessage(message(`标题\n${line}`), '生活会助手');
    expect(chunks.flatMap((c) => c.lines).join('')).toBe(line);
    for (const c of chunks) expect(renderChunk(c, [], 'at').text.length).toBeLessThanOrEqual(4000);
  });

  it('uses the fallback title when the first line is empty', () => {
    expect(chunkMessage(message('\n内容'), '生活会助手')[0]?.title).toBe('生活会助手');
  });
});
