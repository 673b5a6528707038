import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { READ_CACHE_MAX, ReadCache } from '../../src/commands/read-cache.js';
import { atLocalTime } from '../../src/domain/dates.js';

/** A cache whose loads are counted per key. */
function counted() {
  const clock = new ManualClock(atLocalTime('2026-12-01', 9));
  const cache = new ReadCache(clock);
  const loads = new Map<string, number>();
  const get = (key: string) => cache.get(key, async () => {
    loads.set(key, (loads.get(key) ?? 0) + 1);
    return `value of ${key}`;
  });
  return { clock, cache, loads, get };
}

describe('the read cache of read-only commands', () => {
  it('serves a repeated look-up from memory, and reads again after a minute', async () => {
    const { clock, loads, get } = counted();
    expect(await get('roster:1')).toBe('value of roster:1');
    await get('roster:1');
    expect(loads.get('roster:1')).toBe(1);
    clock.advance(61_000);
    await get('roster:1');
    expect(loads.get('roster:1')).toBe(2);
  });

  it('reads everything again after clear (any command that may write)', async () => {
    const { cache, loads, get } = counted();
    await get('unit:console:一支部');
    cache.clear();
    await get('unit:console:一支部');
    expect(loads.get('unit:console:一支部')).toBe(2);
  });

  it(`keeps at most ${READ_CACHE_MAX} entries, letting the oldest go first`, async () => {
    const { loads, get } = counted();
    for (let i = 0; i <= READ_CACHE_MAX; i++) await get(`roster:${i}`);
    // roster:0 was the oldest when the limit was passed: read again. The newest are still kept.
    await get(`roster:${READ_CACHE_MAX}`);
    await get('roster:1');
    expect(loads.get(`roster:${READ_CACHE_MAX}`)).toBe(1);
    expect(loads.get('roster:1')).toBe(1);
    await get('roster:0');
    expect(loads.get('roster:0')).toBe(2);
  });
});
