import type { Role } from '../domain/types.js';
import { dashboardRoles } from '../store/dashboard.repository.js';
import type { Q } from '../store/helpers.js';
import type { Unit } from '../store/unit.repository.js';
import type { UnitTree } from './summary-cache.js';

/**
 * What one person may see on the dashboard, decided on the server for every page and download:
 * a 上级 sees the unit they supervise and every unit below it; a 联络员 or 主要负责人 their own unit;
 * anybody else nothing.
 */
export interface Scope {
  /** Every unit the person may open. */
  visible: ReadonlySet<number>;
  /** The units of the overview (a supervising body that holds no meeting itself is not a row, as in /汇总). */
  rows: readonly Unit[];
  /** The units the person's roles are in (the tops of what they see), with the role that opened each. */
  tops: ReadonlyArray<{ unit: Unit; role: Role }>;
}

export const EMPTY_SCOPE: Scope = { visible: new Set(), rows: [], tops: [] };

/** Breadth-first from `rootId` over the tree (the order `unitSubtree` gives). */
export function subtreeIds(tree: UnitTree, rootId: number): number[] {
  const out: number[] = [];
  const queue = [rootId];
  const seen = new Set<number>();
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    if (seen.has(id) || !tree.units.has(id)) continue;
    seen.add(id);
    out.push(id);
    queue.push(...(tree.children.get(id) ?? []));
  }
  return out;
}

/**
 * Scopes by tree (a new tree is read whenever the directory, roles included, changes), person and
 * `epoch` (the summary cache's generation: whether a supervising unit holds meetings itself can
 * change with any command).
 */
const kept = new WeakMap<UnitTree, Map<string, Scope>>();

export async function scopeOf(db: Q, tree: UnitTree, personId: number, epoch = 0): Promise<Scope> {
  let byPerson = kept.get(tree);
  if (!byPerson) kept.set(tree, (byPerson = new Map()));
  const key = `${personId}|${epoch}`;
  let scope = byPerson.get(key);
  if (!scope) {
    scope = await computeScope(db, tree, personId);
    if (byPerson.size >= 256) byPerson.clear();
    byPerson.set(key, scope);
  }
  return scope;
}

async function computeScope(db: Q, tree: UnitTree, personId: number): Promise<Scope> {
  const roles = await dashboardRoles(db, personId);
  if (roles.length === 0) return EMPTY_SCOPE;
  const visible = new Set<number>();
  const rowIds: number[] = [];
  const tops: Array<{ unit: Unit; role: Role }> = [];
  const add = (id: number) => {
    if (!visible.has(id)) {
      visible.add(id);
      rowIds.push(id);
    }
  };
  // Supervisors first: a person who is both 上级 and 联络员 of one unit sees its subtree.
  const ordered = [...roles].sort((a, b) => Number(b.role === 'supervisor') - Number(a.role === 'supervisor'));
  const pureTops = new Set<number>();
  for (const r of ordered) {
    const unit = tree.units.get(r.unitId);
    if (!unit || tops.some((t) => t.unit.id === unit.id)) continue;
    tops.push({ unit, role: r.role });
    if (r.role === 'supervisor') {
      const ids = subtreeIds(tree, r.unitId);
      if (!visible.has(r.unitId) && !(await tree.holdsMeetings(r.unitId))) pureTops.add(r.unitId);
      for (const id of ids) add(id);
    } else {
      pureTops.delete(r.unitId);
      add(r.unitId);
    }
  }
  const rows = rowIds.filter((id) => !pureTops.has(id)).map((id) => tree.units.get(id)!);
  return { visible, rows, tops };
}
