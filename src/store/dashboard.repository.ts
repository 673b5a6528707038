import type { Role } from '../domain/types.js';
import { insertId, type Q } from './helpers.js';

/** The web dashboard's links, sessions and who may see what (hashes only: see the migration). */

export interface LinkRow {
  id: number;
  personId: number;
  expiresAt: string;
  usedAt: string | null;
}

export async function createLink(db: Q, tokenHash: string, personId: number, at: string, expiresAt: string): Promise<number> {
  return insertId(db, db.insertInto('dashboard_link').values({ token_hash: tokenHash, person_id: personId, created_at: at, expires_at: expiresAt, used_at: null }));
}

export async function linkByHash(db: Q, tokenHash: string): Promise<LinkRow | undefined> {
  const r = await db.selectFrom('dashboard_link').select(['id', 'person_id', 'expires_at', 'used_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
  return r && { id: r.id, personId: r.person_id, expiresAt: r.expires_at, usedAt: r.used_at };
}

/** Marks the link used, only if it still is unused and unexpired: true for exactly one caller. */
export async function consumeLink(db: Q, id: number, now: string): Promise<boolean> {
  const r = await db.updateTable('dashboard_link').set({ used_at: now })
    .where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface SessionRow {
  id: number;
  personId: number;
  csrf: string;
  createdAt: string;
  lastSeenAt: string;
  endedAt: string | null;
}

export async function createSession(db: Q, s: { sessionHash: string; personId: number; csrf: string }, at: string): Promise<number> {
  return insertId(db, db.insertInto('dashboard_session').values({
    session_hash: s.sessionHash, person_id: s.personId, csrf: s.csrf, created_at: at, last_seen_at: at, ended_at: null,
  }));
}

export async function sessionByHash(db: Q, sessionHash: string): Promise<SessionRow | undefined> {
  const r = await db.selectFrom('dashboard_session').select(['id', 'person_id', 'csrf', 'created_at', 'last_seen_at', 'ended_at'])
    .where('session_hash', '=', sessionHash).executeTakeFirst();
  return r && { id: r.id, personId: r.person_id, csrf: r.csrf, createdAt: r.created_at, lastSeenAt: r.last_seen_at, endedAt: r.ended_at };
}

export async function touchSession(db: Q, id: number, at: string): Promise<void> {
  await db.updateTable('dashboard_session').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function endSession(db: Q, id: number, at: string): Promise<void> {
  await db.updateTable('dashboard_session').set({ ended_at: at }).where('id', '=', id).where('ended_at', 'is', null).execute();
}

/** Roles that open the dashboard: 上级 sees the unit and everything below; 联络员 and 主要负责人 their own unit. */
export const DASHBOARD_ROLES: readonly Role[] = ['supervisor', 'operator', 'principal'];

/** The person's memberships that open the dashboard, by unit. */
export async function dashboardRoles(db: Q, personId: number): Promise<Array<{ unitId: number; role: Role }>> {
  const rows = await db.selectFrom('membership').select(['unit_id', 'role']).where('person_id', '=', personId)
    .where('role', 'in', [...DASHBOARD_ROLES]).orderBy('unit_id').execute();
  return rows.map((r) => ({ unitId: r.unit_id, role: r.role as Role }));
}

/** The unit's open obligations as the scheduler keeps them (what is still owed, by whom, by when). */
export async function storedObligations(db: Q, unitId: number): Promise<Array<{ step: string; personId: number | null; personName: string | null; due: string }>> {
  const rows = await db.selectFrom('obligation').leftJoin('person', 'person.id', 'obligation.person_id')
    .select(['obligation.step', 'obligation.person_id', 'person.name', 'obligation.due_date'])
    .where('obligation.unit_id', '=', unitId).orderBy('obligation.due_date').orderBy('obligation.id').execute();
  return rows.map((r) => ({ step: r.step, personId: r.person_id, personName: r.name ?? null, due: r.due_date }));
}

export async function personNameOf(db: Q, personId: number): Promise<string | undefined> {
  return (await db.selectFrom('person').select('name').where('id', '=', personId).executeTakeFirst())?.name;
}
