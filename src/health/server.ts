import Fastify, { type FastifyInstance } from 'fastify';
import type { BotMetrics } from './metrics.js';
import { healthProbe, type ProbeDeps } from './probe.js';

/**
 * The health and metrics HTTP server: `GET /healthz` (JSON {@link HealthReport}; 200 while the
 * database answers, 503 when it does not — a platform connection down is `degraded`, still 200,
 * since restarting the bot does not bring a platform back) and `GET /metrics` (Prometheus text).
 * Built without listening, so tests can `inject` requests.
 * @example const server = buildHealthServer(app, metrics); const res = await server.inject('/healthz');
 */
export function buildHealthServer(deps: ProbeDeps, metrics: BotMetrics): FastifyInstance {
  const probe = healthProbe(deps);
  const server = Fastify({ logger: false });
  server.get('/healthz', async (_req, reply) => {
    const report = await probe();
    return reply.code(report.database.reachable ? 200 : 503).send(report);
  });
  server.get('/metrics', async (_req, reply) => {
    const text = await metrics.render(await probe());
    return reply.type(metrics.contentType).send(text);
  });
  server.setErrorHandler((err, _req, reply) => {
    deps.log.error({ err: err instanceof Error ? err.message : String(err) }, 'health server: request failed');
    return reply.code(500).send({ error: 'internal error' });
  });
  return server;
}

export interface RunningHealthServer {
  /** `http://host:port`, with the port actually bound (port 0 picks a free one). */
  readonly url: string;
  close(): Promise<void>;
}

/** Builds the server and listens on `host:port`; rejects when the port cannot be bound. */
export async function startHealthServer(deps: ProbeDeps, metrics: BotMetrics, at: { host: string; port: number }): Promise<RunningHealthServer> {
  const server = buildHealthServer(deps, metrics);
  await server.listen({ host: at.host, port: at.port });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : at.port;
  const host = at.host.includes(':') ? `[${at.host}]` : at.host;
  return { url: `http://${host}:${port}`, close: () => server.close() };
}
