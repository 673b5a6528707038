import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runChat } from '../../src/cli/chat.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { atLocalTime } from '../../src/domain/dates.js';
import { silentLogger } from '../../src/log.js';
import { eventually } from '../bot/wecom/helpers.js';
import { tempStore } from '../scheduler/harness.js';

/** The terminal chat starts the health server only when asked (`chat --health`), and stops it on :quit. */
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

async function chatWith(env: Record<string, string>, health: boolean) {
  const db = await tempStore();
  cleanup = db.cleanup;
  const input = new PassThrough();
  const printed: string[] = [];
  const done = runChat({
    config: loadConfig({ DATABASE_URL: db.url, ...env }),
    log: silentLogger,
    clock: new ManualClock(atLocalTime('2026-12-01', 9, 0)),
    input,
    print: (line) => printed.push(line),
    health,
  });
  return { input, printed, done };
}

describe('shenghuohui chat --health', () => {
  it('serves /healthz while the chat runs and closes the port on :quit', async () => {
    const { input, printed, done } = await chatWith({ HEALTH_PORT: '0' }, true);
    await eventually(() => printed.some((l) => l.includes('/healthz')), 5000, 'the health server line');
    const url = /(http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(printed.join('\n'))![1]!;
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', channels: [{ name: 'console', state: 'local' }] });
    input.end(':quit\n');
    expect(await done).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('does not open the port in the terminal chat unless asked, even with HEALTH_PORT set', async () => {
    const { input, printed, done } = await chatWith({ HEALTH_PORT: '0' }, false);
    await eventually(() => printed.some((l) => l.includes('2026-12-01')), 5000, 'the banner');
    input.end(':quit\n');
    expect(await done).toBe(0);
    expect(printed.join('\n')).not.toContain('/healthz');
  });

  it('--health without HEALTH_PORT says how to set it, exit code 2', async () => {
    const { printed, done } = await chatWith({}, true);
    expect(await done).toBe(2);
    expect(printed).toEqual(['--health 需要先设置端口，例如：HEALTH_PORT=9464 npm run cli -- chat --health']);
  });
});
