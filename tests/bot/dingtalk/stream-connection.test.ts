import { describe, expect, it } from 'vitest';
import { reconnectDelay } from '../../../src/bot/dingtalk/stream-connection.js';

describe(reconnectDelay.name, () => {
  const policy = { baseMs: 1_000, maxMs: 60_000, stableMs: 30_000 };
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [6, 32_000],
    [7, 60_000],
    [50, 60_000],
  ])('after %i failures in a row waits %i ms', (failures, ms) => {
    expect(reconnectDelay(failures, policy)).toBe(ms);
  });
});
