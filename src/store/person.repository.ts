import type { Member, Role } from '../domain/types.js';
import { insertId, type Q } from './helpers.js';
import { prepared } from './prepared.js';

export interface Identity {
  personId: number;
  name: string;
  confirmed: boolean;
}

const identityOf = prepared((db, platform: string, userId: string) => db
  .selectFrom('identity')
  .innerJoin('person', 'person.id', 'identity.person_id')
  .select(['identity.person_id', 'identity.confirmed', 'person.name'])
  .where('identity.platform', '=', platform)
  .where('identity.user_id', '=', userId));

export async function findIdentity(db: Q, platform: string, userId: string): Promise<Identity | undefined> {
  const r = (await identityOf(db, platform, userId)).rows[0];
  return r && { personId: r.person_id, name: r.name, confirmed: r.confirmed === 1 };
}

const identityAndRoles = prepared((db, platform: string, userId: string, unitId: number) => db
  .selectFrom('identity')
  .innerJoin('person', 'person.id', 'identity.person_id')
  .leftJoin('membership', (join) => join.onRef('membership.person_id', '=', 'identity.person_id').on('membership.unit_id', '=', unitId))
  .select(['identity.person_id', 'identity.confirmed', 'person.name', 'membership.role'])
  .where('identity.platform', '=', platform)
  .where('identity.user_id', '=', userId));

/**
 * {@link findIdentity} and {@link rolesIn} in one query (a group command's sender, in the chat's
 * unit): one row per role, or one row with no role. The roles are of the identity's person, also
 * when the identity is not confirmed (the caller decides whether they count).
 */
export async function findIdentityIn(db: Q, platform: string, userId: string, unitId: number): Promise<{ identity: Identity | undefined; roles: Role[] }> {
  const { rows } = await identityAndRoles(db, platform, userId, unitId);
  const first = rows[0];
  if (!first) return { identity: undefined, roles: [] };
  const roles: Role[] = [];
  for (const r of rows) if (r.role !== null) roles.push(r.role as Role);
  return { identity: { personId: first.person_id, name: first.name, confirmed: first.confirmed === 1 }, roles };
}

export async function createPerson(db: Q, name: string, at: string, mobile: string | null = null): Promise<number> {
  return insertId(db, db.insertInto('person').values({ name, mobile, created_at: at }));
}

export async function linkIdentity(db: Q, personId: number, platform: string, userId: string, confirmed: boolean, at: string): Promise<void> {
  const existing = await db.selectFrom('identity').select(['id']).where('platform', '=', platform).where('user_id', '=', userId).executeTakeFirst();
  if (existing) {
    await db.updateTable('identity').set({ person_id: personId, confirmed: confirmed ? 1 : 0 }).where('id', '=', existing.id).execute();
  } else {
    await db.insertInto('identity').values({ person_id: personId, platform, user_id: userId, confirmed: confirmed ? 1 : 0, created_at: at }).execute();
  }
}

export async function confirmIdentities(db: Q, personId: number, platform: string): Promise<number> {
  const r = await db.updateTable('identity').set({ confirmed: 1 }).where('person_id', '=', personId).where('platform', '=', platform).where('confirmed', '=', 0).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function pendingClaims(db: Q, personId: number, platform: string): Promise<string[]> {
  const rows = await db.selectFrom('identity').select('user_id').where('person_id', '=', personId).where('platform', '=', platform).where('confirmed', '=', 0).execute();
  return rows.map((r) => r.user_id);
}

/** The platform user ids of people (confirmed only), for @mentions. */
export async function userIdsOf(db: Q, personIds: number[], platform: string): Promise<Map<number, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.selectFrom('identity').select(['person_id', 'user_id'])
    .where('person_id', 'in', personIds).where('platform', '=', platform).where('confirmed', '=', 1).execute();
  return new Map(rows.map((r) => [r.person_id, r.user_id]));
}

/** Everyone with a role in the unit, with all their roles, ordered by when they were added. */
const rosterRows = prepared((db, unitId: number) => db
  .selectFrom('membership')
  .innerJoin('person', 'person.id', 'membership.person_id')
  .select(['person.id', 'person.name', 'membership.role'])
  .where('membership.unit_id', '=', unitId)
  .orderBy('membership.id'));

