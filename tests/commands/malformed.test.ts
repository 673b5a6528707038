import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.js';
import { isTextKey, textOf, type TextKey } from '../../src/text/index.js';
import type { IncomingMessage } from '../../src/messages.js';
import { dialectOf } from '../../src/store/db.js';
import { startChat, type Chat } from '../helpers/chat.js';
import { onPostgres } from '../helpers/pg.js';
import { countRows, snapshotRows, tablesOf } from '../helpers/store.js';
import { HOSTILE, WORDS, randomText, seeded, type Rng } from '../helpers/random.js';
import { aLeadershipTeam } from '../helpers/units.js';

/*
 * Thousands of random and hostile strings, into the parser and into the whole app as an operator,
 * a team member and a stranger in a bound group with a meeting. Reproduce a failure with
 * FUZZ_SEED=<seed> and the index printed in the message.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const MESSAGES = 3000;
const PARSE_ONLY = 6000;

/** Bookkeeping written for every message or recomputed by the scheduler; not a user-visible change. */
const BOOKKEEPING = new Set(['processed_message', 'obligation', 'outbox', 'reminder_log', 'scheduler_state']);

function structured(rng: Rng): string {
  const parts = [rng.pick(WORDS.heads)];
  if (rng.chance(0.8)) parts.push(rng.pick(WORDS.subs));
  const n = rng.int(5);
  for (let i = 0; i < n; i++) {
    const pool = rng.pick([WORDS.mentions, WORDS.numbers, WORDS.dates, WORDS.enums, WORDS.text]);
    parts.push(rng.pick(pool));
  }
  const sep = rng.pick([' ', ' ', ' ', '　', '\u2005', '  ', '']);
  return `${rng.pick(['/', '/', '/', '／', '', '@生活会助手 /'])}${parts.join(sep)}`;
}

function mutate(rng: Rng, text: string): string {
  const chars = [...text];
  const edits = 1 + rng.int(3);
  for (let i = 0; i < edits; i++) {
    const at = rng.int(chars.length + 1);
    switch (rng.int(4)) {
      case 0: chars.splice(at, 1); break;
      case 1: chars.splice(at, 0, randomText(rng, 1 + rng.int(3))); break;
      case 2: chars.splice(at, 1, rng.pick(['：', '／', '　', '@', '"', '\u0000', '1', '三', ' '])); break;
      default: chars.reverse();
    }
  }
  return chars.join('');
}

/** Well-formed commands with random people, numbers, dates and text: many are accepted. */
function wellFormed(rng: Rng): string {
  const who = () => rng.pick(['@张三', '@李四', '@赵敏', '@王书记', '@刘联络员']);
  const no = () => String(1 + rng.int(6));
  const text = () => rng.pick(WORDS.text);
  const date = () => rng.pick(['2027-01-31', '2027-02-28', '12月30日', '明天', '2027年3月1日', '2026-02-30']);
  return rng.pick([
    () => `/谈心 ${who()} ${rng.pick(['面谈', '电话', '网络', '上门', ''])} ${text()}`,
    () => `/整改 新增 ${who()} ${text()} ${rng.pick(['截止 ' + date(), '立行立改', '需协调 牵头 区财政局 截止 ' + date()])}`,
    () => `/整改 完成 ${no()} ${text()}`,
    () => `/整改 延期 ${no()} ${date()} ${text()}`,
    () => `/整改 核实 ${no()}`,
    () => `/整改 ${rng.pick(['列表', '我的', '逾期', '查看 ' + no()])}`,
    () => `/请假 ${text()}`,
    () => `/${rng.pick(['批准', '驳回'])} ${who()}`,
    () => `/提纲 ${rng.pick(['提交', '审核 ' + who(), '情况'])}`,
    () => `/书面发言 提交`,
    () => `/转告 ${who()}`,
    () => `/完成 ${rng.pick(['方案', '通知', '学习', '报告', '整改清单', '通报', '谈心', '备案'])} ${text()}`,
    () => `/会议 ${rng.pick(['召开', '主题 ' + text(), '改期 ' + date()])}`,
    () => `/成员 ${rng.pick(['列表', '添加 @新人' + rng.int(50) + ' 列席'])}`,
    () => rng.pick(['/进度', '/帮助', '/谈心 情况', '/请假 列表', '/帮助 整改']),
  ])();
}

