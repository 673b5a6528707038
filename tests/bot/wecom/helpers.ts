import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config.js';
import { SECRET_PATHS, type Logger } from '../../../src/log.js';

/** A real pino logger (with the app's redaction) whose lines are kept for assertions. */
export function captureLog(): { log: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const log = pino(
    { level: 'trace', redact: { paths: SECRET_PATHS, censor: '***' }, base: undefined },
    { write: (line: string) => void lines.push(line) },
  );
  return { log, lines, text: () => lines.join('') };
}

/** Parsed log records with a given message fragment. */
export function records(lines: string[], fragment: string): Array<Record<string, unknown>> {
  return lines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => typeof r.msg === 'string' && r.msg.includes(fragment));
}

export function testConfig(env: Record<string, string>) {
  return loadConfig({ DATABASE_URL: ':memory:', BOT_NAME: '生活会助手', ...env });
}

export function fixture(name: string): { cmd: string; headers: { req_id: string }; body: Record<string, unknown> } {
  return JSON.parse(readFileSync(new URL(`../../fixtures/wecom/${name}`, import.meta.url), 'utf8'));
}

export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until the check passes (for conditions nobody signals, such as a log line). */
export async function eventually(check: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Waits for a log record whose message contains the fragment. */
export const logged = (lines: string[], fragment: string, timeoutMs = 2000) =>
  eventually(() => records(lines, fragment).length > 0, timeoutMs, `log "${fragment}"`);
