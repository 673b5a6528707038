import type { Generated, Insertable, Selectable } from 'kysely';
import type { AppraisalBallotTable, AppraisalGradeTable, AppraisalTable, AppraisalTextTable, PartyGroupMemberTable } from './appraisal.schema.js';

/**
 * Table types. Dates are `YYYY-MM-DD` text, instants ISO-8601 text, flags 0/1 integers, so the
 * same schema runs on SQLite, PostgreSQL and MySQL.
 */
export interface UnitTable {
  id: Generated<number>;
  name: string;
  parent_id: number | null;
  /** JSON: unit settings (offset overrides, reminder hour, escalation days, campaign theme). */
  settings: string;
  created_at: string;
}

export interface ChatTable {
  id: Generated<number>;
  channel: string;
  chat_id: string;
  unit_id: number | null;
  title: string | null;
  created_at: string;
}

export interface PersonTable {
  id: Generated<number>;
  name: string;
  mobile: string | null;
  created_at: string;
}

export interface IdentityTable {
  id: Generated<number>;
  person_id: number;
  /** The platform: 'console', 'wecom', 'dingtalk'. */
  platform: string;
  user_id: string;
  /** 0 = claimed with /我是 and waiting for an operator; 1 = confirmed. */
  confirmed: number;
  created_at: string;
}

export interface MembershipTable {
  id: Generated<number>;
  unit_id: number;
  person_id: number;
  role: string;
  created_at: string;
}

