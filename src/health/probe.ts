import { sql } from 'kysely';
import type { Channel, ChannelStatus } from '../bot/channel.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';

/** What `/healthz` answers, and what the gauges of `/metrics` are set from. */
export interface HealthReport {
  /** `ok`: all up; `degraded`: the database answers but a platform connection is down; `down`: no database. */
  status: 'ok' | 'degraded' | 'down';
  database: { reachable: boolean };
  channels: Array<{ name: string } & ChannelStatus>;
  /** Messages waiting in the outbox (pending, including those waiting for a retry); null without a database. */
  outbox: { pending: number; oldestPendingAgeSeconds: number } | null;
}

export interface ProbeDeps {
  db: Db;
  channels: ReadonlyMap<string, Channel>;
  clock: Clock;
  log: Logger;
}

/** How long `select 1` may take before the database counts as unreachable. */
export const DB_PROBE_TIMEOUT_MS = 2_000;

/** Resolves with the promise's value, or rejects once `ms` have passed (the timer does not hold the process). */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Looks at the database (`select 1`), every channel's connection and the outbox backlog. Never
 * throws: an unreachable database is part of the answer (and logged when the state changes, so a
 * probe every few seconds does not flood the log). Ages come from the injected clock.
 * @example const probe = healthProbe({ db, channels: app.channels, clock, log }); (await probe()).status // → 'ok'
 */
export function healthProbe(deps: ProbeDeps, timeoutMs = DB_PROBE_TIMEOUT_MS): () => Promise<HealthReport> {
  let lastReachable = true;
  return async () => {
    const channels = [...deps.channels.values()].map((c) => ({ name: c.name, ...c.status() }));
    let outbox: HealthReport['outbox'] = null;
    let reachable = true;
    try {
      await within(timeoutMs, sql`select 1`.execute(deps.db));
      const row = await within(timeoutMs, deps.db.selectFrom('outbox')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('created_at').as('oldest')])
        .where('status', '=', 'pending').executeTakeFirst());
      const oldest = row?.oldest ? Date.parse(String(row.oldest)) : undefined;
      const age = oldest === undefined ? 0 : Math.max(0, Math.floor((deps.clock.now().getTime() - oldest) / 1000));
      outbox = { pending: Number(row?.n ?? 0), oldestPendingAgeSeconds: age };
    } catch (err) {
      reachable = false;
      if (lastReachable) deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'health: the database does not answer');
    }
    if (reachable && !lastReachable) deps.log.info('health: the database answers again');
    lastReachable = reachable;
    const status = !reachable ? 'down' : channels.every((c) => c.up) ? 'ok' : 'degraded';
    return { status, database: { reachable }, channels, outbox };
  };
}
