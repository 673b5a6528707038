import type { Q } from './helpers.js';

export interface AuditEntry {
  actorId: number | null;
  unitId: number | null;
  chat: string | null;
  action: string;
  entity: string;
  entityId?: number | null;
  /** Never confidential contents: no reasons, notes, criticism or votes. */
  detail?: Record<string, unknown>;
}

export async function audit(db: Q, at: string, e: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values({
    at, actor_id: e.actorId, unit_id: e.unitId, chat: e.chat, action: e.action, entity: e.entity, entity_id: e.entityId ?? null,
    detail: e.detail ? JSON.stringify(e.detail) : null,
  }).execute();
}

/** Records a platform message id; false when it was already processed (a redelivery). */
export async function markProcessed(db: Q, channel: string, msgId: string, at: string): Promise<boolean> {
  const existing = await db.selectFrom('processed_message').select('msg_id').where('channel', '=', channel).where('msg_id', '=', msgId).executeTakeFirst();
  if (existing) return false;
  await db.insertInto('processed_message').values({ channel, msg_id: msgId, at }).execute();
  return true;
}
