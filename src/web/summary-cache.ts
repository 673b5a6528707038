import type { LocalDate } from '../domain/dates.js';
import { seriesDays, overdueSeries } from '../domain/trends.js';
import { nameRanks, type UnitSummary } from '../domain/summary.js';
import type { Db } from '../store/db.js';
import {
  auditedUnitsSince, failedDeliveriesAll, holdsMeetings, itemTimelines, lastAuditId, loadUnitSummaries,
} from '../store/supervision.repository.js';
import { parseSettings, type Unit } from '../store/unit.repository.js';

/** Every unit and the tree they form, as read at one directory version. */
export interface UnitTree {
  units: ReadonlyMap<number, Unit>;
  /** Each unit's place in the Chinese order of names (ties of `worstFirst` are broken by it). */
  nameRank: ReadonlyMap<number, number>;
  children: ReadonlyMap<number, readonly number[]>;
  /** Units that hold meetings of their own (a pure supervising body does not: see `supervisedUnits`). */
  holdsMeetings(unitId: number): Promise<boolean>;
}

export interface UnitEntry {
  summary: UnitSummary;
  /** Overdue items at the end of each of {@link seriesDays}(today). */
  overdue: number[];
}

/**
 * The dashboard's summaries, kept between page views: `/汇总` over a district of 3,000 units reads
 * some 300,000 rows (over half a second here), too slow for a page that is looked at again and
 * again. Each unit's summary is the one `/汇总` computes (`loadUnitSummaries`, the same code), and
 * it is computed again when:
 * - the day changes (deadlines pass): everything;
 * - an audit row names the unit: every state-changing command writes one, with its unit, in this
 *   process or another (the CLI's roster import too); the unit and every unit below it (a /部署
 *   at the top changes the campaigns of the whole tree);
 * - the directory's version moves (unit names, parents, settings; triggers on SQLite and
 *   PostgreSQL, see migration 06): the units whose row changed, and those below them.
 * Failed deliveries (the outbox's, not audited) are read fresh on every page. `generation` moves only
 * when an entry computed again differs from the one it replaces (or the tree, the day or the failed
 * counts change): pages built from the entries are kept until then.
 */
export class SummaryCache {
  private today: LocalDate | undefined;
  private readonly entries = new Map<number, UnitEntry>();
  private auditMark: number | undefined;
  private tree: { version: number | undefined; tree: UnitTree } | undefined;
  private readonly meetingHolders = new Map<number, boolean>();
  private failedSignature = '';
  /** Units whose entry must be computed again before it is shown. */
  private readonly stale = new Set<number>();
  /** Moves whenever any entry may have changed (pages built from the entries are kept until it moves). */
  generation = 0;
  /** One refresh at a time: concurrent pages wait for the same reads. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Db) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The unit tree (re-read when the directory's version moves). */
  unitTree(): Promise<UnitTree> {
    return this.serial(() => this.readTree());
  }

