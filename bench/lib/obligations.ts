import { addDays, type LocalDate } from '../../src/domain/dates.js';

/**
 * The open obligations of a unit's current meeting on `today`, as the benches seed them: a held
 * meeting still owes (mostly) its report and notification; one being prepared owes its plan and
 * notice (the overdue ones in 30 % of units), the meeting itself, some outlines and their review.
 * Draws from `rnd` in a fixed order, so a seeded bench builds the same store every run.
 */
export function seedObligations(
  rnd: () => number, date: LocalDate, today: LocalDate, team: readonly number[],
  oblige: (step: string, who: number | null, due: LocalDate) => void,
): void {
  if (date < today) {
    if (rnd() < 0.8) oblige('report', null, addDays(date, 15));
    if (rnd() < 0.8) oblige('inform', null, addDays(date, 15));
    return;
  }
  for (const [step, offset] of [['plan', -15], ['notice', -10]] as const) {
    const due = addDays(date, offset);
    if (due >= today || rnd() < 0.3) oblige(step, null, due);
  }
  oblige('meeting', null, date);
  for (const m of team) if (rnd() < 0.5) oblige('outlines', m, date);
  if (rnd() < 0.5) oblige('outline_review', null, date);
}
