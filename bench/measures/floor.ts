import SQLite from 'better-sqlite3';
import type { District } from '../lib/district.js';

/**
 * The floor: one bare better-sqlite3 indexed read (item by unit and number, the unique index) and one
 * indexed write (UPDATE by primary key, its own autocommit transaction) on the same file, with the
 * app's journal mode and synchronous setting.
 *
 * Floor operations are interleaved with the measured commands (one after each command), so both see
 * the same machine load; each measure compares its p99 with the floor p99 taken during it.
 *
 * They run on the app's own connection when it is given: a write from a second connection makes
 * SQLite discard the first connection's page cache, so an interleaved floor on another connection
 * would charge every command a cold cache that a running bot (one connection) never pays.
 */
export interface Floor {
  /** Runs and times one floor operation. */
  tick(): void;
  /** The samples (ms) since the last take. */
  take(): number[];
  /** Every sample so far. */
  all(): number[];
  close(): void;
}

export function openFloor(district: District, synchronous: string, shared?: SQLite.Database): Floor {
  const db = shared ?? new SQLite(district.file);
  if (!shared) {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
  }
  const read = db.prepare('SELECT id, status, deadline FROM item WHERE unit_id = ? AND item_no = ?');
  const write = db.prepare('UPDATE item SET updated_at = ? WHERE id = ?');
  const units = district.units.filter((u) => u.held);
  let n = 0;
  let recent: number[] = [];
  const everything: number[] = [];
  const op = () => {
    const u = units[n % units.length]!;
    const row = read.get(u.unitId, 1 + (n % 20)) as { id: number } | undefined;
    if (!row) throw new Error(`floor: no item ${1 + (n % 20)} in unit ${u.unitId}`);
    write.run(`2027-01-10T02:00:00.${String(n % 1000).padStart(3, '0')}Z`, row.id);
    n++;
  };
  for (let i = 0; i < 200; i++) op(); // warm the statements and the page cache
  return {
    tick() {
      const t0 = performance.now();
      op();
      const ms = performance.now() - t0;
      recent.push(ms);
      everything.push(ms);
    },
    take() {
      const out = recent;
      recent = [];
      return out;
    },
    all: () => [...everything],
    close: () => {
      if (!shared) db.close();
    },
  };
}