export async function rosterOf(db: Q, unitId: number): Promise<Member[]> {
  const { rows } = await rosterRows(db, unitId);
  const byId = new Map<number, Member>();
  for (const r of rows) {
    const m = byId.get(r.id) ?? { id: r.id, name: r.name, roles: [] };
    m.roles.push(r.role as Role);
    byId.set(r.id, m);
  }
  return [...byId.values()];
}

const roleRows = prepared((db, unitId: number, personId: number) => db.selectFrom('membership').select('role').where('unit_id', '=', unitId).where('person_id', '=', personId));

export async function rolesIn(db: Q, unitId: number, personId: number): Promise<Role[]> {
  const { rows } = await roleRows(db, unitId, personId);
  return rows.map((r) => r.role as Role);
}

/** Units where the person holds any role. */
export async function unitsOfPerson(db: Q, personId: number): Promise<number[]> {
  const rows = await db.selectFrom('membership').select('unit_id').distinct().where('person_id', '=', personId).orderBy('unit_id').execute();
  return rows.map((r) => r.unit_id);
}

export async function addRole(db: Q, unitId: number, personId: number, role: Role, at: string): Promise<boolean> {
  const exists = await db.selectFrom('membership').select('id').where('unit_id', '=', unitId).where('person_id', '=', personId).where('role', '=', role).executeTakeFirst();
  if (exists) return false;
  await db.insertInto('membership').values({ unit_id: unitId, person_id: personId, role, created_at: at }).execute();
  return true;
}

/** Takes one role from a person in the unit (the person stays if they hold another). */
export async function removeRole(db: Q, unitId: number, personId: number, role: Role): Promise<boolean> {
  const r = await db.deleteFrom('membership').where('unit_id', '=', unitId).where('person_id', '=', personId).where('role', '=', role).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function removeMember(db: Q, unitId: number, personId: number): Promise<number> {
  const r = await db.deleteFrom('membership').where('unit_id', '=', unitId).where('person_id', '=', personId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** People holding any of these roles in the unit, each once, in the order of the roles. */
export async function holdersOfRoles(db: Q, unitId: number, roles: readonly Role[]): Promise<Array<{ id: number; name: string }>> {
  const all = [];
  for (const role of roles) all.push(...(await holdersOf(db, unitId, role)));
  return [...new Map(all.map((p) => [p.id, p])).values()];
}

/** People holding a role in the unit. */
export async function holdersOf(db: Q, unitId: number, role: Role): Promise<Array<{ id: number; name: string }>> {
  return db.selectFrom('membership').innerJoin('person', 'person.id', 'membership.person_id')
    .select(['person.id', 'person.name']).where('membership.unit_id', '=', unitId).where('membership.role', '=', role).orderBy('membership.id').execute();
}

export async function personName(db: Q, id: number): Promise<string | undefined> {
  return (await db.selectFrom('person').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

/** Units from `unitId` up to the root (inclusive), nearest first. */
export async function unitChain(db: Q, unitId: number): Promise<number[]> {
  const chain: number[] = [];
  let current: number | null = unitId;
  while (current !== null && !chain.includes(current)) {
    chain.push(current);
    const row: { parent_id: number | null } | undefined = await db.selectFrom('unit').select('parent_id').where('id', '=', current).executeTakeFirst();
    current = row?.parent_id ?? null;
  }
  return chain;
}

/** True when the person holds 上级 on this unit or any unit above it. */
export async function isSupervisorOf(db: Q, unitId: number, personId: number): Promise<boolean> {
  const chain = await unitChain(db, unitId);
  const row = await db.selectFrom('membership').select('id').where('unit_id', 'in', chain).where('person_id', '=', personId).where('role', '=', 'supervisor').executeTakeFirst();
  return row !== undefined;
}

/** People holding 上级 on this unit or above, nearest unit first. */
export async function supervisorsOf(db: Q, unitId: number): Promise<Array<{ id: number; name: string }>> {
  const chain = await unitChain(db, unitId);
  const rows = await db.selectFrom('membership').innerJoin('person', 'person.id', 'membership.person_id')
    .select(['person.id', 'person.name', 'membership.unit_id']).where('membership.unit_id', 'in', chain).where('membership.role', '=', 'supervisor').execute();
  rows.sort((a, b) => chain.indexOf(a.unit_id) - chain.indexOf(b.unit_id));
  const seen = new Set<number>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).map((r) => ({ id: r.id, name: r.name }));
}
