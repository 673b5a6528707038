import type { Clock } from '../../clock.js';
import { RecentMap } from './recent-map.js';

/**
 * Remembers robot msgIds for a while, so that a CALLBACK pushed again (DingTalk re-pushes one
 * that was not acked in time, and the SDK does not deduplicate) is handled once even while the
 * first copy is still being handled. The store's (channel, msgId) check stays the real guarantee.
 * @example guard.firstTime('msgA') // true, then false for the same id within ttlMs
 */
export class RedeliveryGuard {
  private readonly seen: RecentMap<string, number>;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 30 * 60_000,
    max = 10_000,
  ) {
    this.seen = new RecentMap(max);
  }

  firstTime(msgId: string): boolean {
    const now = this.clock.now().getTime();
    const until = this.seen.get(msgId);
    if (until !== undefined && until > now) return false;
    this.seen.set(msgId, now + this.ttlMs);
    return true;
  }
}
