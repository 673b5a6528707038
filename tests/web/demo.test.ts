import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runChat } from '../../src/cli/chat.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';

/** `npm run demo` in one step: the dashboard starts on the demo data and a printed link opens it. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shh-demo-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm run demo', () => {
  it('prints a sign-in link that opens the dashboard on the demo data', async () => {
    const input = new PassThrough();
    const printed: string[] = [];
    let resolveLink: (url: string) => void = () => undefined;
    const linkPrinted = new Promise<string>((r) => (resolveLink = r));
    const done = runChat({
      config: loadConfig({ DATABASE_URL: path.join(dir, 'x.db') }), log: silentLogger, input, demo: true,
      print: (line) => {
        printed.push(line);
        const m = /(http:\/\/127\.0\.0\.1:\d+\/login\?t=[A-Za-z0-9_-]+)/.exec(line);
        if (m) resolveLink(m[1]!);
      },
    });
    const link = await linkPrinted;
    const open = await fetch(link);
    expect(open.status).toBe(200);
    const html = await open.text();
    expect(html).toContain('这是发给 陈部长 的看板登录链接');
    const form = /name="f" value="([^"]+)"/.exec(html)![1]!;
    const cookie = open.headers.get('set-cookie')!.split(';')[0]!;
    const origin = new URL(link).origin;
    const signIn = await fetch(`${origin}/login`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams({ t: new URL(link).searchParams.get('t')!, f: form }),
      headers: { cookie, origin },
    });
    expect(signIn.status).toBe(303);
    const session = signIn.headers.getSetCookie().find((c) => c.startsWith('shh_session='))!.split(';')[0]!;
    const home = await (await fetch(`${origin}/`, { headers: { cookie: session } })).text();
    expect(home).toContain('区委组织部 · 单位总览');
    expect(home).toContain('区教育局党组');
    input.end(':quit\n');
    expect(await done).toBe(0);
    expect(printed.join('\n')).toContain('看板已启动');
    // Stopping the chat stops the dashboard.
    await expect(fetch(`${origin}/`)).rejects.toThrow();
  }, 60_000);
});
