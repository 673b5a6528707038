import { createApp } from '../app.js';
import { BotMetrics } from '../health/metrics.js';
import { platformChannels } from '../bot/channels.js';
import { systemClock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { startHealthIfAsked } from './health.js';
import { createScheduler } from '../scheduler/cron.js';
import { bindEnvWebhooks } from '../store/webhook.repository.js';
import { cliText } from '../text/cli.js';
import { startDashboard } from '../web/start.js';

/** Runs the bot on the configured platforms (and the scheduler) until SIGINT/SIGTERM. */
export async function runPlatforms(opts: { config: Readonly<Config>; log: Logger; print: (line: string) => void }): Promise<number> {
  const metrics = opts.config.HEALTH_PORT === undefined ? undefined : new BotMetrics({ defaults: true });
  const app = await createApp({ config: opts.config, clock: systemClock, log: opts.log, ...(metrics ? { observer: metrics } : {}) });
  const missing = await bindEnvWebhooks(app.db, opts.config, systemClock.now().toISOString());
  for (const unit of missing) opts.log.warn({ unit }, 'a webhook in the environment names a unit that does not exist yet');
  for (const channel of platformChannels(app)) app.addChannel(channel);
  try {
    await app.start();
    if (metrics) await startHealthIfAsked(app, metrics, opts.print);
  } catch (err) {
    opts.log.fatal({ err: err instanceof Error ? err.message : String(err) }, 'could not start');
    opts.print(err instanceof Error ? err.message : String(err));
    await app.stop();
    return 1;
  }
  if (opts.config.DASHBOARD_PORT !== undefined) await startDashboard(app, opts.config.DASHBOARD_PORT, opts.print);
  const scheduler = createScheduler(app);
  app.onStop(() => scheduler.stop());
  void scheduler.tick();
  opts.print(cliText.platformsStarted({ channels: [...app.channels.keys()] }));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.stop();
  return 0;
}
