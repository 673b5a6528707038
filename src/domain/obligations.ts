import type { LocalDate } from './dates.js';
import type { MeetingFacts, MeetingView } from './meeting.js';
import { stepRule } from './rules.js';
import type { MeetingKind, Role } from './types.js';

/** What the scheduler reminds about: a meeting step, or one person's part of it. */
export type ObligationStep =
  | 'plan' | 'notice' | 'rectify_list' | 'report' | 'inform' | 'grading' | 'filing' | 'meeting'
  | 'outlines' | 'outline_review' | 'principal_outline_review' | 'statement' | 'relay' | 'commitment';

/** Days after the appraisal closes within which every member hands in a 整改承诺 (the source sets none). */
export const COMMITMENT_DAYS = 7;

export interface Obligation {
  step: ObligationStep;
  /** The person who owes it; null = the step's role holders (see {@link obligationRoles}). */
  personId: number | null;
  due: LocalDate;
}

/** Who is @mentioned for an obligation without a person. */
export function obligationRoles(kind: MeetingKind, step: ObligationStep): Role[] {
  if (step === 'outline_review' || step === 'relay') return ['principal'];
  if (step === 'principal_outline_review') return ['supervisor'];
  if (step === 'meeting') return ['operator', 'principal'];
  return stepRule(kind, step as Parameters<typeof stepRule>[1])?.owes.filter((r) => r === 'operator' || r === 'principal') ?? ['operator', 'principal'];
}

/**
 * The dated obligations still open for a meeting: the rows the scheduler's one query reads.
 * Before-meeting duties (outlines, written statements) lapse once the meeting is held.
 */
export function openObligations(view: MeetingView, facts: MeetingFacts): Obligation[] {
  const { meeting } = view;
  if (meeting.status === 'cancelled' || view.phase === 'completed') return [];
  const held = meeting.status === 'held';
  const principalIds = new Set(facts.roster.filter((m) => m.roles.includes('principal')).map((m) => m.id));
  const out: Obligation[] = [];
  for (const s of view.steps) {
    if (s.status === 'done' || s.status === 'optional' || !s.due) continue;
    switch (s.rule.id) {
      case 'meeting':
        if (!held) out.push({ step: 'meeting', personId: null, due: s.due });
        break;
      case 'outlines':
        if (held) break;
        for (const id of view.outlines.missing) out.push({ step: 'outlines', personId: id, due: s.due });
        // The principal reviews the others' outlines; the principal's own is the supervisor's to review.
        if (view.outlines.unreviewed.some((id) => !principalIds.has(id))) out.push({ step: 'outline_review', personId: null, due: s.due });
        if (view.outlines.unreviewed.some((id) => principalIds.has(id))) out.push({ step: 'principal_outline_review', personId: null, due: s.due });
        break;
      case 'absentees': {
        for (const l of facts.leaves) {
          if (l.status !== 'approved') continue;
          if (!l.statementOn && !held) out.push({ step: 'statement', personId: l.personId, due: meeting.date });
          if (held && !l.relayedOn) out.push({ step: 'relay', personId: null, due: s.due });
        }
        break;
      }
      default:
        // Once the meeting is held, a preparation step never recorded can no longer be done on time:
        // it stays 未登记 in /进度 and the supervisor's summary, but is not chased every day.
        if (held && s.rule.stage === 'prepare') break;
        if (s.rule.remind) out.push({ step: s.rule.id as ObligationStep, personId: null, due: s.due });
    }
  }
  // One relay reminder per meeting is enough (it lists the absentees).
  const seen = new Set<string>();
  return out.filter((o) => {
    const k = `${o.step}:${o.personId ?? ''}`;
    return !seen.has(k) && seen.add(k);
  });
}

