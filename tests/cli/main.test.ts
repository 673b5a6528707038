import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

/** The `shenghuohui` command line itself: a mistyped invocation gets a Chinese line saying what to type, never a stack trace. */
afterEach(() => vi.restoreAllMocks());

function capture(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  return { out, err };
}

describe('shenghuohui', () => {
  it('chat with a stray argument says how to pick another database instead of throwing', async () => {
    const { out } = capture();
    expect(await main(['chat', 'data/x.db'])).toBe(2);
    expect(out.join('')).toContain('chat 不带参数“data/x.db”。用法：shenghuohui chat [--demo] [--health]；要换数据库文件，请设置 DATABASE_URL');
  });

  it('an unknown subcommand points to help', async () => {
    const { out } = capture();
    expect(await main(['hlep'])).toBe(2);
    expect(out.join('')).toContain('没有“hlep”这个命令。运行 shenghuohui help 查看用法。');
  });

  it('a failure inside a subcommand is one line for the operator (details in the log), and exit code 1', async () => {
    const { err } = capture();
    // A directory is not a database file: opening it fails inside the subcommand.
    vi.stubEnv('DATABASE_URL', '/');
    vi.stubEnv('LOG_LEVEL', 'silent');
    try {
      expect(await main(['remind', '--preview'])).toBe(1);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(err.join('')).toContain('shenghuohui remind 出错了，已写入日志');
    expect(err.join('')).not.toMatch(/\n\s+at /);
  });
});
