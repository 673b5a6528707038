import { ROLE_WORDS } from '../commands/grammar.js';
import type { Role } from '../domain/types.js';
import type { Q } from '../store/helpers.js';
import { addRole, createPerson, linkIdentity, rosterOf } from '../store/person.repository.js';
import { audit } from '../store/audit.repository.js';
import type { Unit } from '../store/unit.repository.js';
import type { RosterRow } from './roster-import.js';

export interface RosterImportResult {
  added: string[];
  linked: string[];
  /** Rows left alone, with the reason (a duplicate name, an id already linked to someone else). */
  skipped: Array<{ name: string; reason: 'duplicateName' | 'idTaken' }>;
}

/** Maps the file's 角色/职务 cell to a meeting role (书记 → principal, 支委 → member …). */
export function roleOfCell(cell: string | undefined, fallback: Role): Role {
  if (!cell) return fallback;
  const exact = ROLE_WORDS[cell.trim()];
  if (exact) return exact;
  const hit = Object.keys(ROLE_WORDS).sort((a, b) => b.length - a.length).find((w) => cell.includes(w));
  return hit ? ROLE_WORDS[hit]! : fallback;
}

/**
 * Imports a contact export into a unit's roster: each row becomes (or is matched to) a person with
 * a confirmed platform id, so @mentions and private messages reach them. One transaction.
 */
export async function importRoster(db: Q, unit: Unit, rows: RosterRow[], platform: string, fallback: Role, at: string): Promise<RosterImportResult> {
  const result: RosterImportResult = { added: [], linked: [], skipped: [] };
  const roster = await rosterOf(db, unit.id);
  const names = new Map<string, number>();
  for (const r of rows) names.set(r.name, (names.get(r.name) ?? 0) + 1);
  for (const row of rows) {
    if ((names.get(row.name) ?? 0) > 1 && !row.userId) {
      result.skipped.push({ name: row.name, reason: 'duplicateName' });
      continue;
    }
    const matches = roster.filter((m) => m.name === row.name);
    let personId: number;
    if (row.userId) {
      const owner = await db.selectFrom('identity').select('person_id').where('platform', '=', platform).where('user_id', '=', row.userId).executeTakeFirst();
      if (owner && !matches.some((m) => m.id === owner.person_id) && matches.length > 0) {
        result.skipped.push({ name: row.name, reason: 'idTaken' });
        continue;
      }
      personId = owner?.person_id ?? (matches.length === 1 ? matches[0]!.id : await createPerson(db, row.name, at, row.mobile ?? null));
      await linkIdentity(db, personId, platform, row.userId, true, at);
    } else if (matches.length === 1) {
      personId = matches[0]!.id;
    } else {
      personId = await createPerson(db, row.name, at, row.mobile ?? null);
    }
    if (row.mobile) await db.updateTable('person').set({ mobile: row.mobile }).where('id', '=', personId).execute();
    const fresh = await addRole(db, unit.id, personId, roleOfCell(row.role, fallback), at);
    (fresh ? result.added : result.linked).push(row.name);
  }
  await audit(db, at, { actorId: null, unitId: unit.id, chat: 'cli', action: 'roster.import', entity: 'unit', entityId: unit.id, detail: { added: result.added.length, linked: result.linked.length } });
  return result;
}
