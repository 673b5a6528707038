import { describe, expect, it } from 'vitest';
import { dueDate } from '../../src/domain/meeting.js';
import { ARCHIVE_MATERIALS, KIND_RULES, manualSteps, offsetOf, stepRule } from '../../src/domain/rules.js';
import type { MeetingKind, StepId } from '../../src/domain/types.js';

const D = '2026-12-28';
const due = (kind: MeetingKind, step: StepId, overrides = {}) => {
  const rule = stepRule(kind, step);
  if (!rule) throw new Error(`${kind} has no step ${step}`);
  return dueDate(rule, D, overrides);
};

// 武组发〔2017〕129号 via shared/domain.md: plan D-15, notice D-10, report D+15; 组织生活会 uses the
// same offsets (filing D+15); "before D" steps fall due on D itself.
describe('deadlines of 民主生活会 (democratic_life)', () => {
  it.each([
    ['plan', '2026-12-13'],
    ['notice', '2026-12-18'],
    ['report', '2027-01-12'],
    ['topic', '2026-12-13'], // before the plan
    ['study', D],
    ['opinions', D],
    ['talks', D],
    ['inspection', D],
    ['outlines', D],
    ['leave', D],
    ['meeting', D],
    ['rectify_list', '2027-01-12'], // with the report
    ['inform', '2027-01-12'], // configurable default: with the report
  ] as Array<[StepId, string]>)('%s is due %s for a meeting on 2026-12-28', (step, want) => {
    expect(due('democratic_life', step)).toBe(want);
  });

  it('has no date of its own for 整改落实 (each item has one) and 归卷存档', () => {
    expect(due('democratic_life', 'rectify')).toBeUndefined();
    expect(due('democratic_life', 'archive')).toBeUndefined();
  });

  it('lists the 16 steps of the source and the 7 archive materials', () => {
    expect(KIND_RULES.democratic_life.steps.map((s) => s.id)).toEqual([
      'topic', 'plan', 'study', 'opinions', 'talks', 'inspection', 'outlines', 'notice', 'leave',
      'meeting', 'absentees', 'rectify_list', 'report', 'inform', 'rectify', 'archive',
    ]);
    expect(ARCHIVE_MATERIALS).toHaveLength(7);
  });

  it('requires every step before the meeting to finish by D', () => {
    const before = KIND_RULES.democratic_life.steps.filter((s) => s.beforeMeeting).map((s) => s.id);
    expect(before).toEqual(['study', 'opinions', 'talks', 'inspection', 'outlines', 'leave']);
  });
});

describe('deadlines of 组织生活会 (org_life)', () => {
  it.each([
    ['plan', '2026-12-13'],
    ['notice', '2026-12-18'],
    ['filing', '2027-01-12'],
    ['study', D],
    ['talks', D],
    ['committee_meeting', D],
    ['meeting', D],
  ] as Array<[StepId, string]>)('%s is due %s (民主生活会 offsets, the source gives none)', (step, want) => {
    expect(due('org_life', step)).toBe(want);
  });

  it('makes the plan optional and has no report step of its own (filing instead)', () => {
    expect(stepRule('org_life', 'plan')?.optional).toBe(true);
    expect(stepRule('org_life', 'report')).toBeUndefined();
    expect(stepRule('democratic_life', 'filing')).toBeUndefined();
  });

  it('does not ask for outline review, and party members take part', () => {
    expect(KIND_RULES.org_life.outlineReview).toBe(false);
    expect(KIND_RULES.democratic_life.outlineReview).toBe(true);
    expect(KIND_RULES.org_life.participants).toEqual(expect.arrayContaining(['party_member', 'probationary']));
    expect(KIND_RULES.democratic_life.participants).not.toContain('party_member');
  });
});

describe('per-unit offset overrides', () => {
  it('moves the overridden steps and leaves the others', () => {
    const overrides = { plan: -20, report: 10 };
    expect(due('democratic_life', 'plan', overrides)).toBe('2026-12-08');
    expect(due('democratic_life', 'report', overrides)).toBe('2027-01-07');
    expect(due('democratic_life', 'notice', overrides)).toBe('2026-12-18');
  });

  it('applies to 组织生活会 filing as well', () => {
    expect(due('org_life', 'filing', { filing: 30 })).toBe('2027-01-27');
    expect(due('org_life', 'notice', { notice: -7 })).toBe('2026-12-21');
  });

  it('lets an override of 0 stand (it is not "no override")', () => {
    const plan = stepRule('democratic_life', 'plan')!;
    expect(offsetOf(plan, { plan: 0 })).toBe(0);
    expect(offsetOf(plan, {})).toBe(-15);
  });
});

describe(manualSteps.name, () => {
  it('offers /完成 only for steps someone records by hand', () => {
    const dl = manualSteps('democratic_life').map((s) => s.id);
    expect(dl).toEqual(expect.arrayContaining(['plan', 'notice', 'report', 'study', 'opinions', 'inspection', 'rectify_list', 'inform']));
    expect(dl).not.toContain('talks');
    expect(dl).not.toContain('outlines');
    expect(dl).not.toContain('meeting');
    const ol = manualSteps('org_life').map((s) => s.id);
    expect(ol).toEqual(expect.arrayContaining(['filing', 'grading', 'committee_meeting']));
    expect(ol).not.toContain('report');
  });
});
