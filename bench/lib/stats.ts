/** Latency samples in milliseconds → percentiles (nearest-rank). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * Runs `fn` `warmup` times unmeasured, then `iterations` times, returning each duration in ms.
 * The warm-up ({@link WARMUP}) stands for the bot having served a while: its code compiled by the JIT
 * and its young heap grown to size, as in a bot that has been up for more than a few seconds.
 * `between` runs after every timed call, outside the timing (the floor's interleaved operation).
 * 2,000: after 500 the JIT was still at work. Measured on /进度 (3 Dec, per-pass timings): the
 * first 2,500 commands after a 300-command warm-up spent 159–210 µs each outside SQLite, against
 * 97–117 µs once warm; after a 4,000-command warm-up on other units, 111–122 µs. The warm-up
 * does not warm the data: the measured commands still read units not read before.
 */
export const WARMUP = 2000;

export async function sample(
  iterations: number, fn: (i: number) => Promise<void> | void, opts: { warmup?: number; between?: () => void } = {},
): Promise<number[]> {
  const warmup = opts.warmup ?? Math.min(WARMUP, iterations);
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
    opts.between?.();
  }
  return out;
}

export const round = (ms: number, digits = 3): number => Number(ms.toFixed(digits));
