import { GRADE_WORDS, seeded, type GradeWord } from './branch.js';

/** The committee as typed on a ballot. */
export const COMMITTEE_TARGET = '班子';

export interface Vote {
  grade: GradeWord;
  comment: string | null;
}

/** One voter's final choices: target (`班子` or a name) → vote. */
export type Sheet = Map<string, Vote>;

export interface Plan {
  /** What each voter finally chose (the last vote per target). */
  sheets: Map<string, Sheet>;
  /** The lines each voter types in the single chat, in order (first ballots, then changes). */
  script: Array<{ voter: string; line: string }>;
  /** Voters who appraise every one of their targets, some of them, or none. */
  complete: string[];
  partial: string[];
  none: string[];
  /** How many votes were later changed (typed again). */
  changes: number;
}

const entry = (target: string, v: Vote, at: boolean): string =>
  `${at && target !== COMMITTEE_TARGET ? '@' : ''}${target} ${v.grade}${v.comment ? ` ${v.comment}` : ''}`;

/** One ballot line per voter, in a fixed form (for comparing two runs). */
export function oneLineScript(sheets: Map<string, Sheet>): Array<{ voter: string; line: string }> {
  return [...sheets].map(([voter, sheet]) => ({ voter, line: `/测评 ${[...sheet].map(([t, v]) => entry(t, v, false)).join(' ')}` }));
}

/**
 * A seeded plan for a branch: 3 members do not vote, 4 vote on part of their sheet, the rest on all
 * of it (the committee and everyone else in `targetsOf(voter)`); about 15% of votes carry a
 * distinctive comment; some voters split their ballot over several lines, write `@name`, and change
 * a few choices afterwards.
 */
export function makePlan(seed: number, participants: readonly string[], targetsOf: (voter: string) => string[] = (v) => participants.filter((p) => p !== v)): Plan {
  const rand = seeded(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const shuffle = <T,>(xs: readonly T[]): T[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  const used = new Set<string>();
  const code = (): string => {
    for (;;) {
      const c = `评语${Math.floor(rand() * 0xffffff).toString(16).padStart(6, '0')}`;
      if (!used.has(c)) return used.add(c), c;
    }
  };
  const order = shuffle(participants);
  const none = order.slice(0, 3);
  const partial = order.slice(3, 7);
  const plan: Plan = { sheets: new Map(), script: [], complete: [], partial: [], none: [], changes: 0 };
  for (const voter of participants) {
    if (none.includes(voter)) {
      plan.none.push(voter);
      continue;
    }
    const targets = [COMMITTEE_TARGET, ...targetsOf(voter)];
    const isPartial = partial.includes(voter);
    const chosen = isPartial ? shuffle(targets).slice(0, 1 + Math.floor(rand() * (targets.length - 2))) : targets;
    (isPartial ? plan.partial : plan.complete).push(voter);
    const sheet: Sheet = new Map();
    const entries = chosen.map((t) => [t, { grade: pick(GRADE_WORDS), comment: rand() < 0.15 ? code() : null }] as const);
    const chunk = rand() < 0.5 ? entries.length : 5;
    for (let i = 0; i < entries.length; i += chunk) {
      const part = entries.slice(i, i + chunk);
      plan.script.push({ voter, line: `/测评 ${part.map(([t, v]) => entry(t, v, rand() < 0.3)).join(' ')}` });
    }
    for (const [t, v] of entries) sheet.set(t, v);
    if (rand() < 0.4) {
      const n = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < n; k++) {
        const t = pick(chosen);
        const v: Vote = { grade: pick(GRADE_WORDS), comment: rand() < 0.5 ? code() : null };
        plan.script.push({ voter, line: `/测评 ${entry(t, v, true)}` });
        sheet.set(t, v);
        plan.changes += 1;
      }
    }
    plan.sheets.set(voter, sheet);
  }
  return plan;
}

export interface Expected {
  votes: number;
  counts: Record<GradeWord, number>;
  comments: string[];
}

/** Counts per target computed straight from the plan (independently of the bot's tally). */
export function expectedTally(sheets: Map<string, Sheet>): Map<string, Expected> {
  const out = new Map<string, Expected>();
  for (const sheet of sheets.values()) {
    for (const [target, v] of sheet) {
      const e = out.get(target) ?? { votes: 0, counts: { 优秀: 0, 合格: 0, 基本合格: 0, 不合格: 0 }, comments: [] };
      e.votes += 1;
      e.counts[v.grade] += 1;
      if (v.comment) e.comments.push(v.comment);
      out.set(target, e);
    }
  }
  return out;
}

/** `41.7%` — a share as the tally prints it (one decimal, trailing zero dropped). */
export const percent = (part: number, whole: number): string => `${Math.round((part / whole) * 1000) / 10}%`;
