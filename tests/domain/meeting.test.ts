import { describe, expect, it } from 'vitest';
import {
  assertMayCancel, assertMayCreateMeeting, assertMayHold, assertMayRecordStep, assertPreviousSettled, assertMayReschedule, phaseOf, stageOf, viewMeeting, type MeetingView,
} from '../../src/domain/meeting.js';
import { ARCHIVE_MATERIALS, stepRule } from '../../src/domain/rules.js';
import type { StepId, StepStatus } from '../../src/domain/types.js';
import { aLeave, aMeeting, anItem, factsOf, outlinesOf, pairsOf, stepsDoneOn } from '../helpers/builders.js';
import { userErrorOf } from '../helpers/errors.js';

const stepOf = (view: MeetingView, id: StepId) => {
  const s = view.steps.find((x) => x.rule.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
};
const statusOn = (today: string, id: StepId, facts = factsOf()): StepStatus => stepOf(viewMeeting(facts, today), id).status;

describe('step status on a given day (民主生活会 on 2026-12-28; plan due 12-13, notice 12-18)', () => {
  it.each([
    ['2026-11-25', 'pending'],
    ['2026-12-09', 'pending'], // 4 days ahead
    ['2026-12-10', 'due_soon'], // 3 days ahead
    ['2026-12-12', 'due_soon'],
    ['2026-12-13', 'due_soon'], // due today: not yet overdue
    ['2026-12-14', 'overdue'], // the day after
    ['2027-01-20', 'overdue'],
  ] as Array<[string, StepStatus]>)('方案 on %s is %s', (today, want) => {
    expect(statusOn(today, 'plan')).toBe(want);
  });

  it.each([
    ['2026-12-14', 'pending'],
    ['2026-12-15', 'due_soon'],
    ['2026-12-18', 'due_soon'],
    ['2026-12-19', 'overdue'],
  ] as Array<[string, StepStatus]>)('通知 on %s is %s', (today, want) => {
    expect(statusOn(today, 'notice')).toBe(want);
  });

  it('is done once recorded, even when recorded late, and keeps the day it was done', () => {
    const facts = factsOf(aMeeting(), { stepsDone: stepsDoneOn('2026-12-20', 'plan') });
    const plan = stepOf(viewMeeting(facts, '2026-12-21'), 'plan');
    expect(plan.status).toBe('done');
    expect(plan.doneOn).toBe('2026-12-20');
    expect(plan.owes).toEqual([]);
  });

  it('names who owes an open manual step: the operator and the principal', () => {
    const plan = stepOf(viewMeeting(factsOf(), '2026-12-01'), 'plan');
    expect(plan.owes.sort()).toEqual([1, 5]);
    expect(plan.due).toBe('2026-12-13');
  });

  it('uses the unit overrides for status as well as for the date', () => {
    const facts = factsOf(aMeeting(), { overrides: { plan: -20 } }); // due 12-08
    expect(statusOn('2026-12-09', 'plan', facts)).toBe('overdue');
    expect(statusOn('2026-12-05', 'plan', facts)).toBe('due_soon');
  });

  it('shows an optional step (组织生活会 方案) as optional, never overdue, and done when recorded', () => {
    const org = aMeeting({ kind: 'org_life' });
    expect(statusOn('2026-12-20', 'plan', factsOf(org))).toBe('optional');
    expect(stepOf(viewMeeting(factsOf(org), '2026-12-20'), 'plan').owes).toEqual([]);
    expect(statusOn('2026-12-20', 'plan', factsOf(org, { stepsDone: stepsDoneOn('2026-12-01', 'plan') }))).toBe('done');
  });

  it('makes 会议召开 due on D and overdue the day after if not marked held', () => {
    expect(statusOn('2026-12-24', 'meeting')).toBe('pending');
    expect(statusOn('2026-12-28', 'meeting')).toBe('due_soon');
    expect(statusOn('2026-12-29', 'meeting')).toBe('overdue');
    const held = factsOf(aMeeting({ status: 'held', heldOn: '2026-12-28' }));
    expect(statusOn('2026-12-29', 'meeting', held)).toBe('done');
  });
});

describe('phase of a meeting', () => {
  const D = '2026-12-28';
  const allDemocraticRectifyDone = (over = {}) =>
    factsOf(aMeeting({ status: 'held', heldOn: D }), {
      stepsDone: stepsDoneOn('2027-01-05', 'rectify_list', 'report', 'inform'),
      items: [anItem({ no: 1, status: 'done' }), anItem({ no: 2, status: 'done' })],
      archived: new Set(ARCHIVE_MATERIALS),
      ...over,
    });

  it('is 会前准备 before D, 会议召开 from D until marked held', () => {
    expect(viewMeeting(factsOf(), '2026-12-27').phase).toBe('prepare');
    expect(viewMeeting(factsOf(), D).phase).toBe('hold');
    expect(viewMeeting(factsOf(), '2027-01-03').phase).toBe('hold');
  });

  it('is 会后整改 once held while rectify-stage work is open', () => {
    expect(viewMeeting(factsOf(aMeeting({ status: 'held', heldOn: D })), D).phase).toBe('rectify');
  });

  it('is completed when the report, list, 通报, every item and the 7 archive materials are done', () => {
    expect(viewMeeting(allDemocraticRectifyDone(), '2027-01-10').phase).toBe('completed');
  });

  it('completes a meeting that found nothing to rectify once its (empty) rectification list is recorded', () => {
    expect(viewMeeting(allDemocraticRectifyDone({ items: [] }), '2027-01-10').phase).toBe('completed');
  });

  it.each([
    ['an item still open', { items: [anItem({ no: 1, status: 'done' }), anItem({ no: 2, status: 'open' })] }],
    ['an item extended (still to be done)', { items: [anItem({ no: 1, status: 'extended' })] }],
    ['no item and no (empty) rectification list recorded', { items: [], stepsDone: stepsDoneOn('2027-01-05', 'report', 'inform') }],
    ['the report not recorded', { stepsDone: stepsDoneOn('2027-01-05', 'rectify_list', 'inform') }],
    ['one archive material missing', { archived: new Set(ARCHIVE_MATERIALS.slice(1)) }],
    ['an absentee not yet told of the meeting', { leaves: [aLeave({ status: 'approved', statementOn: '2026-12-20', relayedOn: null })] }],
  ])('stays 会后整改 with %s', (_what, over) => {
    expect(viewMeeting(allDemocraticRectifyDone(over), '2027-01-10').phase).toBe('rectify');
  });

  it('completes a 组织生活会 without archive but with 支委会, 评定, 整改清单 and 备案', () => {
    const facts = factsOf(aMeeting({ kind: 'org_life', status: 'held', heldOn: D }), {
      stepsDone: stepsDoneOn('2027-01-05', 'committee_meeting', 'grading', 'rectify_list', 'filing'),
      items: [anItem({ status: 'done' })],
    });
    expect(viewMeeting(facts, '2027-01-10').phase).toBe('completed');
    const noGrading = { ...facts, stepsDone: stepsDoneOn('2027-01-05', 'committee_meeting', 'rectify_list', 'filing') };
    expect(viewMeeting(noGrading, '2027-01-10').phase).toBe('rectify');
  });

  it('is cancelled whatever the date', () => {
    expect(viewMeeting(factsOf(aMeeting({ status: 'cancelled' })), '2026-12-01').phase).toBe('cancelled');
    expect(viewMeeting(factsOf(aMeeting({ status: 'cancelled' })), '2027-02-01').phase).toBe('cancelled');
    expect(phaseOf(aMeeting({ status: 'cancelled' }), [], '2026-12-01')).toBe('cancelled');
  });

  it('maps phases to the three stages', () => {
    expect(stageOf('prepare')).toBe('prepare');
    expect(stageOf('rectify')).toBe('rectify');
    expect(stageOf('completed')).toBeUndefined();
    expect(stageOf('cancelled')).toBeUndefined();
  });
});

describe('talks step (derived from coverage)', () => {
  it('owes both people of every missing required pair and counts progress', () => {
    const facts = factsOf(aMeeting(), { talkPairs: pairsOf([1, 2]) });
    const talks = stepOf(viewMeeting(facts, '2026-12-01'), 'talks');
    expect(talks.status).toBe('pending');
    expect(talks.progress).toEqual({ done: 1, total: 3 });
    expect(talks.owes.sort()).toEqual([1, 3, 4]);
  });

  it('is done when the principal has talked with every member', () => {
    const facts = factsOf(aMeeting(), { talkPairs: pairsOf([1, 2], [3, 1], [1, 4]) });
    expect(stepOf(viewMeeting(facts, '2026-12-01'), 'talks').status).toBe('done');
  });
});

describe('outlines (发言提纲 / 个人问题清单)', () => {
  it('民主生活会: every team member submits and the principal reviews each', () => {
    const view = viewMeeting(factsOf(aMeeting(), { outlines: outlinesOf([1, 2, 3], { reviewed: false }) }), '2026-12-01');
    expect(view.outlines).toEqual({ required: 4, submitted: 3, reviewed: 0, missing: [4], unreviewed: [1, 2, 3] });
    const step = stepOf(view, 'outlines');
    expect(step.status).not.toBe('done');
    expect(step.owes.sort()).toEqual([1, 4]); // 赵敏 must submit; 王书记 must review
  });

  it('民主生活会: submitted but not reviewed is not done', () => {
    const view = viewMeeting(factsOf(aMeeting(), { outlines: outlinesOf([1, 2, 3, 4], { reviewed: false }) }), '2026-12-01');
    expect(stepOf(view, 'outlines').status).not.toBe('done');
    expect(stepOf(view, 'outlines').progress).toEqual({ done: 0, total: 4 });
  });

  it('民主生活会: done when all four are submitted and reviewed', () => {
    const view = viewMeeting(factsOf(aMeeting(), { outlines: outlinesOf([1, 2, 3, 4], { reviewed: true }) }), '2026-12-01');
    expect(view.outlines).toMatchObject({ required: 4, submitted: 4, reviewed: 4, missing: [], unreviewed: [] });
    expect(stepOf(view, 'outlines').status).toBe('done');
  });

  it('组织生活会: party members and probationary members hand one in too; no review', () => {
    const org = aMeeting({ kind: 'org_life' });
    const some = viewMeeting(factsOf(org, { outlines: outlinesOf([11, 12, 13, 14, 15]) }), '2026-12-01');
    expect(some.outlines).toMatchObject({ required: 6, submitted: 5, missing: [16], unreviewed: [] });
    expect(stepOf(some, 'outlines').owes).toEqual([16]);
    const all = viewMeeting(factsOf(org, { outlines: outlinesOf([11, 12, 13, 14, 15, 16]) }), '2026-12-01');
    expect(stepOf(all, 'outlines').status).toBe('done');
  });

  it('is not done when nobody is required to hand one in (empty roster)', () => {
    const view = viewMeeting(factsOf(aMeeting(), { roster: [] }), '2026-12-01');
    expect(stepOf(view, 'outlines').status).not.toBe('done');
  });
});

describe('leave and absentees steps', () => {
  it('leave is open while a request waits, and the principal owes the decision', () => {
    const view = viewMeeting(factsOf(aMeeting(), { leaves: [aLeave({ personId: 3, status: 'pending' })] }), '2026-12-01');
    expect(stepOf(view, 'leave').status).not.toBe('done');
    expect(stepOf(view, 'leave').owes).toEqual([1]);
    expect(view.leave).toEqual({ pending: 1, approved: 0, rejected: 0 });
  });

  it('leave is done when every request is decided', () => {
    const leaves = [aLeave({ personId: 3, status: 'approved' }), aLeave({ personId: 4, status: 'rejected' })];
    const view = viewMeeting(factsOf(aMeeting(), { leaves }), '2026-12-01');
    expect(stepOf(view, 'leave').status).toBe('done');
    expect(view.leave).toEqual({ pending: 0, approved: 1, rejected: 1 });
  });

  it('an approved absentee owes a written statement before the meeting', () => {
    const view = viewMeeting(factsOf(aMeeting(), { leaves: [aLeave({ personId: 3, status: 'approved' })] }), '2026-12-01');
    expect(stepOf(view, 'absentees').owes).toEqual([3]);
    expect(stepOf(view, 'absentees').status).not.toBe('done');
  });

  it('after the meeting the principal owes the relay; done when both are recorded', () => {
    const held = aMeeting({ status: 'held', heldOn: '2026-12-28' });
    const statementOnly = viewMeeting(factsOf(held, { leaves: [aLeave({ personId: 3, status: 'approved', statementOn: '2026-12-20' })] }), '2026-12-29');
    expect(stepOf(statementOnly, 'absentees').owes).toEqual([1]);
    expect(stepOf(statementOnly, 'absentees').progress).toEqual({ done: 0, total: 1 });
    const both = viewMeeting(factsOf(held, { leaves: [aLeave({ personId: 3, status: 'approved', statementOn: '2026-12-20', relayedOn: '2026-12-29' })] }), '2026-12-29');
    expect(stepOf(both, 'absentees').status).toBe('done');
  });

  it('has nothing to do when nobody was absent', () => {
    expect(stepOf(viewMeeting(factsOf(), '2026-12-01'), 'absentees').status).toBe('done');
  });
});

describe('整改落实 step', () => {
  const held = aMeeting({ status: 'held', heldOn: '2026-12-28' });
  it('is overdue when any item is past its deadline, due soon when one is within 3 days', () => {
    expect(statusOn('2027-01-10', 'rectify', factsOf(held, { items: [anItem({ deadline: '2027-01-09' })] }))).toBe('overdue');
    expect(statusOn('2027-01-10', 'rectify', factsOf(held, { items: [anItem({ deadline: '2027-01-13' })] }))).toBe('due_soon');
    expect(statusOn('2027-01-10', 'rectify', factsOf(held, { items: [anItem({ deadline: '2027-01-14' })] }))).toBe('pending');
  });

  it('is done when every item is done', () => {
    expect(statusOn('2027-01-10', 'rectify', factsOf(held, { items: [anItem({ status: 'done', deadline: '2027-01-01' })] }))).toBe('done');
  });
});

describe('creating, moving, holding and cancelling a meeting', () => {
  const today = '2026-11-25';
  it('refuses a date in the past and suggests one 30 days ahead', () => {
    expect(userErrorOf(() => assertMayCreateMeeting('2026-11-24', today, undefined))).toEqual({
      key: 'meeting.dateInPast', params: { date: '2026-11-24', example: '2026-12-25' },
    });
  });

  it('accepts today and later', () => {
    expect(userErrorOf(() => assertMayCreateMeeting(today, today, undefined))).toBeUndefined();
    expect(userErrorOf(() => assertMayCreateMeeting('2026-12-28', today, undefined))).toBeUndefined();
  });

  it('refuses a second meeting while one is scheduled', () => {
    expect(userErrorOf(() => assertMayCreateMeeting('2027-01-10', today, aMeeting()))).toEqual({
      key: 'meeting.alreadyScheduled', params: { kind: 'democratic_life', date: '2026-12-28' },
    });
  });

  it('reschedules only a meeting not yet held, to a new future date', () => {
    expect(userErrorOf(() => assertMayReschedule(aMeeting(), '2027-01-05', today))).toBeUndefined();
    expect(userErrorOf(() => assertMayReschedule(aMeeting(), '2026-12-28', today))?.key).toBe('meeting.sameDate');
    expect(userErrorOf(() => assertMayReschedule(aMeeting(), '2026-11-01', today))).toEqual({ key: 'meeting.rescheduleInPast', params: { date: '2026-11-01', example: '2026-12-25' } });
    expect(userErrorOf(() => assertMayReschedule(aMeeting({ status: 'held', heldOn: '2026-12-28' }), '2027-01-05', today))?.key).toBe('meeting.alreadyHeld');
  });

  it('marks a meeting held on or after D, never before, never twice', () => {
    expect(userErrorOf(() => assertMayHold(aMeeting(), '2026-12-27', '2026-12-27', []))).toEqual({ key: 'meeting.notYet', params: { date: '2026-12-28', today: '2026-12-27' } });
    expect(userErrorOf(() => assertMayHold(aMeeting(), '2026-12-28', '2026-12-28', []))).toBeUndefined();
    expect(userErrorOf(() => assertMayHold(aMeeting(), '2026-12-30', '2026-12-30', []))).toBeUndefined();
    expect(userErrorOf(() => assertMayHold(aMeeting({ status: 'held', heldOn: '2026-12-28' }), '2026-12-30', '2026-12-30', []))?.key).toBe('meeting.alreadyHeld');
  });

  it('records a meeting held on an earlier day (recorded late), but not on a day to come', () => {
    expect(userErrorOf(() => assertMayHold(aMeeting(), '2026-12-28', '2026-12-30', []))).toBeUndefined();
    expect(userErrorOf(() => assertMayHold(aMeeting(), '2026-12-31', '2026-12-30', []))).toEqual({ key: 'meeting.heldInFuture', params: { date: '2026-12-31', today: '2026-12-30' } });
    expect(userErrorOf(() => assertMayHold(aMeeting(), '2026-12-27', '2026-12-30', []))?.key).toBe('meeting.notYet');
    // Typed afterwards: a meeting held before its planned day is recorded too.
    expect(userErrorOf(() => assertMayHold(aMeeting(), '2026-12-27', '2026-12-30', [], true))).toBeUndefined();
  });

  it('is not marked held while a leave request waits for a decision', () => {
    expect(userErrorOf(() => assertMayHold(aMeeting(), '2026-12-28', '2026-12-28', ['赵敏']))).toEqual({ key: 'meeting.leavePending', params: { names: ['赵敏'] } });
  });

  it('records after-meeting steps only once the meeting is held', () => {
    const report = stepRule('democratic_life', 'report')!;
    expect(userErrorOf(() => assertMayRecordStep(aMeeting(), report))).toEqual({ key: 'step.afterMeeting', params: { step: 'report', kind: 'democratic_life' } });
    expect(userErrorOf(() => assertMayRecordStep(aMeeting({ status: 'held', heldOn: '2026-12-28' }), report))).toBeUndefined();
    expect(userErrorOf(() => assertMayRecordStep(aMeeting(), stepRule('democratic_life', 'plan')!))).toBeUndefined();
  });

  it('arranges no new meeting while the last one held still owes after-meeting steps', () => {
    const held = aMeeting({ status: 'held', heldOn: '2026-12-28' });
    expect(userErrorOf(() => assertPreviousSettled(held, ['report', 'inform']))).toEqual({ key: 'meeting.previousOpen', params: { kind: 'democratic_life', date: '2026-12-28', steps: ['report', 'inform'] } });
    expect(userErrorOf(() => assertPreviousSettled(held, []))).toBeUndefined();
    expect(userErrorOf(() => assertPreviousSettled(undefined, []))).toBeUndefined();
  });

  it('cancels a scheduled meeting but not a held one', () => {
    expect(userErrorOf(() => assertMayCancel(aMeeting()))).toBeUndefined();
    expect(userErrorOf(() => assertMayCancel(aMeeting({ status: 'held', heldOn: '2026-12-28' })))?.key).toBe('meeting.alreadyHeld');
  });
});
