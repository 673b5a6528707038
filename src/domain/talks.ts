import { KIND_RULES } from './rules.js';
import type { Member, MeetingKind, Person } from './types.js';

export interface Pair {
  a: Person;
  b: Person;
}

/** A pair key independent of order: one number (smaller id × 2^26 + larger; ids stay far below 2^26). */
export const pairKey = (x: number, y: number): number => (x < y ? x * 2 ** 26 + y : y * 2 ** 26 + x);

export interface TalkCoverage {
  required: Pair[];
  missing: Pair[];
  /** Expected (encouraged) pairs not yet done, e.g. members among themselves in 民主生活会. */
  expectedMissing: Pair[];
  expectedTotal: number;
  done: number;
  /** 0–100, rounded down; 100 when nothing is required. */
  percent: number;
}

const has = (m: Member, roles: readonly string[]) => m.roles.some((r) => roles.includes(r));

/**
 * Required talk pairs: 民主生活会 — the principal with every team member (must); team members
 * among themselves are expected. 组织生活会 — every pair of committee members (必谈); committee
 * with party members is expected (广泛谈).
 */
export function talkCoverage(kind: MeetingKind, roster: readonly Member[], donePairs: ReadonlySet<number>): TalkCoverage {
  const rules = KIND_RULES[kind];
  const core = roster.filter((m) => has(m, rules.talkCore));
  const principals = core.filter((m) => m.roles.includes('principal'));
  const required: Pair[] = [];
  const expected: Pair[] = [];
  // Every pair once (the roster lists each person once): the pairs hold the members themselves.
  const push = (list: Pair[], a: Member, b: Member) => {
    if (a.id !== b.id) list.push({ a, b });
  };
  if (rules.talkRequirement === 'principal_with_each') {
    // Each principal with every other core member (two principals: their pair once), then the
    // others among themselves.
    for (let i = 0; i < principals.length; i++) {
      for (const m of core) if (!principals.includes(m) || principals.indexOf(m) > i) push(required, principals[i]!, m);
    }
    const others = core.filter((m) => !principals.includes(m));
    for (let i = 0; i < others.length; i++) for (let j = i + 1; j < others.length; j++) push(expected, others[i]!, others[j]!);
  } else {
    for (let i = 0; i < core.length; i++) for (let j = i + 1; j < core.length; j++) push(required, core[i]!, core[j]!);
    const wide = roster.filter((m) => has(m, rules.talkWide) && !has(m, rules.talkCore));
    for (const c of core) for (const w of wide) push(expected, c, w);
  }
  const missing = required.filter((p) => !donePairs.has(pairKey(p.a.id, p.b.id)));
  const expectedMissing = expected.filter((p) => !donePairs.has(pairKey(p.a.id, p.b.id)));
  const done = required.length - missing.length;
  const percent = required.length === 0 ? 100 : Math.floor((done * 100) / required.length);
  return { required, missing, expectedMissing, expectedTotal: expected.length, done, percent };
}
