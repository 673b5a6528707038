import { describe, expect, it } from 'vitest';
import { reminderText } from '../../src/text/reminders.js';

/** A digest's last line tells how to record what its lines ask for: each command once, in order. */
describe('the digest footer', () => {
  it.each([
    [['plan', 'notice'], '完成后请登记：/完成 <环节>；查看全部：/进度'],
    [['item', 'outlines', 'item'], '完成后请登记：/整改 完成 <编号> <说明>；/提纲 提交；查看全部：/进度'],
    [['grading', 'filing'], '完成后请登记：/评定 @某人 <等次>；/完成 <环节>；查看全部：/进度'],
    [['statement', 'relay', 'commitment'], '完成后请登记：/书面发言 提交；/转告 @缺席人；/承诺 <内容>；查看全部：/进度'],
  ])('%j → %s', (steps, line) => {
    expect(reminderText.footer({ steps })).toBe(line);
  });
});
