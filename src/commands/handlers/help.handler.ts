import type { MeetingKind } from '../../domain/types.js';
import { currentMeeting } from '../../store/meeting.repository.js';
import type { Ctx } from '../context.js';

/** /帮助 完成 lists the steps of the unit's meeting kind (both kinds when no meeting yet). */
export async function scheduledMeetingKind(ctx: Ctx): Promise<{ kind?: MeetingKind }> {
  if (!ctx.unit) return {};
  const m = await currentMeeting(ctx.db, ctx.unit.id);
  return m ? { kind: m.kind } : {};
}