function generate(rng: Rng): string {
  const r = rng.next();
  if (r < 0.1) return rng.pick(HOSTILE);
  if (r < 0.25) return randomText(rng, rng.chance(0.05) ? 3000 + rng.int(8000) : rng.int(40));
  if (r < 0.5) return wellFormed(rng);
  if (r < 0.75) return structured(rng);
  return mutate(rng, rng.chance(0.5) ? wellFormed(rng) : structured(rng));
}

describe(`malformed input (seed ${SEED})`, () => {
  let chat: Chat;
  let seq = 0;
  const senders = [
    { id: '刘联络员', role: 'operator' },
    { id: '张三', role: 'member' },
    { id: '王书记', role: 'principal' },
    { id: '路人甲', role: 'stranger' },
  ] as const;
  const messageFrom = (senderId: string, text: string, privately: boolean): IncomingMessage =>
    privately
      ? { channel: 'console', msgId: `fuzz-${++seq}`, chatId: senderId, chatType: 'private', senderId, senderName: senderId, text }
      : { channel: 'console', msgId: `fuzz-${++seq}`, chatId: '党办群', chatType: 'group', chatTitle: '党办群', senderId, senderName: senderId, text };

  /** Puts the unit back when random commands rebound the group, removed people or cancelled the meeting. */
  async function repair(): Promise<void> {
    const [bound] = await chat.query<{ name: string }>("SELECT u.name FROM chat c JOIN unit u ON u.id = c.unit_id WHERE c.chat_id = '党办群'");
    if (bound!.name !== '区教育局党组') await chat.handle(messageFrom('刘联络员', '/单位 设置 区教育局党组', false));
    for (const line of ['/成员 添加 @刘联络员 联络员', '/成员 添加 @王书记 主要负责人', '/成员 添加 @张三 @李四 @赵敏 班子成员']) {
      await chat.handle(messageFrom('刘联络员', line, false));
    }
    const [scheduled] = await chat.query<{ n: number }>("SELECT count(*) AS n FROM meeting WHERE status = 'scheduled'");
    if (scheduled!.n === 0) await chat.handle(messageFrom('刘联络员', `/会议 新建 民主生活会 ${chat.today() < '2026-12-28' ? '2026-12-28' : '2027-12-28'}`, false));
  }

  beforeAll(async () => {
    chat = await startChat({ today: '2026-11-25' });
    await aLeadershipTeam(chat);
    await chat.as('刘联络员').in('党办群').say('/整改 新增 @张三 完善请销假制度 截止 2027-01-31');
    await chat.as('刘联络员').in('党办群').say('/整改 新增 @李四 清理办公用房 立行立改');
    for (const s of senders) await chat.as(s.id).in('党办群').say('/帮助'); // link console identities up front
  });
  afterAll(async () => chat.stop());

  it(`parseCommand never throws, never ignores an addressed message, and every refusal renders (${MESSAGES + PARSE_ONLY} random inputs and every hostile string)`, () => {
    const rng = seeded(SEED + 1);
    const texts = [...HOSTILE, ...Array.from({ length: MESSAGES + PARSE_ONLY }, () => generate(rng))];
    for (const [i, text] of texts.entries()) {
      for (const addressed of [true, false]) {
        let result: ReturnType<typeof parseCommand> | undefined;
        expect(() => (result = parseCommand(text, '2026-11-25', { addressed })), `#${i} ${JSON.stringify(text.slice(0, 200))}`).not.toThrow();
        if (result!.kind === 'invalid') {
          // A refusal must render: a known text key whose sentence has no holes.
          const { key, params } = result as { key: string; params: unknown };
          expect(isTextKey(key), `#${i} unknown text key ${key}`).toBe(true);
          const sentence = textOf(key as TextKey, params as never);
          expect(sentence.length, `#${i}`).toBeGreaterThan(0);
          for (const hole of ['undefined', 'NaN', '[object']) if (!text.includes(hole)) expect(sentence, `#${i} ${JSON.stringify(text.slice(0, 80))}`).not.toContain(hole);
        }
        if (addressed) expect(result!.kind, `#${i} addressed input must not be ignored`).not.toBe('none');
        if (result!.kind === 'talk.log' && 'date' in result! && result.date !== undefined) expect(result.date, `#${i}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it(`the app answers every one of ${MESSAGES} random messages and every hostile string, never crashes, and a refused command changes no row`, async () => {
    const rng = seeded(SEED);
    const tables = (await tablesOf(chat.db));
    const compared = tables.filter((t) => !BOOKKEEPING.has(t));
    const failures: string[] = [];
    const tally = { accepted: 0, refusedByParser: 0, readOrRefusedByHandler: 0, private: 0 };
    const started = performance.now();
    // Every hostile string from every sender, then random messages from random senders.
    const inputs = [
      ...HOSTILE.flatMap((text) => senders.map((sender) => ({ sender, privately: false, text }))),
      ...Array.from({ length: MESSAGES }, () => ({ sender: rng.pick(senders), privately: rng.chance(0.1), text: generate(rng) })),
    ];
    for (let i = 0; i < inputs.length; i++) {
      if (i % (i < HOSTILE.length * senders.length ? senders.length : 50) === 0) await repair();
      if (i === Math.floor(inputs.length / 2)) chat.setDay('2026-12-28', 15); // half the run on the meeting day
      const { sender, privately, text } = inputs[i]!;
      const where = `#${i} ${sender.id}${privately ? ' (private)' : ''} ${JSON.stringify(text.slice(0, 120))}`;
      const before = (await countRows(chat.db, tables));
      const fullBefore = i % 10 === 0 ? (await snapshotRows(chat.db, compared)) : undefined;
      const parsed = parseCommand(text, chat.today(), { addressed: true });

      let replies;
      try {
        replies = await chat.handle(messageFrom(sender.id, text, privately));
      } catch (err) {
        failures.push(`${where}: threw ${String(err)}`);
        continue;
      }
      const after = (await countRows(chat.db, tables));
      if (replies.length === 0) failures.push(`${where}: no reply`);
      for (const r of replies) {
        if (!r.message.text.trim()) failures.push(`${where}: empty reply`);
        if (r.message.text.includes('系统繁忙')) failures.push(`${where}: internal error reply`);
        for (const hole of ['undefined', 'NaN', '[object']) {
          if (r.message.text.includes(hole) && !text.includes(hole)) failures.push(`${where}: reply contains “${hole}”: ${r.message.text.slice(0, 80)}`);
        }
      }
      const changed = compared.filter((t) => before[t] !== after[t]);
      const audited = after.audit_log !== before.audit_log;
      if (audited) tally.accepted++;
      else if (parsed.kind === 'invalid') tally.refusedByParser++;
      else tally.readOrRefusedByHandler++;
      if (privately) tally.private++;
      if (parsed.kind === 'invalid' && (changed.length || audited)) failures.push(`${where}: rejected by the parser but changed ${changed.join(', ')}`);
      if (!audited && changed.length) failures.push(`${where}: changed ${changed.join(', ')} without an audit entry (a refused command must change nothing)`);
      if (fullBefore !== undefined && !audited && (await snapshotRows(chat.db, compared)) !== fullBefore) failures.push(`${where}: rows updated without an audit entry`);
    }
    const elapsed = performance.now() - started;
    expect(failures.slice(0, 20), `${failures.length} failures (seed ${SEED})`).toEqual([]);
    // The generator must reach every path: accepted writes, parser refusals, reads and handler refusals.
    expect(tally.accepted, JSON.stringify(tally)).toBeGreaterThan(10);
    expect(tally.refusedByParser, JSON.stringify(tally)).toBeGreaterThan(500);
    expect(tally.readOrRefusedByHandler, JSON.stringify(tally)).toBeGreaterThan(300);
    console.log(`malformed: ${JSON.stringify(tally)} in ${Math.round(elapsed)} ms`);
  }, onPostgres() ? 240_000 : 60_000); // on a server every one of its ~20,000 statements is a round trip

  it('leaves the store intact: every table still there and the unit still bound', async () => {
    const tables = (await tablesOf(chat.db));
    expect(tables).toEqual(expect.arrayContaining(['unit', 'person', 'meeting', 'item', 'talk', 'leave_request', 'audit_log']));
    expect(await chat.query("SELECT name FROM unit WHERE name = '区教育局党组'")).toHaveLength(1);
    if (dialectOf(chat.db) === 'sqlite') {
      expect(await chat.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(await chat.query('PRAGMA foreign_key_check')).toEqual([]);
    } else {
      // PostgreSQL checks every foreign key on write; none may have been left unvalidated or disabled.
      const keys = await chat.query<{ convalidated: boolean }>("SELECT convalidated FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace");
      expect(keys.length).toBeGreaterThan(20);
      expect(keys.every((k) => k.convalidated)).toBe(true);
      expect(await chat.query("SELECT tgname FROM pg_trigger WHERE tgisinternal AND NOT tgenabled = 'O'")).toEqual([]);
    }
  });
});
