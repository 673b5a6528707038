import SQLite from 'better-sqlite3';
import { addDays } from '../../src/domain/dates.js';
import { openDatabase } from '../../src/store/db.js';
import { seeded } from '../../tests/helpers/random.js';

/**
 * A district's year in one SQLite file: units under one 组织部, each with a group chat, a roster, a
 * meeting, talks, outlines and rectification items. Seeded with raw prepared statements in one
 * transaction (fast); what is measured later goes through the real app.
 */
export interface DistrictSize {
  units: number;
  rosterSize: number;
  items: number;
  talks: number;
  /** Share of items open past their deadline. */
  overdueShare: number;
  /** Message ids already processed (a year of traffic). */
  processedMessages: number;
}

export const DEFAULT_SIZE: DistrictSize = { units: 3000, rosterSize: 8, items: 60_000, talks: 100_000, overdueShare: 0.05, processedMessages: 200_000 };

export interface SeededUnit {
  unitId: number;
  chatId: string;
  principal: { id: number; userId: string; name: string };
  operator: { id: number; userId: string; name: string };
  members: Array<{ id: number; userId: string; name: string }>;
  held: boolean;
}

export interface OpenItem {
  chatId: string;
  no: number;
  ownerUserId: string;
}

export interface District {
  file: string;
  today: string;
  units: SeededUnit[];
  openItems: OpenItem[];
  counts: Record<string, number>;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平'];

export const CHANNEL = 'wecom';

export async function buildDistrict(file: string, size: DistrictSize = DEFAULT_SIZE, today = '2027-01-10'): Promise<District> {
  // The schema comes from the app's own migrations.
  const kdb = await openDatabase(file);
  await kdb.destroy();

  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const random = seeded(20261125).next; // the tests' seeded PRNG: every run builds the same district
  const at = `${today}T01:00:00.000Z`;
  const st = {
    unit: db.prepare('INSERT INTO unit (name, parent_id, settings, created_at) VALUES (?, ?, ?, ?)'),
    chat: db.prepare('INSERT INTO chat (channel, chat_id, unit_id, title, created_at) VALUES (?, ?, ?, ?, ?)'),
    person: db.prepare('INSERT INTO person (name, mobile, created_at) VALUES (?, NULL, ?)'),
    identity: db.prepare('INSERT INTO identity (person_id, platform, user_id, confirmed, created_at) VALUES (?, ?, ?, 1, ?)'),
    membership: db.prepare('INSERT INTO membership (unit_id, person_id, role, created_at) VALUES (?, ?, ?, ?)'),
    meeting: db.prepare(`INSERT INTO meeting (unit_id, kind, date, topic, status, held_on, cancel_reason, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)`),
    step: db.prepare('INSERT INTO step_record (meeting_id, step, done_on, done_by, note, created_at) VALUES (?, ?, ?, ?, NULL, ?)'),
    outline: db.prepare('INSERT INTO outline (meeting_id, person_id, submitted_on, reviewed_on, reviewed_by, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    talk: db.prepare('INSERT INTO talk (meeting_id, a_id, b_id, date, mode, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)'),
    item: db.prepare(`INSERT INTO item (unit_id, meeting_id, item_no, content, kind, deadline, status, lead_unit, done_note, done_on, verified_on, verified_by, created_by, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, NULL, ?, ?, ?)`),
    owner: db.prepare('INSERT INTO item_owner (item_id, person_id) VALUES (?, ?)'),
    event: db.prepare('INSERT INTO item_event (item_id, at, actor_id, action, from_deadline, to_deadline, note) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    audit: db.prepare('INSERT INTO audit_log (at, actor_id, unit_id, chat, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)'),
    processed: db.prepare('INSERT INTO processed_message (channel, msg_id, at) VALUES (?, ?, ?)'),
  };
  const id = (r: SQLite.RunResult) => Number(r.lastInsertRowid);

  const units: SeededUnit[] = [];
  const openItems: OpenItem[] = [];
  db.transaction(() => {
    const root = id(st.unit.run('区委组织部', null, '{}', at));
    const supervisor = id(st.person.run('陈部长', at));
    st.identity.run(supervisor, CHANNEL, `wx${supervisor}`, at);
    st.membership.run(root, supervisor, 'supervisor', at);

    const heldUnits: Array<{ unit: SeededUnit; meetingId: number; date: string }> = [];
    const meetings: Array<{ meetingId: number; roster: number[]; creator: number; date: string }> = [];
    for (let i = 0; i < size.units; i++) {
      const unitId = id(st.unit.run(`第${i + 1}单位党组`, root, '{}', at));
      const chatId = `chat-${i + 1}`;
      st.chat.run(CHANNEL, chatId, unitId, `第${i + 1}单位群`, at);
      const people: Array<{ id: number; userId: string; name: string }> = [];
      for (let k = 0; k < size.rosterSize; k++) {
        const name = `${SURNAMES[(i + k) % SURNAMES.length]}${GIVEN[(i * 7 + k * 3) % GIVEN.length]}`;
        const pid = id(st.person.run(name, at));
        const userId = `wx${pid}`;
        st.identity.run(pid, CHANNEL, userId, at);
        const role = k === 0 ? 'principal' : k === size.rosterSize - 1 ? 'operator' : 'member';
        st.membership.run(unitId, pid, role, at);
        people.push({ id: pid, userId, name });
      }
      const held = i % 3 !== 0;
      const kind = i % 5 === 0 ? 'org_life' : 'democratic_life';
      const date = held ? addDays('2026-12-10', i % 18) : addDays('2027-01-15', i % 14);
      const meetingId = id(st.meeting.run(unitId, kind, date, '深入学习贯彻党的创新理论', held ? 'held' : 'scheduled', held ? date : null, at, at));
      const operator = people[people.length - 1]!;
      for (const step of held ? ['topic', 'plan', 'study', 'opinions', 'inspection', 'notice'] : ['topic', 'plan']) {
        st.step.run(meetingId, step, addDays(date, -16), operator.id, at);
      }
      const team = people.slice(0, -1);
      if (held) for (const p of team) st.outline.run(meetingId, p.id, addDays(date, -5), addDays(date, -3), team[0]!.id, at);
      const unit: SeededUnit = { unitId, chatId, principal: team[0]!, operator, members: team.slice(1), held };
      units.push(unit);
      if (held) heldUnits.push({ unit, meetingId, date });
      meetings.push({ meetingId, roster: team.map((p) => p.id), creator: team[0]!.id, date });
    }

    const modes = ['in_person', 'phone', 'online', 'home_visit'];
    for (let t = 0; t < size.talks; t++) {
      const m = meetings[t % meetings.length]!;
      const x = m.roster[Math.floor(random() * m.roster.length)]!;
      let y = m.roster[Math.floor(random() * m.roster.length)]!;
      if (y === x) y = m.roster[(m.roster.indexOf(x) + 1) % m.roster.length]!;
      const [a, b] = x < y ? [x, y] : [y, x];
      st.talk.run(m.meetingId, a, b, addDays(m.date, -1 - Math.floor(random() * 20)), modes[t % 4], m.creator, at);
      st.audit.run(at, m.creator, null, null, 'talk.log', 'meeting', m.meetingId);
    }

    const perUnit = Math.ceil(size.items / Math.max(1, heldUnits.length));
    let made = 0;
    for (const h of heldUnits) {
      for (let no = 1; no <= perUnit && made < size.items; no++, made++) {
        const r = random();
        const overdue = r < size.overdueShare;
        const done = !overdue && r < size.overdueShare + 0.35;
        const extended = !overdue && !done && r < size.overdueShare + 0.4;
        const deadline = overdue ? addDays(today, -1 - Math.floor(random() * 20)) : addDays(today, 5 + Math.floor(random() * 120));
        const status = done ? 'done' : extended ? 'extended' : 'open';
        const kind = no % 3 === 0 ? 'immediate' : no % 3 === 1 ? 'fixed' : 'coordinate';
        const owners = random() < 0.8 ? [h.unit.members[no % h.unit.members.length]!] : [h.unit.members[no % h.unit.members.length]!, h.unit.principal];
        const itemId = id(st.item.run(h.unit.unitId, h.meetingId, no, `第${no}项整改：完善制度机制`, kind, deadline, status,
          done ? '已完成' : null, done ? addDays(today, -2) : null, h.unit.operator.id, at, at));
        for (const o of owners) st.owner.run(itemId, o.id);
        st.event.run(itemId, at, h.unit.operator.id, 'created', null, deadline, null);
        if (done) st.event.run(itemId, at, owners[0]!.id, 'completed', null, null, '已完成');
        if (extended) st.event.run(itemId, at, owners[0]!.id, 'extended', addDays(deadline, -30), deadline, '需协调');
        st.audit.run(at, h.unit.operator.id, h.unit.unitId, `${CHANNEL}:${h.unit.chatId}`, 'item.create', 'item', itemId);
        if (!done) openItems.push({ chatId: h.unit.chatId, no, ownerUserId: owners[0]!.userId });
      }
    }
    for (let m = 0; m < size.processedMessages; m++) st.processed.run(CHANNEL, `old-${m}`, at);
  })();

  const counts: Record<string, number> = {};
  for (const t of ['unit', 'person', 'membership', 'meeting', 'talk', 'item', 'item_owner', 'item_event', 'audit_log', 'processed_message']) {
    counts[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  }
  counts.overdue = (db.prepare("SELECT count(*) AS n FROM item WHERE status != 'done' AND deadline < ?").get(today) as { n: number }).n;
  // No ANALYZE: a deployed store has no planner statistics either.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { file, today, units, openItems, counts };
}
