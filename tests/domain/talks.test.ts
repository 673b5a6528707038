import { describe, expect, it } from 'vitest';
import { pairKey, talkCoverage, type Pair } from '../../src/domain/talks.js';
import { aBranch, aMember, aTeam, pairsOf } from '../helpers/builders.js';

const named = (pairs: Pair[]) => pairs.map((p) => [p.a.name, p.b.name].sort().join('—')).sort();

describe(talkCoverage.name, () => {
  describe('民主生活会: the principal must talk with every team member', () => {
    it('requires 王书记 with each of 张三, 李四, 赵敏 and nobody else (the operator is not in the team)', () => {
      const c = talkCoverage('democratic_life', aTeam(), new Set());
      expect(named(c.required)).toEqual(['张三—王书记', '李四—王书记', '王书记—赵敏'].sort());
      expect(c.done).toBe(0);
      expect(c.percent).toBe(0);
    });

    it('expects the members among themselves (shown, not required)', () => {
      const c = talkCoverage('democratic_life', aTeam(), new Set());
      expect(c.expectedTotal).toBe(3);
      expect(named(c.expectedMissing)).toEqual(['张三—李四', '张三—赵敏', '李四—赵敏'].sort());
    });

    it('lists the missing pairs by name and rounds the percentage down', () => {
      const c = talkCoverage('democratic_life', aTeam(), pairsOf([1, 2]));
      expect(c.done).toBe(1);
      expect(c.percent).toBe(33);
      expect(named(c.missing)).toEqual(['李四—王书记', '王书记—赵敏'].sort());
      const two = talkCoverage('democratic_life', aTeam(), pairsOf([1, 2], [1, 3]));
      expect(two.percent).toBe(66);
    });

    it('counts a pair whichever of the two logged it', () => {
      const c = talkCoverage('democratic_life', aTeam(), pairsOf([2, 1], [3, 1], [4, 1]));
      expect(c.missing).toEqual([]);
      expect(c.percent).toBe(100);
    });

    it('does not count member-to-member talks toward the required pairs', () => {
      const c = talkCoverage('democratic_life', aTeam(), pairsOf([2, 3], [2, 4], [3, 4]));
      expect(c.done).toBe(0);
      expect(c.expectedMissing).toEqual([]);
    });

    it('requires the pairs of every principal when a team has two', () => {
      const roster = [...aTeam(), aMember(6, '马副书记', 'principal')];
      const c = talkCoverage('democratic_life', roster, new Set());
      // 王书记 ×4 (张三 李四 赵敏 马副书记) + 马副书记 ×3 (张三 李四 赵敏); the pair of the two principals once.
      expect(c.required).toHaveLength(7);
    });

    it('is 100% when nothing is required', () => {
      expect(talkCoverage('democratic_life', [aMember(1, '王书记', 'principal')], new Set()).percent).toBe(100);
    });
  });

  describe('组织生活会: every pair of committee members must talk', () => {
    it('requires all pairs among 孙书记, 钱委员, 吴委员', () => {
      const c = talkCoverage('org_life', aBranch(), new Set());
      expect(named(c.required)).toEqual(['孙书记—钱委员', '吴委员—孙书记', '吴委员—钱委员'].sort());
    });

    it('expects the committee to talk with party members and probationary members widely', () => {
      const c = talkCoverage('org_life', aBranch(), new Set());
      expect(c.expectedTotal).toBe(3 * 3); // 3 committee × (郑党员, 冯党员, 陈预备)
    });

    it('is 100% only when the pair of two committee members is logged too', () => {
      const withSecretary = talkCoverage('org_life', aBranch(), pairsOf([11, 12], [11, 13]));
      expect(withSecretary.percent).toBe(66);
      expect(named(withSecretary.missing)).toEqual(['吴委员—钱委员']);
      const all = talkCoverage('org_life', aBranch(), pairsOf([11, 12], [11, 13], [12, 13]));
      expect(all.percent).toBe(100);
    });

    it('gives n(n-1)/2 required pairs for a committee of 5', () => {
      const roster = [aMember(1, '甲', 'principal'), ...[2, 3, 4, 5].map((id) => aMember(id, `委${id}`, 'member'))];
      expect(talkCoverage('org_life', roster, new Set()).required).toHaveLength(10);
    });
  });

  it('keys a pair independently of order', () => {
    expect(pairKey(7, 3)).toBe(pairKey(3, 7));
    expect(pairKey(7, 3)).not.toBe(pairKey(7, 4));
  });
});
