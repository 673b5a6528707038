import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/types.js';
import { addressedBy } from '../../src/scheduler/run-once.js';
import type { DirectoryUnit } from '../../src/store/directory.repository.js';

/**
 * A reminder names people (owners, the member who owes an outline) and roles (the unit's operator or
 * principal, the supervisors above); whom it @mentions is worked out from the directory when the
 * message is written. Everyone once, the named people first.
 */
const unit = (parentId: number | null, holders: Partial<Record<Role, number[]>>): DirectoryUnit => ({
  name: `单位${parentId ?? 0}`, parentId, settings: {}, chats: [], holders: new Map(Object.entries(holders) as Array<[Role, number[]]>),
});

// 区委 (1) ⊃ 第一党委 (2) ⊃ 支部 (3); unit 4's parent is unit 5 and unit 5's is unit 4 (bad data).
const units = new Map<number, DirectoryUnit>([
  [1, unit(null, { supervisor: [100] })],
  [2, unit(1, { supervisor: [200, 100] })],
  [3, unit(2, { operator: [31], principal: [32, 33] })],
  [4, unit(5, { principal: [41], supervisor: [42] })],
  [5, unit(4, { supervisor: [51] })],
]);

describe('addressedBy', () => {
  it('lists the named people first, then each role in order, nobody twice', () => {
    // The principal owes the item and is also told as principal: one @mention.
    expect(addressedBy(units, { unitId: 3, personIds: [32, 7], roles: ['operator', 'principal'] })).toEqual([32, 7, 31, 33]);
  });

  it('addresses a step without a person by its roles alone', () => {
    expect(addressedBy(units, { unitId: 3, personIds: [], roles: ['principal'] })).toEqual([32, 33]);
  });

  it('tells the supervisors of the unit and of every unit above, nearest first', () => {
    expect(addressedBy(units, { unitId: 3, personIds: [7], roles: ['supervisor'] })).toEqual([7, 200, 100]);
  });

  it('ends the walk up a cycle of units, and skips a role nobody holds', () => {
    expect(addressedBy(units, { unitId: 4, personIds: [8], roles: ['operator', 'supervisor'] })).toEqual([8, 42, 51]);
  });

  it('never changes the reminder’s own list', () => {
    const personIds = [7];
    addressedBy(units, { unitId: 3, personIds, roles: ['principal'] });
    expect(personIds).toEqual([7]);
  });
});
