import type { Generated } from 'kysely';

/**
 * Tables of 民主评议党员 (migration 2026_11_25_04_appraisal). Ballots keep the voter so the tally can
 * be recomputed and a voter can change a choice; no query that reads a voter with a grade ever
 * leaves the repository except a voter's own ballot.
 */
export interface AppraisalTable {
  id: Generated<number>;
  meeting_id: number;
  unit_id: number;
  /** 'open' | 'closed'. */
  status: string;
  opened_by: number;
  opened_at: string;
  /** ISO instant; votes at or after it are refused. Null = until closed by command. */
  closes_at: string | null;
  closed_by: number | null;
  closed_at: string | null;
  publicity_days: number | null;
  publicity_from: string | null;
  created_at: string;
}

export interface AppraisalBallotTable {
  id: Generated<number>;
  appraisal_id: number;
  voter_id: number;
  /** 'committee' or the appraised person's id in decimal. */
  target: string;
  /** 'excellent' | 'qualified' | 'basically_qualified' | 'unqualified'. Confidential. */
  grade: string;
  /** Confidential: shown to nobody in a group, never with the voter's name. */
  comment: string | null;
  created_at: string;
  updated_at: string;
}

/** Self-appraisal (个人自评) and 整改承诺 share a shape: one text per person per appraisal. */
export interface AppraisalTextTable {
  id: Generated<number>;
  appraisal_id: number;
  person_id: number;
  /** 'self' (the private self-appraisal) | 'commitment' (the rectification commitment, posted at publicity). */
  kind: string;
  content: string;
  created_at: string;
  updated_at: string;
}

export interface AppraisalGradeTable {
  id: Generated<number>;
  appraisal_id: number;
  person_id: number;
  grade: string;
  graded_by: number;
  graded_at: string;
}

export interface PartyGroupMemberTable {
  id: Generated<number>;
  unit_id: number;
  person_id: number;
  group_name: string;
  created_at: string;
}

export interface AppraisalTables {
  appraisal: AppraisalTable;
  appraisal_ballot: AppraisalBallotTable;
  appraisal_text: AppraisalTextTable;
  appraisal_grade: AppraisalGradeTable;
  party_group_member: PartyGroupMemberTable;
}
