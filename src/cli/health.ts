import type { App } from '../app.js';
import type { BotMetrics } from '../health/metrics.js';
import { startHealthServer } from '../health/server.js';
import { healthText } from '../text/ops.js';

/**
 * Starts the health and metrics server on HEALTH_HOST:HEALTH_PORT for a running app and stops it
 * with the app. Throws an Error with a Chinese message when the port cannot be bound.
 */
export async function startHealthIfAsked(app: App, metrics: BotMetrics, print: (line: string) => void): Promise<void> {
  const port = app.config.HEALTH_PORT;
  if (port === undefined) return;
  const host = app.config.HEALTH_HOST;
  let server;
  try {
    server = await startHealthServer(app, metrics, { host, port });
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new Error(healthText.portFailed({ host, port, reason }), { cause: err });
  }
  app.onStop(() => server.close());
  app.log.info({ url: server.url }, 'health server listening');
  print(healthText.listening({ url: server.url }));
}
