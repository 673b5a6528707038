import type { LocalDate } from '../domain/dates.js';
import { totalsOf, worstFirst } from '../domain/summary.js';
import type { Q } from '../store/helpers.js';
import { loadUnitSummaries, supervisedUnits, supervisingUnits } from '../store/supervision.repository.js';
import { getUnit } from '../store/unit.repository.js';
import { textOf } from '../text/index.js';

/** A digest is one chat message: it lists as many red/yellow units as fit, then points to /汇总. */
export const DIGEST_MAX_LENGTH = 3500;

/**
 * The weekly digest for every supervising unit that has 上级 and at least one bound chat: the
 * /汇总 totals plus the red and yellow units, worst first. The scheduler calls it at
 * DIGEST_WEEKDAY/DIGEST_HOUR and sends each text to every chat of that unit through the outbox.
 * A unit with nothing below it gets no digest.
 * @example await weeklyDigests(db, '2026-12-07') // [{ unitId: 1, text: <the digest.weekly text> }]
 */
export async function weeklyDigests(db: Q, today: LocalDate): Promise<Array<{ unitId: number; text: string }>> {
  const out: Array<{ unitId: number; text: string }> = [];
  for (const unitId of await supervisingUnits(db)) {
    const unit = await getUnit(db, unitId);
    const units = unit ? await supervisedUnits(db, unitId) : [];
    // Only units with units below them supervise; a 上级 on a unit itself (e.g. the contact leader) gets no digest there.
    if (!unit || !units.some((u) => u.id !== unitId)) continue;
    const rows = worstFirst(await loadUnitSummaries(db, units, today));
    const attention = rows.filter((r) => r.light !== 'green');
    const totals = totalsOf(rows);
    const render = (n: number) =>
      textOf('digest.weekly', { unit: unit.name, today, totals, attention: attention.slice(0, n), more: attention.length - n });
    let n = attention.length;
    let text = render(n);
    while (text.length > DIGEST_MAX_LENGTH && n > 0) text = render(--n);
    out.push({ unitId, text });
  }
  return out;
}
