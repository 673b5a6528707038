import { percentile, round } from './stats.js';

/**
 * One line of the benchmark's output. Latency measures fill p50/p99 and compare their p99 with the
 * floor's p99; later measures (scheduler_run, rss_mb, …) add rows of the same shape, with extra
 * numeric fields when they need them.
 */
export interface BenchRow {
  measure: string;
  p50_ms?: number;
  p99_ms?: number;
  floor_ms?: number;
  ratio?: number;
  /** Commands: p50 / the floor's p50 over the floor samples taken alongside it. */
  p50_ratio?: number;
  [field: string]: string | number | undefined;
}

/** The command-vs-floor target from the issue: p99 (and p50, issue 14) within 10× one indexed read + one indexed write. */
export const TARGET_RATIO = 10;
/** The scheduler's targets (issue 3): a run within 2× the hand-written due-rows query, and under 50 ms. */
export const SCHEDULER_RATIO = 2;
export const SCHEDULER_MS = 50;

const COMMANDS = new Set(['progress', 'talk', 'rectify_complete']);

/** The target a row is held to, and whether it is met (undefined: the row is a figure, not a target). */
export function targetOf(r: BenchRow): { target: string; met: boolean } | undefined {
  if (COMMANDS.has(r.measure) && r.ratio !== undefined) {
    return { target: `p50, p99 ≤${TARGET_RATIO}× floor`, met: r.ratio <= TARGET_RATIO && (r.p50_ratio ?? 0) <= TARGET_RATIO };
  }
  if (r.measure === 'scheduler_run' && r.ratio !== undefined && r.p99_ms !== undefined) {
    return { target: `p99 ≤${SCHEDULER_RATIO}× query, <${SCHEDULER_MS} ms`, met: r.ratio <= SCHEDULER_RATIO && r.p99_ms < SCHEDULER_MS };
  }
  return undefined;
}

/** p50/p99 of a measure, with floor_ms = the floor's p99 over the floor samples taken alongside it (p50_ratio: against their p50). */
export function latencyRow(measure: string, samples: readonly number[], floorSamples: readonly number[]): BenchRow {
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  const floorP99 = percentile(floorSamples, 99);
  const floorP50 = percentile(floorSamples, 50);
  return { measure, p50_ms: round(p50), p99_ms: round(p99), floor_ms: round(floorP99), ratio: round(p99 / floorP99, 1), p50_ratio: round(p50 / floorP50, 1) };
}

export function printJson(rows: readonly BenchRow[], out: (line: string) => void): void {
  for (const row of rows) out(JSON.stringify(row));
}

export function printTable(rows: readonly BenchRow[], out: (line: string) => void): void {
  const head = ['measure', 'p50 ms', 'p99 ms', 'floor p99 ms', 'ratio', 'p50 ratio', 'target', ''];
  const body = rows.map((r) => {
    const t = targetOf(r);
    return [r.measure, fmt(r.p50_ms), fmt(r.p99_ms), fmt(r.floor_ms), r.ratio === undefined ? '' : `${r.ratio}×`, r.p50_ratio === undefined ? '' : `${r.p50_ratio}×`, t?.target ?? '', t ? (t.met ? 'ok' : 'MISSED') : ''];
  });
  const widths = head.map((h, i) => Math.max(width(h), ...body.map((b) => width(b[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out(line(head));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) out(line(b));
}

const fmt = (v: number | undefined) => (v === undefined ? '' : v.toFixed(3));
/** Display width: CJK characters take two columns. */
const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
