import type { Ctx, Out } from '../context.js';
import { here } from '../context.js';
import type { Command } from '../types.js';
import { approveLeave, listLeave, rejectLeave, relayToAbsentee, requestLeave, submitStatement } from './leave.handler.js';
import { cancelMeeting, completeStep, undoStep, createMeetingCmd, holdMeeting, progress, rescheduleMeeting, setTopic } from './meeting.handler.js';
import { addMember, claimIdentity, confirmMember, listMembers, removeMembers } from './member.handler.js';
import { outlineStatus, reviewOutline, submitOutline } from './outline.handler.js';
import { addItem, completeItem, extendItem, listItems, overdueItems, showItem, verifyItem } from './rectify.handler.js';
import { logTalk, talkStatus } from './talk.handler.js';
import { setUnit } from './unit.handler.js';
import { appraisalProgress, closeAppraisalCmd, gradeMembers, myBallot, openAppraisal, selfAppraisal, mySelfAppraisal, vote } from './appraisal.handler.js';
import { commitmentStatus, postPublicity, submitCommitment } from './commitment.handler.js';
import { clearGroups, listGroups, setGroup } from './party-group.handler.js';
import { dashboardLink } from './dashboard.handler.js';
import { deployCampaign, setSetting, showSettings, summary } from './supervision.handler.js';
import { informDraft, markArchive, reportDraft, showArchive } from './paperwork.handler.js';
import { setRemindSettings, showRemindSettings, snooze } from './remind.handler.js';
import { KIND_LABEL, STEP_WORDS } from '../grammar.js';
import { scheduledMeetingKind } from './help.handler.js';

type Handler<K extends Command['kind']> = (cmd: Extract<Command, { kind: K }>, ctx: Ctx) => Promise<Out[]>;

/** The command table: one handler per command kind. */
const HANDLERS: { [K in Command['kind']]: Handler<K> } = {
  'appraisal.open': openAppraisal,
  'appraisal.progress': appraisalProgress,
  'appraisal.close': closeAppraisalCmd,
  'appraisal.vote': vote,
  'appraisal.mine': myBallot,
  'appraisal.self': selfAppraisal,
  'appraisal.selfMine': mySelfAppraisal,
  'appraisal.grade': gradeMembers,
  'partyGroup.set': setGroup,
  'partyGroup.list': listGroups,
  'partyGroup.clear': clearGroups,
  'commitment.submit': submitCommitment,
  'commitment.status': commitmentStatus,
  'publicity.post': postPublicity,
  summary,
  'dashboard.link': dashboardLink,
  'campaign.deploy': deployCampaign,
  'settings.show': showSettings,
  'settings.set': setSetting,
  'paper.report': reportDraft,
  'paper.inform': informDraft,
  'archive.show': showArchive,
  'archive.mark': markArchive,
  help: async (cmd, ctx) => {
    if (!cmd.topic) return [here('help.overview', { botName: ctx.config.BOT_NAME })];
    if (cmd.topic === '完成' || Object.hasOwn(STEP_WORDS, cmd.topic)) return [here('help.steps', await scheduledMeetingKind(ctx))];
    if (cmd.topic === '规则' || cmd.topic === '期限' || Object.values(KIND_LABEL).includes(cmd.topic)) return [here('help.rules', {})];
    return [here('help.topic', { command: cmd.topic })];
  },
  'unit.set': setUnit,
  'member.add': addMember,
  'member.remove': removeMembers,
  'member.list': listMembers,
  'member.confirm': confirmMember,
  iam: claimIdentity,
  'meeting.create': createMeetingCmd,
  'meeting.reschedule': rescheduleMeeting,
  'meeting.cancel': cancelMeeting,
  'meeting.hold': holdMeeting,
  'meeting.topic': setTopic,
  progress,
  'step.done': completeStep,
  'step.undo': undoStep,
  'talk.log': logTalk,
  'talk.status': talkStatus,
  'outline.submit': submitOutline,
  'outline.review': reviewOutline,
  'outline.status': outlineStatus,
  'leave.request': requestLeave,
  'leave.approve': approveLeave,
  'leave.reject': rejectLeave,
  'leave.list': listLeave,
  'statement.submit': submitStatement,
  relay: relayToAbsentee,
  'rectify.add': addItem,
  'rectify.complete': completeItem,
  'rectify.extend': extendItem,
  'rectify.verify': verifyItem,
  'rectify.list': listItems,
  'rectify.overdue': overdueItems,
  'rectify.show': showItem,
  snooze,
  'remind.show': showRemindSettings,
  'remind.set': setRemindSettings,
};

export function runHandler(cmd: Command, ctx: Ctx): Promise<Out[]> {
  return (HANDLERS[cmd.kind] as Handler<typeof cmd.kind>)(cmd as never, ctx);
}