export interface MeetingTable {
  id: Generated<number>;
  unit_id: number;
  kind: string;
  date: string;
  topic: string | null;
  status: string;
  held_on: string | null;
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface StepRecordTable {
  id: Generated<number>;
  meeting_id: number;
  step: string;
  done_on: string;
  done_by: number | null;
  note: string | null;
  created_at: string;
}

export interface TalkTable {
  id: Generated<number>;
  meeting_id: number;
  /** The smaller person id of the pair. */
  a_id: number;
  b_id: number;
  date: string;
  mode: string;
  /** Private: never posted to a group. */
  note: string | null;
  created_by: number;
  created_at: string;
}

export interface LeaveTable {
  id: Generated<number>;
  meeting_id: number;
  person_id: number;
  /** Private: never posted to a group. */
  reason: string;
  status: string;
  decided_by: number | null;
  decided_at: string | null;
  decision_note: string | null;
  statement_on: string | null;
  relayed_on: string | null;
  created_at: string;
}

export interface OutlineTable {
  id: Generated<number>;
  meeting_id: number;
  person_id: number;
  submitted_on: string | null;
  reviewed_on: string | null;
  reviewed_by: number | null;
  created_at: string;
}

export interface ItemTable {
  id: Generated<number>;
  unit_id: number;
  meeting_id: number;
  item_no: number;
  content: string;
  kind: string;
  deadline: string;
  status: string;
  lead_unit: string | null;
  done_note: string | null;
  done_on: string | null;
  verified_on: string | null;
  verified_by: number | null;
  created_by: number;
  created_at: string;
  updated_at: string;
}

export interface ItemOwnerTable {
  item_id: number;
  person_id: number;
}

export interface ItemEventTable {
  id: Generated<number>;
  item_id: number;
  at: string;
  actor_id: number | null;
  action: string;
  from_deadline: string | null;
  to_deadline: string | null;
  note: string | null;
}

export interface ArchiveTable {
  id: Generated<number>;
  meeting_id: number;
  material: string;
  done_on: string;
  done_by: number | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  unit_id: number | null;
  chat: string | null;
  action: string;
  entity: string;
  entity_id: number | null;
  /** JSON without confidential contents (no reasons, notes or votes). */
  detail: string | null;
}

export interface ProcessedMessageTable {
  channel: string;
  msg_id: string;
  at: string;
}

export interface WebhookTable {
  id: Generated<number>;
  unit_id: number;
  channel: string;
  token: string;
  sign_secret: string | null;
  created_at: string;
}

export interface ObligationTable {
  id: Generated<number>;
  meeting_id: number;
  unit_id: number;
  step: string;
  /** The person who owes it; null = the unit's role holders for the step (operator, principal). */
  person_id: number | null;
  due_date: string;
}

export interface ReminderLogTable {
  id: Generated<number>;
  reminder_key: string;
  unit_id: number;
  /** What the reminder is about: `step:<meetingId>:<step>[:<personId>]` or `item:<itemId>`. */
  subject: string;
  remind_on: string;
  due_date: string;
  /** before | due | overdue | snoozed | supervisor */
  kind: string;
  outbox_id: number | null;
  /** `,1,2,` — the person ids it addressed (for /稍后). */
  person_ids: string;
  created_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  message_key: string;
  unit_id: number | null;
  channel: string;
  target_kind: string;
  target_id: string;
  target_name: string | null;
  person_id: number | null;
  text: string;
  /** JSON MentionRef[] */
  mentions: string;
  /** pending | sent | failed | dropped */
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** The instance that claimed the row to send it (src/scheduler/outbox.ts); kept once sent or failed. */
  claimed_by: string | null;
  /** While pending: until when the claim holds (or, unclaimed, until when the row waits for its chat's failed message). */
  lease_until: string | null;
  /** JSON Card (src/messages.ts) when the message carries buttons; null otherwise. */
  card: string | null;
}

/** A card sent with buttons: what it shows (JSON Card) and what it is about (`leave:12`, `reminders:40`). */
export interface CardTable {
  id: Generated<number>;
  /** The outbox message it was sent for (a retried send reuses the card); null for replies. */
  message_key: string | null;
  channel: string;
  target_kind: string;
  target_id: string;
  target_name: string | null;
  subject: string;
  body: string;
  /** open | closed */
  status: string;
  created_at: string;
  updated_at: string;
}

/** A question a button asked (驳回's reason, 已完成's 说明): the asker's next message completes `command`. */
export interface CardPromptTable {
  id: Generated<number>;
  channel: string;
  chat_id: string;
  user_id: string;
  card_id: number;
  command: string;
  created_at: string;
}

export interface SnoozeTable {
  id: Generated<number>;
  person_id: number;
  subject: string;
  until_date: string;
  created_at: string;
}

export interface SchedulerStateTable {
  name: string;
  value: string;
}

/** Version numbers raised by triggers (`directory`: any write to unit, chat, membership, person, identity). */
export interface StoreVersionTable {
  name: string;
  n: number;
}

/** A sign-in link of the web dashboard: single use, short-lived, bound to one person (only its hash is kept). */
export interface DashboardLinkTable {
  id: Generated<number>;
  token_hash: string;
  person_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A signed-in browser: ends after inactivity, at its absolute limit, or on sign-out (`ended_at`). */
export interface DashboardSessionTable {
  id: Generated<number>;
  session_hash: string;
  person_id: number;
  /** The token every form of this session posts back. */
  csrf: string;
  created_at: string;
  last_seen_at: string;
  ended_at: string | null;
}

/** A unit whose due work a write changed, noted for the planner (PostgreSQL only; migration 11). */
export interface DueChangeTable {
  id: Generated<number>;
  unit_id: number;
  /** The writing transaction's id (`txid_current()`). */
  xact: string;
}

export interface Database {
  due_change: DueChangeTable;
  dashboard_link: DashboardLinkTable;
  dashboard_session: DashboardSessionTable;
  appraisal: AppraisalTable;
  appraisal_ballot: AppraisalBallotTable;
  appraisal_text: AppraisalTextTable;
  appraisal_grade: AppraisalGradeTable;
  party_group_member: PartyGroupMemberTable;
  obligation: ObligationTable;
  reminder_log: ReminderLogTable;
  outbox: OutboxTable;
  card: CardTable;
  card_prompt: CardPromptTable;
  snooze: SnoozeTable;
  scheduler_state: SchedulerStateTable;
  store_version: StoreVersionTable;
  unit: UnitTable;
  chat: ChatTable;
  person: PersonTable;
  identity: IdentityTable;
  membership: MembershipTable;
  meeting: MeetingTable;
  step_record: StepRecordTable;
  talk: TalkTable;
  leave_request: LeaveTable;
  outline: OutlineTable;
  item: ItemTable;
  item_owner: ItemOwnerTable;
  item_event: ItemEventTable;
  archive_record: ArchiveTable;
  audit_log: AuditTable;
  processed_message: ProcessedMessageTable;
  webhook: WebhookTable;
}

export type UnitRow = Selectable<UnitTable>;
export type MeetingRow = Selectable<MeetingTable>;
export type ItemRow = Selectable<ItemTable>;
export type NewAudit = Insertable<AuditTable>;
