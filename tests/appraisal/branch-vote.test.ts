import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupLines, groupText, messagesOf, privateText, recipients, startChat, type Chat } from '../helpers/chat.js';
import {
  aBigBranch, GRADABLE, GRADE_WORDS, GROUP, ok, OPERATOR, PARTICIPANTS, PROBATIONARY, SECRETARY, SUPERVISOR,
} from './branch.js';
import { COMMITTEE_TARGET, expectedTally, makePlan, oneLineScript, percent, type Plan, type Sheet } from './vote-plan.js';

// 武组发〔2017〕129号 附件2 五、六: 个人自评、党员互评、民主测评 on a uniform form, then 组织评定.
// A branch of 25 votes through the terminal chat's single-chat mode; the tally must match the
// ballots, and nothing anyone but the voter sees may pair the voter with a choice.

interface Run {
  chat: Chat;
  opened: string[];
  votes: Map<string, string[][]>;
  progress: Record<string, string[]>;
  closed: string[];
}

/** Opens the appraisal, lets everyone vote by `script` in their single chat, asks for progress, closes. */
async function runAppraisal(script: Plan['script']): Promise<Run> {
  const chat = await startChat({ today: '2026-12-01' });
  await aBigBranch(chat);
  const opened = await ok(chat.as(OPERATOR).in(GROUP).say('/评议 开始 截止 12月12日 18:00'));
  const votes = new Map<string, string[][]>();
  for (const { voter, line } of script) {
    const replies = await chat.as(voter).privately().say(line);
    votes.set(voter, [...(votes.get(voter) ?? []), replies]);
  }
  const progress: Record<string, string[]> = {
    [OPERATOR]: await ok(chat.as(OPERATOR).in(GROUP).say('/评议 进度')),
    [SUPERVISOR]: await ok(chat.as(SUPERVISOR).in(GROUP).say('/评议 进度')),
    [SECRETARY]: await ok(chat.as(SECRETARY).privately().say('/评议 进度')),
  };
  const closed = await ok(chat.as(SECRETARY).in(GROUP).say('/评议 结束'));
  return { chat, opened, votes, progress, closed };
}

