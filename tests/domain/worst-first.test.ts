import { describe, expect, it } from 'vitest';
import { nameRanks, worstFirst, type Light, type UnitSummary } from '../../src/domain/summary.js';
import { seeded } from '../helpers/random.js';

/** The dashboard sorts a district through one number per unit: it must give /汇总's order exactly. */
const LIGHTS: Light[] = ['red', 'yellow', 'green'];
const NAMES = ['甲单位', '乙单位', '丙单位', '丁单位', '区委办党支部', '第一党支部', '第二党支部', '第十党支部', '教育工委', '财政局党组', 'A单位', '阿里支部'];

function rows(n: number, seed: number): UnitSummary[] {
  const r = seeded(seed).next;
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => ({
    unitId: i + 1, unitName: `${pick(NAMES)}${i % 7 === 0 ? '' : i}`, light: pick(LIGHTS),
    leave: { approved: 0, pending: 0 }, items: { total: 0, open: 0, overdue: Math.floor(r() * 3), done: 0, extended: 0, dueSoon: 0 },
    overdueSteps: Math.floor(r() * 3), maxOverdueDays: Math.floor(r() * 4), failed: 0, flags: [],
  }));
}

describe(worstFirst.name, () => {
  it.each([1, 2, 3, 4, 5])('with name ranks orders exactly as with the collator (seed %i)', (seed) => {
    const list = rows(400, seed);
    const ranks = nameRanks(list.map((s) => ({ id: s.unitId, name: s.unitName })));
    expect(worstFirst(list, ranks).map((s) => s.unitId)).toEqual(worstFirst(list).map((s) => s.unitId));
  });

  it('puts red before yellow before green, then more overdue, then longer overdue, then by name', () => {
    const base = rows(1, 9)[0]!;
    const a = { ...base, unitId: 1, unitName: '乙', light: 'green' as const, overdueSteps: 0, maxOverdueDays: 0, items: { ...base.items, overdue: 0 } };
    const b = { ...a, unitId: 2, unitName: '甲', light: 'red' as const };
    const c = { ...a, unitId: 3, unitName: '丙', light: 'red' as const, overdueSteps: 2 };
    const d = { ...a, unitId: 4, unitName: '丁', light: 'red' as const, overdueSteps: 2, maxOverdueDays: 5 };
    const ranks = nameRanks([a, b, c, d].map((s) => ({ id: s.unitId, name: s.unitName })));
    for (const order of [worstFirst([a, b, c, d]), worstFirst([a, b, c, d], ranks)]) expect(order.map((s) => s.unitName)).toEqual(['丁', '丙', '甲', '乙']);
  });
});
