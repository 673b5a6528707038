import type { LocalDate } from '../domain/dates.js';
import type { ItemKind, MeetingKind, Role, StepId, TalkMode } from '../domain/types.js';
import type { TextKey, TextParams } from '../text/index.js';
import type { AppraisalCommand } from './appraisal.parser.js';
import type { SupervisionCommand } from './supervision.types.js';

/** A person named in a command: `@张三` or a platform mention. */
export interface PersonRef {
  name: string;
  userId?: string;
}

export type Command =
  | AppraisalCommand
  | SupervisionCommand
  | { kind: 'help'; topic?: string }
  | { kind: 'unit.set'; name: string; parent?: string; rebind?: boolean }
  | { kind: 'member.add'; who: PersonRef[]; role: Role }
  | { kind: 'member.remove'; who: PersonRef[]; role?: Role }
  | { kind: 'member.list' }
  | { kind: 'member.confirm'; who: PersonRef }
  | { kind: 'iam'; name: string }
  | { kind: 'meeting.create'; meetingKind: MeetingKind; date: LocalDate; topic?: string }
  | { kind: 'meeting.reschedule'; date: LocalDate; reason?: string }
  | { kind: 'meeting.cancel'; reason?: string }
  | { kind: 'meeting.hold'; date?: LocalDate }
  | { kind: 'meeting.topic'; topic: string }
  | { kind: 'progress' }
  | { kind: 'step.done'; step: StepId; note?: string }
  | { kind: 'step.undo'; step: StepId }
  | { kind: 'talk.log'; with: PersonRef[]; date?: LocalDate; mode: TalkMode; note?: string }
  | { kind: 'talk.status' }
  | { kind: 'outline.submit'; who?: PersonRef }
  | { kind: 'outline.review'; who: PersonRef }
  | { kind: 'outline.status' }
  | { kind: 'leave.request'; reason: string }
  | { kind: 'leave.approve'; who: PersonRef }
  | { kind: 'leave.reject'; who: PersonRef; reason?: string }
  | { kind: 'leave.list' }
  | { kind: 'statement.submit'; who?: PersonRef }
  | { kind: 'relay'; who: PersonRef }
  | { kind: 'rectify.add'; owners: PersonRef[]; content: string; deadline?: LocalDate; itemKind: ItemKind; leadUnit?: string }
  | { kind: 'rectify.complete'; no: number; note: string }
  | { kind: 'rectify.extend'; no: number; date: LocalDate; reason: string }
  | { kind: 'rectify.verify'; no: number }
  | { kind: 'rectify.list'; mine?: boolean }
  | { kind: 'rectify.overdue' }
  | { kind: 'rectify.show'; no: number }
  | { kind: 'snooze'; no?: number; nos?: number[] }
  | { kind: 'remind.show' }
  | { kind: 'remind.set'; hour?: number; daysBefore?: number; escalate?: [number, number] };

export type CommandKind = Command['kind'];

export interface ParseError<K extends TextKey = TextKey> {
  kind: 'invalid';
  key: K;
  params: TextParams<K>;
}

/** Not a command at all (ordinary chatter): the bot stays silent in groups. */
export interface NotCommand {
  kind: 'none';
}

export type ParseResult = Command | ParseError | NotCommand;