  private async readTree(): Promise<UnitTree> {
    const version = (await this.db.selectFrom('store_version').select('n').where('name', '=', 'directory').executeTakeFirst())?.n;
    if (this.tree && version !== undefined && this.tree.version === version) return this.tree.tree;
    const rows = await this.db.selectFrom('unit').select(['id', 'name', 'parent_id', 'settings']).orderBy('id').execute();
    const units = new Map<number, Unit>();
    const children = new Map<number, number[]>();
    for (const r of rows) {
      units.set(r.id, { id: r.id, name: r.name, parentId: r.parent_id, settings: parseSettings(r.settings) });
      if (r.parent_id !== null) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r.id]);
    }
    const before = this.tree?.tree;
    const tree: UnitTree = { units, children, nameRank: nameRanks(units.values()), holdsMeetings: (id) => this.holds(id) };
    if (before) {
      const changed: number[] = [];
      for (const [id, u] of units) {
        const old = before.units.get(id);
        if (!old || old.name !== u.name || old.parentId !== u.parentId || JSON.stringify(old.settings) !== JSON.stringify(u.settings)) changed.push(id);
      }
      this.forget(tree, changed);
    }
    this.meetingHolders.clear();
    this.tree = { version, tree };
    this.generation++;
    return tree;
  }

  private async holds(unitId: number): Promise<boolean> {
    let v = this.meetingHolders.get(unitId);
    if (v === undefined) this.meetingHolders.set(unitId, (v = await holdsMeetings(this.db, unitId)));
    return v;
  }

  /** Marks the units and everything below them for computing again (their old entries stay until then). */
  private forget(tree: UnitTree, unitIds: readonly number[]): void {
    const stack = [...unitIds];
    const seen = new Set<number>();
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      if (this.entries.has(id)) this.stale.add(id);
      this.meetingHolders.delete(id);
      stack.push(...(tree.children.get(id) ?? []));
    }
  }

  private failed = new Map<number, number>();

  /**
   * Brings what is kept up to date: a new day, the units audit rows name since the last look (their
   * entries computed again now), the tree, the failed deliveries. `generation` tells whether anything
   * a page shows has changed since.
   */
  refresh(today: LocalDate): Promise<void> {
    return this.serial(async () => {
      await this.update(today);
    });
  }

  private async update(today: LocalDate): Promise<UnitTree> {
    const tree = await this.readTree();
    if (this.today !== today) {
      this.entries.clear();
      this.stale.clear();
      this.today = today;
      this.generation++;
    }
    if (this.auditMark === undefined) this.auditMark = await lastAuditId(this.db);
    else {
      const { lastId, unitIds } = await auditedUnitsSince(this.db, this.auditMark);
      this.auditMark = lastId;
      if (unitIds.length) {
        this.forget(tree, unitIds);
        this.meetingHolders.clear();
      }
    }
    if (this.stale.size) await this.compute(tree, [...this.stale], today);
    this.failed = await failedDeliveriesAll(this.db);
    const signature = JSON.stringify([...this.failed]);
    if (signature !== this.failedSignature) {
      this.failedSignature = signature;
      this.generation++;
    }
    return tree;
  }

  /** Computes the entries of these units; the generation moves when one differs from what it replaces. */
  private async compute(tree: UnitTree, unitIds: readonly number[], today: LocalDate): Promise<void> {
    const units = unitIds.map((id) => tree.units.get(id)).filter((u): u is Unit => u !== undefined);
    for (const id of unitIds) if (!tree.units.has(id)) { this.entries.delete(id); this.stale.delete(id); }
    if (units.length === 0) return;
    const days = seriesDays(today);
    const [summaries, timelines] = await Promise.all([loadUnitSummaries(this.db, units, today), itemTimelines(this.db, units.map((u) => u.id))]);
    let changed = false;
    for (const s of summaries) {
      const entry = { summary: s, overdue: overdueSeries(timelines.get(s.unitId) ?? [], days) };
      const old = this.entries.get(s.unitId);
      // Most commands change nothing a summary shows (a second talk with the same person, a reminder setting).
      if (!old || JSON.stringify(old) !== JSON.stringify(entry)) changed = true;
      this.entries.set(s.unitId, entry);
      this.stale.delete(s.unitId);
    }
    if (changed) this.generation++;
  }

  /**
   * The entries of these units for `today` (brought up to date, the missing ones computed), failed
   * deliveries current. In the order given.
   */
  entriesOf(units: readonly Unit[], today: LocalDate): Promise<UnitEntry[]> {
    return this.serial(async () => {
      const tree = await this.update(today);
      const missing = units.filter((u) => !this.entries.has(u.id)).map((u) => u.id);
      if (missing.length) await this.compute(tree, missing, today);
      return units.map((u) => {
        const e = this.entries.get(u.id)!;
        const f = this.failed.get(u.id) ?? 0;
        return e.summary.failed === f ? e : { ...e, summary: { ...e.summary, failed: f } };
      });
    });
  }
}
