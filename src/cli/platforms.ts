import { createApp } from '../app.js';
import { systemClock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';

/** Runs the bot on the configured platforms until SIGINT/SIGTERM. */
export async function runPlatforms(opts: { config: Readonly<Config>; log: Logger }): Promise<number> {
  const app = await createApp({ config: opts.config, clock: systemClock, log: opts.log });
  await app.start();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.stop();
  return 0;
}
