import { orIgnore, type Q } from './helpers.js';
import { prepared } from './prepared.js';

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

const insertAudit = prepared((db, at: string, actorId: number | null, unitId: number | null, chat: string | null, action: string, entity: string, entityId: number | null, detail: string | null) =>
  db.insertInto('audit_log').values({ at, actor_id: actorId, unit_id: unitId, chat, action, entity, entity_id: entityId, detail }));

export async function audit(db: Q, at: string, e: AuditEntry): Promise<void> {
  await insertAudit(db, at, e.actorId, e.unitId, e.chat, e.action, e.entity, e.entityId ?? null, e.detail ? JSON.stringify(e.detail) : null);
}

const insertProcessed = prepared((db, channel: string, msgId: string, at: string) =>
  orIgnore(db, db.insertInto('processed_message').values({ channel, msg_id: msgId, at })));

/**
 * Records a platform message id; false when it was already processed (a redelivery). The insert is
 * the arbiter, also between bot instances: in the command's transaction, the primary key lets one
 * instance write the id, and the other — waiting on PostgreSQL until the first commits — writes
 * nothing and gets false, so it handles and answers nothing. (Should the first roll back, the
 * second writes the id and handles the message.)
 */
export async function markProcessed(db: Q, channel: string, msgId: string, at: string): Promise<boolean> {
  return ((await insertProcessed(db, channel, msgId, at)).numAffectedRows ?? 0n) > 0n;
}

const processedId = prepared((db, channel: string, msgId: string) =>
  db.selectFrom('processed_message').select('msg_id').where('channel', '=', channel).where('msg_id', '=', msgId));

/** Whether a platform message id was processed already (read only). */
export async function wasProcessed(db: Q, channel: string, msgId: string): Promise<boolean> {
  return (await processedId(db, channel, msgId)).rows.length > 0;
}