/** The tally line of one target in the secretary's result message. */
function tallyOf(text: string, name: string) {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${name}：`));
  const m = /^[^：]+：(\d+)票，优秀(\d+)、合格(\d+)、基本合格(\d+)、不合格(\d+)；优秀率([\d.]+%)，合格及以上([\d.]+%)/.exec(lines[at] ?? '');
  if (!m) return undefined;
  const next = lines[at + 1] ?? '';
  return {
    votes: Number(m[1]),
    counts: { 优秀: Number(m[2]), 合格: Number(m[3]), 基本合格: Number(m[4]), 不合格: Number(m[5]) },
    excellent: m[6],
    qualified: m[7],
    comments: next.trim().startsWith('意见（不具名）：') ? next.trim().slice('意见（不具名）：'.length).split('；') : [],
    line: lines[at]!,
  };
}

const plan = makePlan(20261210, PARTICIPANTS);
const expected = expectedTally(plan.sheets);
const allComments = [...plan.sheets.values()].flatMap((s) => [...s.values()].map((v) => v.comment).filter((c): c is string => c !== null));
/** Every comment ever typed (including ones later replaced), with its author. */
const allTypedComments = (): Map<string, string> =>
  new Map(plan.script.flatMap(({ voter, line }) => [...line.matchAll(/评语[0-9a-f]{6}/g)].map((m) => [m[0], voter] as [string, string])));
let run: Run;

beforeAll(async () => {
  run = await runAppraisal(plan.script);
}, 60_000);
afterAll(async () => run?.chat.stop());

describe('the plan itself (so the assertions below test something)', () => {
  it('has 25 members, complete, partial and missing ballots, changed votes and comments', () => {
    expect(PARTICIPANTS).toHaveLength(25);
    expect(plan.complete.length).toBeGreaterThan(10);
    expect(plan.partial).toHaveLength(4);
    expect(plan.none).toHaveLength(3);
    expect(plan.changes).toBeGreaterThan(3);
    expect(allComments.length).toBeGreaterThan(10);
    for (const [, e] of expected) expect(e.votes).toBeGreaterThanOrEqual(3);
  });
});

describe('opening (/评议 开始)', () => {
  it('tells the group who is appraised and sends each of the 25 a private ballot form', () => {
    expect(recipients(run.opened)).toEqual([`群 ${GROUP}`, ...PARTICIPANTS.map((n) => `私聊 ${n}`)]);
    const group = groupText(run.opened);
    expect(group).toContain('参加评议25人');
    for (const name of PARTICIPANTS) expect(group).toContain(name);
    expect(group).toContain('预备党员 陈预备、林预备 参加评议，但不评定等次');
    expect(group).toContain('2026年12月12日 18:00截止');
    const form = privateText(run.opened, '赵明');
    expect(form).toContain('【民主测评表】');
    expect(form).toContain('（24人）');
    expect(form).not.toMatch(/、赵明|赵明、/);
  });
});

describe('voting in the single chat', () => {
  it('answers every ballot only in the voter’s own single chat', () => {
    for (const [voter, replies] of run.votes) {
      for (const lines of replies) {
        expect(recipients(lines)).toEqual([`私聊 ${voter}`]);
        expect(privateText(lines, voter)).toMatch(/^已记录（仅您可见）/);
      }
    }
  });

  it('stores one ballot per voter and target, with the last choice (a changed vote counts once)', async () => {
    const rows = await run.chat.query<{ voter: string; target: string; grade: string; comment: string | null }>(`SELECT p.name AS voter, b.target, b.grade, b.comment FROM appraisal_ballot b JOIN person p ON p.id = b.voter_id`);
    const nameOf = new Map((await run.chat.query<{ id: number; name: string }>('SELECT id, name FROM person')).map((r) => [String(r.id), r.name]));
    const grades = { excellent: '优秀', qualified: '合格', basically_qualified: '基本合格', unqualified: '不合格' } as Record<string, string>;
    const stored = new Map<string, Sheet>();
    for (const r of rows) {
      const sheet = stored.get(r.voter) ?? new Map();
      const target = r.target === 'committee' ? COMMITTEE_TARGET : nameOf.get(r.target)!;
      expect(sheet.has(target), `${r.voter} → ${target} twice`).toBe(false);
      sheet.set(target, { grade: grades[r.grade] as never, comment: r.comment });
      stored.set(r.voter, sheet);
    }
    expect(rows).toHaveLength([...plan.sheets.values()].reduce((n, s) => n + s.size, 0));
    expect(stored).toEqual(plan.sheets);
  });
});

describe('/评议 进度', () => {
  it('counts complete and partial ballots and names who has not voted — never what anyone chose', () => {
    for (const [who, lines] of Object.entries(run.progress)) {
      const text = messagesOf(lines).map((m) => m.text).join('\n');
      expect(text, who).toContain(`应参加 25 人：已投完 ${plan.complete.length} 人，未投完 ${plan.partial.length} 人，未投票 ${plan.none.length} 人`);
      expect(text).toContain(`未投票：${plan.none.slice().sort((a, b) => PARTICIPANTS.indexOf(a) - PARTICIPANTS.indexOf(b)).join('、')}`);
      for (const name of plan.partial) expect(text).toContain(name);
      for (const g of GRADE_WORDS) expect(text).not.toContain(g);
      expect(text).not.toContain('票，');
    }
    expect(recipients(run.progress[SECRETARY]!)).toEqual([`私聊 ${SECRETARY}`]);
  });
});

describe('closing (/评议 结束)', () => {
  it('tells the group only that it closed and how many voted, and mentions the D+15 filing', () => {
    expect(recipients(run.closed)).toEqual([`群 ${GROUP}`, `私聊 ${OPERATOR}`, `私聊 ${SECRETARY}`]);
    const group = groupText(run.closed);
    expect(group).toContain(`应参加 25 人，${plan.complete.length + plan.partial.length} 人投票（${plan.complete.length} 人投完）`);
    expect(group).toContain('2026年12月25日前');
    expect(group).toContain('/完成 备案');
    expect(group).not.toMatch(/(优秀|合格)\d|\d+票，|优秀率/);
  });

  it('sends the secretary and the operator a tally that matches the ballots counted independently', () => {
    for (const who of [SECRETARY, OPERATOR]) {
      const text = privateText(run.closed, who);
      expect(text).toContain(`应参加 25 人，${plan.complete.length + plan.partial.length} 人投票，${plan.complete.length} 人投完`);
      for (const [target, e] of expected) {
        const name = target === COMMITTEE_TARGET ? '支部班子' : target;
        const got = tallyOf(text, name);
        expect(got, name).toBeDefined();
        expect(got!.votes, name).toBe(e.votes);
        expect(got!.counts, name).toEqual(e.counts);
        expect(got!.excellent, name).toBe(percent(e.counts.优秀, e.votes));
        expect(got!.qualified, name).toBe(percent(e.counts.优秀 + e.counts.合格, e.votes));
        expect(got!.comments.slice().sort(), name).toEqual(e.comments.slice().sort());
      }
    }
  });

  it('marks the probationary members as not graded in the tally', () => {
    const text = privateText(run.closed, SECRETARY);
    for (const name of PROBATIONARY) expect(tallyOf(text, name)!.line).toContain('（预备党员，不评定等次）');
    expect(tallyOf(text, '赵明')!.line).not.toContain('预备党员');
  });

  it('lets nobody vote any more', async () => {
    const before = (await run.chat.counts()).appraisal_ballot;
    const lines = await run.chat.as('赵明').privately().say('/测评 班子 不合格');
    expect(privateText(lines, '赵明')).toBe('民主评议已经结束，不能再测评或修改。如对评议有意见，请当面向支部书记反映。');
    expect((await run.chat.counts()).appraisal_ballot).toBe(before);
  });
});

describe('secrecy', () => {
  it('never posts a ballot comment to a group, and shows others’ comments only in the tally, without names', () => {
    const typed = allTypedComments();
    expect(typed.size).toBeGreaterThan(allComments.length - 1);
    const group = groupLines(run.chat.transcript);
    for (const c of typed.keys()) expect(group.filter((l) => l.includes(c)), c).toEqual([]);
    let seenInTally = 0;
    for (const m of messagesOf(run.chat.transcript)) {
      const reader = m.to.replace(/^私聊 /, '');
      for (const line of m.text.split('\n')) {
        for (const [c, author] of typed) {
          if (!line.includes(c) || author === reader) continue;
          // Someone else's comment: only the secretary and the operator, only in the tally, without names.
          expect([SECRETARY, OPERATOR], `${c} shown to ${m.to}`).toContain(reader);
          expect(line.trim()).toMatch(/^意见（不具名）：/);
          for (const name of PARTICIPANTS) expect(line, `${name} named beside a comment`).not.toContain(name);
          seenInTally += 1;
        }
      }
    }
    expect(seenInTally).toBeGreaterThan(0);
  });

  it('names one person per tally line: the one appraised, never a voter beside a choice', () => {
    const text = privateText(run.closed, SECRETARY);
    const countLines = text.split('\n').filter((l) => /\d+票/.test(l));
    expect(countLines).toHaveLength(26);
    for (const line of countLines) {
      const named = PARTICIPANTS.filter((n) => line.includes(n));
      expect(named.length <= 1, line).toBe(true);
    }
  });

  it('keeps grades and comments out of the audit log', async () => {
    const details = (await run.chat.rows<{ action: string; detail: string | null }>('audit_log')).map((r) => `${r.action} ${r.detail ?? ''}`).join('\n');
    expect(details).toContain('appraisal.vote');
    for (const word of [...GRADE_WORDS, 'excellent', 'qualified', 'unqualified', ...allComments]) expect(details).not.toContain(word);
  });

  it('shows what anyone but two voters sees unchanged when those two swap their ballots', async () => {
    const [a, b] = plan.complete.filter((n) => !PROBATIONARY.includes(n));
    // Both comment on everything, so the order in which comments are listed would also give them away.
    const baseline = new Map<string, Sheet>([...plan.sheets].map(([v, s]) => [v, new Map(s)]));
    for (const [who, tag] of [[a!, 'aa'], [b!, 'bb']] as const) {
      [...baseline.get(who)!].forEach(([t, v], i) => baseline.get(who)!.set(t, { ...v, comment: `评语${tag}${String(i).padStart(4, '0')}` }));
    }
    const swapped = new Map<string, Sheet>([...baseline].map(([v, s]) => [v, new Map(s)]));
    const sa = swapped.get(a!)!;
    const sb = swapped.get(b!)!;
    for (const target of sa.keys()) {
      if (target === a || target === b) continue;
      const va = sa.get(target)!;
      sa.set(target, sb.get(target)!);
      sb.set(target, va);
    }
    expect(swapped.get(a!)).not.toEqual(baseline.get(a!));
    const first = await runAppraisal(oneLineScript(baseline));
    const second = await runAppraisal(oneLineScript(swapped));
    try {
      const others = (r: Run) => messagesOf(r.chat.transcript).filter((m) => m.to !== `私聊 ${a}` && m.to !== `私聊 ${b}`);
      expect(others(second)).toEqual(others(first));
      expect(privateText(second.closed, SECRETARY)).toBe(privateText(first.closed, SECRETARY));
      expect(messagesOf(second.chat.transcript).filter((m) => m.to === `私聊 ${a}`)).not.toEqual(messagesOf(first.chat.transcript).filter((m) => m.to === `私聊 ${a}`));
    } finally {
      await first.chat.stop();
      await second.chat.stop();
    }
  }, 60_000);
});

describe('组织评定 (/评定) and 整改承诺', () => {
  it('is refused to the operator, saying who may grade', async () => {
    const lines = await run.chat.as(OPERATOR).in(GROUP).say('/评定 @赵明 合格');
    expect(groupText(lines)).toBe('只有主要负责人可以这样做。');
  });

  it('refuses probationary members with the reason', async () => {
    const lines = await run.chat.as(SECRETARY).in(GROUP).say('/评定 @陈预备 合格');
    expect(groupText(lines)).toContain('陈预备 是预备党员。预备党员参加评议但不评定等次');
    expect((await run.chat.counts()).appraisal_grade).toBe(0);
  });

  it('grades every full member and tells each one privately; the group sees no grade', async () => {
    const grades = GRADABLE.map((n, i) => [n, GRADE_WORDS[i % 3]!] as const);
    const lines = await run.chat.as(SECRETARY).in(GROUP).say(`/评定 ${grades.map(([n, g]) => `${n} ${g}`).join(' ')}`);
    expect(recipients(lines)).toEqual([`群 ${GROUP}`, ...GRADABLE.map((n) => `私聊 ${n}`)]);
    const group = groupText(lines);
    expect(group).toContain('已评定 23/23');
    expect(group).toContain('全部评定完毕，已登记“组织评定”环节完成');
    for (const g of GRADE_WORDS) expect(group).not.toContain(g);
    for (const [n, g] of grades) expect(privateText(lines, n)).toContain(`评定您为：${g}。`);
    for (const n of PROBATIONARY) expect(privateText(lines, n)).toBe('');
    expect((await run.chat.rows('step_record', "step = 'grading'"))).toHaveLength(1);
  });

  it('takes a commitment typed in the group without showing it, and posts all of them with /公示', async () => {
    const secret = '每月带头讲一次党课承诺ABC';
    const inGroup = await run.chat.as('赵明').in(GROUP).say(`/承诺 ${secret}`);
    expect(groupText(inGroup)).toBe('已收到 赵明 的整改承诺。内容在 /公示 时统一公布，平时不在群里显示；以后可私聊发送。');
    await ok(run.chat.as('钱亮').privately().say('/承诺 按时交纳党费，参加志愿服务'));
    const status = await run.chat.as(SECRETARY).in(GROUP).say('/承诺 情况');
    expect(groupText(status)).toContain('整改承诺：已交 2/25');
    const posted = await run.chat.as(OPERATOR).in(GROUP).say('/公示');
    const text = groupText(posted);
    expect(text).toContain('公示期5天：2026年12月10日至2026年12月14日');
    expect(text).toContain(`• 赵明：${secret}`);
    expect(text).toContain('• 钱亮：按时交纳党费，参加志愿服务');
    expect(text).toContain('尚未提交整改承诺：');
    expect((await run.chat.rows<{ publicity_days: number; publicity_from: string }>('appraisal'))[0]).toMatchObject({ publicity_days: 5, publicity_from: '2026-12-10' });
  });
});
