import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type LogEvent } from 'kysely';
import { createApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import type { Config } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import type { IncomingMessage } from '../../src/messages.js';
import type { Database } from '../../src/store/schema.js';
import { percentile } from './stats.js';

export interface CommandProfile {
  measure: string;
  queries: number;
  /** Median time inside SQLite per command (Kysely's queryDurationMillis, summed). */
  sqlMs: number;
  /** Median wall time per command. */
  totalMs: number;
  /** The statements of one run, in order (first 60 characters each). */
  statements: string[];
}

/**
 * Where a command's time goes: a second app on the same file whose Kysely logs every query.
 * Not part of the timed run (logging costs a little).
 */
export async function profileCommands(
  file: string, config: Readonly<Config>, clock: Clock, commands: Array<{ measure: string; messages: IncomingMessage[] }>,
  opts: { cacheStatements?: boolean } = {},
): Promise<CommandProfile[]> {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  let events: LogEvent[] = [];
  const database = opts.cacheStatements ? withStatementCache(sqlite) : sqlite;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }), log: (e) => void events.push(e) });
  const app = await createApp({ config, clock, log: silentLogger, db });
  const out: CommandProfile[] = [];
  for (const { measure, messages } of commands) {
    const counts: number[] = [];
    const sql: number[] = [];
    const total: number[] = [];
    let statements: string[] = [];
    for (const msg of messages) {
      events = [];
      const t0 = performance.now();
      await app.handle(msg);
      total.push(performance.now() - t0);
      counts.push(events.length);
      sql.push(events.reduce((s, e) => s + e.queryDurationMillis, 0));
      statements = events.map((e) => e.query.sql.replace(/\s+/g, ' ').slice(0, 60));
    }
    out.push({ measure, queries: percentile(counts, 50), sqlMs: percentile(sql, 50), totalMs: percentile(total, 50), statements });
  }
  await app.stop();
  return out;
}

/**
 * The experiment behind one suggestion: better-sqlite3 statements reused by SQL text instead of
 * prepared anew for every query (Kysely's SqliteDriver calls `prepare` each time).
 */
export function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') return Reflect.get(target, prop, receiver) as unknown;
      return (text: string) => {
        let st = cache.get(text);
        if (!st) cache.set(text, (st = target.prepare(text)));
        return st;
      };
    },
  });
}

/** Microseconds per call of the app's toLocalDate (dayjs + tz plugin) and of a cached Intl formatter. */
export function localDateMicros(toLocalDate: (at: Date) => string, iterations = 5_000): { app: number; cachedIntl: number } {
  const at = new Date('2027-01-10T02:00:00Z');
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
  if (fmt.format(at) !== toLocalDate(at)) throw new Error('cached Intl formatter disagrees with toLocalDate');
  const time = (fn: () => void) => {
    for (let i = 0; i < 500; i++) fn();
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    return ((performance.now() - t0) * 1000) / iterations;
  };
  return { app: time(() => toLocalDate(at)), cachedIntl: time(() => fmt.format(at)) };
}

/** Microseconds Kysely needs to build and compile one typical query (no execution). */
export function kyselyCompileMicros(iterations = 20_000): number {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    db.selectFrom('identity').innerJoin('person', 'person.id', 'identity.person_id')
      .select(['identity.person_id', 'identity.confirmed', 'person.name'])
      .where('identity.platform', '=', 'wecom').where('identity.user_id', '=', `wx${i}`).compile();
  }
  const micros = ((performance.now() - t0) * 1000) / iterations;
  void db.destroy();
  return micros;
}

/** Microseconds better-sqlite3 needs to prepare (not run) one such statement, as Kysely's driver does per query. */
export function prepareMicros(file: string, iterations = 20_000): number {
  const sqlite = new SQLite(file, { readonly: true });
  const text = 'select "identity"."person_id", "identity"."confirmed", "person"."name" from "identity" inner join "person" on "person"."id" = "identity"."person_id" where "identity"."platform" = ? and "identity"."user_id" = ?';
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) sqlite.prepare(text);
  const micros = ((performance.now() - t0) * 1000) / iterations;
  sqlite.close();
  return micros;
}
