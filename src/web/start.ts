import type { App } from '../app.js';
import { dashboardCli } from '../text/dashboard.js';
import { createDashboard, type Dashboard } from './server.js';

/**
 * Starts the dashboard beside the bot (same process, same store) on `port` (0: any free port) and
 * stops it with the app. A port that cannot be used is reported and the bot runs without it.
 */
export async function startDashboard(app: App, port: number, print: (line: string) => void): Promise<Dashboard | undefined> {
  const dashboard = createDashboard(app, { port });
  try {
    const base = await dashboard.listen();
    app.onStop(() => dashboard.close());
    print(dashboardCli.started({ url: base }));
    return dashboard;
  } catch (err) {
    const reason = err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.message) : String(err);
    app.log.warn({ port, reason }, 'dashboard could not listen');
    print(dashboardCli.portBusy({ port, reason }));
    await dashboard.close().catch((e: unknown) => app.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'dashboard: close after a failed start'));
    return undefined;
  }
}
