import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupText, privateText, recipients, startChat, type Chat } from '../helpers/chat.js';

/*
 * Whole meetings typed into the terminal chat, checked against 武组发〔2017〕129号 as restated in
 * shared/domain.md: the replies people read at each step and the rows the bot keeps.
 * Today starts at 2026-11-25 (Wednesday); the clock moves with chat.setDay / `:time`.
 */

const idOf = async (chat: Chat, name: string) => (await chat.rows<{ id: number }>('person', 'name = ?', name))[0]!.id;
const actions = async (chat: Chat) => new Set((await chat.rows<{ action: string }>('audit_log')).map((r) => r.action));

describe('a whole 民主生活会 of 区教育局党组 (meeting day 2026-12-28)', () => {
  let chat: Chat;
  const op = () => chat.as('刘联络员').in('党办群');
  const secretary = () => chat.as('王书记').in('党办群');
  const say = (who: string, text: string) => chat.as(who).in('党办群').say(text);

  beforeAll(async () => {
    chat = await startChat({ today: '2026-11-25' });
  });
  afterAll(async () => chat.stop());

  it('1. binds the groups, the upper unit and the roster', async () => {
    const upper = await chat.as('陈部长').in('组织部督导群').say('/单位 设置 区委组织部');
    expect(groupText(upper)).toContain('本群已绑定到单位：区委组织部');
    expect(groupText(await chat.as('陈部长').in('组织部督导群').say('/成员 添加 @陈部长 上级'))).toBe('已把 陈部长 添加为上级。');

    const bound = await op().say('/单位 设置 区教育局党组 上级 区委组织部');
    expect(groupText(bound)).toContain('本群已绑定到单位：区教育局党组（上级：区委组织部）');
    expect(groupText(bound)).toContain('刘联络员 已成为本单位联络员。');
    expect(groupText(await op().say('/成员 添加 @王书记 主要负责人'))).toBe('已把 王书记 添加为主要负责人。');
    expect(groupText(await op().say('/成员 添加 @张三 @李四 @赵敏 班子成员'))).toBe('已把 张三、李四、赵敏 添加为班子成员。');
    const list = groupText(await op().say('/成员 列表'));
    expect(list).toContain('主要负责人（1）：王书记');
    expect(list).toContain('班子成员（3）：张三、李四、赵敏');

    const [unit] = (await chat.rows<{ id: number; parent_id: number }>('unit', 'name = ?', '区教育局党组'));
    expect(unit!.parent_id).toBe((await chat.rows<{ id: number }>('unit', 'name = ?', '区委组织部'))[0]!.id);
    expect((await chat.rows('chat', 'unit_id = ?', unit!.id))).toHaveLength(1);
    expect((await chat.rows('membership', 'unit_id = ?', unit!.id))).toHaveLength(5);
  });

  it('2. schedules the meeting and announces the D-15, D-10 and D+15 deadlines', async () => {
    const text = groupText(await op().say('/会议 新建 民主生活会 2026-12-28 加强党性修养'));
    expect(text).toContain('已安排区教育局党组民主生活会：2026年12月28日，主题：加强党性修养');
    expect(text).toContain('• 方案：2026年12月13日前');
    expect(text).toContain('• 通知：2026年12月18日前');
    expect(text).toContain('• 报告：2027年1月12日前');
    const meetings = (await chat.rows<{ kind: string; date: string; status: string; topic: string }>('meeting'));
    expect(meetings).toMatchObject([{ kind: 'democratic_life', date: '2026-12-28', status: 'scheduled', topic: '加强党性修养' }]);
    expect((await chat.rows('step_record', "step = 'topic'"))).toHaveLength(1);

    const progress = groupText(await secretary().say('/进度'));
    expect(progress).toContain('阶段：会前准备（距会议33天）');
    expect(progress).toContain('谈心谈话：必谈 0/3（0%），缺：王书记—张三、王书记—李四、王书记—赵敏');
    expect(progress).toContain('发言提纲：已交 0/4，已审 0/4');
  });

  it('3. logs the talks: the principal with each member is required, members among themselves expected', async () => {
    expect(groupText(await secretary().say('/谈心 @张三 面谈'))).toContain('已登记：王书记 与 张三 谈心谈话（2026年11月25日，面谈）。必谈覆盖 33%。');
    expect(groupText(await secretary().say('/谈心 @李四 11月24日 电话 谈到分管工作中的问题'))).toContain('（2026年11月24日，电话）。必谈覆盖 66%。');
    const status = groupText(await say('张三', '/谈心 情况'));
    expect(status).toContain('谈心谈话：必谈 2/3（66%）');
    expect(status).toContain('• 王书记—赵敏');
    expect(status).toContain('提倡谈：还有 3/3 对未谈。');
    expect(groupText(await say('张三', '/谈心 @李四 面谈'))).toContain('必谈覆盖 66%');
    expect(groupText(await secretary().say('/谈心 @赵敏 网络'))).toContain('必谈覆盖 100%');
    const done = groupText(await say('张三', '/谈心 情况'));
    expect(done).toContain('必谈已全部完成。');
    expect(done).toContain('提倡谈：还有 2/3 对未谈。');

    const talks = (await chat.rows<{ a_id: number; b_id: number; date: string; mode: string; note: string | null }>('talk'));
    expect(talks).toHaveLength(4);
    expect(talks.every((t) => t.a_id < t.b_id)).toBe(true);
    expect(talks.map((t) => t.mode)).toEqual(['in_person', 'phone', 'in_person', 'online']);
    expect(talks[1]).toMatchObject({ date: '2026-11-24', note: '谈到分管工作中的问题' });
  });

  it('4. collects every outline and the principal reviews each; the principal’s own goes to the supervisor', async () => {
    expect(groupText(await say('张三', '/提纲 提交'))).toBe('已登记 张三 提交发言提纲，等待主要负责人审核。');
    for (const who of ['李四', '赵敏']) await say(who, '/提纲 提交');
    expect(groupText(await say('王书记', '/提纲 提交'))).toBe('已登记 王书记 提交发言提纲，等待上级审核。');
    // Someone who owes no outline has none to review.
    expect(groupText(await secretary().say('/提纲 审核 @刘联络员'))).toBe('刘联络员 不需要提交发言提纲（只有班子成员需要）。');
    for (const who of ['张三', '李四', '赵敏']) {
      expect(groupText(await secretary().say(`/提纲 审核 @${who}`))).toBe(`已登记：${who} 的发言提纲审核通过。`);
    }
    expect(groupText(await say('王书记', '/提纲 情况'))).toContain('提纲：已交 4/4，已审 3/4');
    expect(groupText(await chat.as('陈部长').in('党办群').say('/提纲 审核 @王书记'))).toBe('已登记：王书记 的发言提纲审核通过。');
    expect(groupText(await say('王书记', '/提纲 情况'))).toBe('提纲：已交 4/4，已审 4/4');

    const outlines = (await chat.rows<{ person_id: number; submitted_on: string; reviewed_by: number }>('outline'));
    expect(outlines).toHaveLength(4);
    expect(outlines.every((o) => o.submitted_on === '2026-11-25')).toBe(true);
    const [wang, zhang, chen] = [await idOf(chat, '王书记'), await idOf(chat, '张三'), await idOf(chat, '陈部长')];
    expect(outlines.find((o) => o.person_id === wang)?.reviewed_by).toBe(chen);
    expect(outlines.find((o) => o.person_id === zhang)?.reviewed_by).toBe(wang);
  });

  it('5. 赵敏 asks for leave; the principal approves; she hands in a written statement', async () => {
    const asked = await say('赵敏', '/请假 外出参加省委党校培训');
    expect(groupText(asked)).toBe('赵敏 已提交请假申请，等待 王书记 审批。原因已私下转给审批人。');
    expect(privateText(asked, '王书记')).toContain('赵敏 申请请假，原因：外出参加省委党校培训');
    expect(groupText(await op().say('/进度'))).toContain('请假：待审批 1，已批准 0');

    const approved = await secretary().say('/批准 @赵敏');
    expect(recipients(approved)).toEqual(['群 党办群', '私聊 赵敏']);
    expect(groupText(approved)).toBe('赵敏 的请假已批准。请在2026年12月28日会前 /书面发言 提交书面发言材料。');
    expect(groupText(await say('赵敏', '/书面发言 提交'))).toBe('已登记 赵敏 提交书面发言材料。');

    const [leave] = (await chat.rows<{ person_id: number; status: string; decided_by: number; statement_on: string; relayed_on: string | null }>('leave_request'));
    expect(leave).toMatchObject({ person_id: (await idOf(chat, '赵敏')), status: 'approved', decided_by: (await idOf(chat, '王书记')), statement_on: '2026-11-25', relayed_on: null });
  });

  it('6. records the manual steps; 通知 two days after its D-10 deadline is marked late', async () => {
    expect(groupText(await op().say('/完成 方案 已报区委组织部审核'))).toBe('已登记：方案完成（刘联络员）。');
    await op().say('/完成 学习 集中学习两次');
    await op().say('/完成 征求意见');
    await op().say('/完成 对照检查');
    await chat.type(':time 2026-12-20');
    expect(chat.today()).toBe('2026-12-20');
    expect(groupText(await op().say('/完成 通知'))).toBe('已登记：通知完成（刘联络员）。比期限晚2天。');

    const steps = Object.fromEntries((await chat.rows<{ step: string; done_on: string }>('step_record')).map((r) => [r.step, r.done_on]));
    expect(steps).toEqual({ topic: '2026-11-25', plan: '2026-11-25', study: '2026-11-25', opinions: '2026-11-25', inspection: '2026-11-25', notice: '2026-12-20' });

    const progress = groupText(await secretary().say('/进度'));
    expect(progress).toContain('阶段：会前准备（距会议8天）　状态：🟢 正常');
    expect(progress).toContain('✅ 方案 · 已完成（11月25日）');
    expect(progress).toContain('✅ 通知 · 已完成（12月20日）');
    expect(progress).toContain('发言提纲：已交 4/4，已审 4/4');
    expect(groupText(await secretary().say('/会议 召开'))).toContain('今天还不能标记召开');
  });

  it('7. on the meeting day the meeting is marked held, with 赵敏 absent, and she is told of it afterwards', async () => {
    chat.setDay('2026-12-28', 15, 0);
    const due = groupText(await secretary().say('/进度'));
    expect(due).toContain('阶段：会议召开');
    expect(due).toContain('🟡 注意'); // 会议召开 falls due today

    const held = groupText(await secretary().say('/会议 召开'));
    expect(held).toContain('已记录：民主生活会于2026年12月28日召开，应到4人，实到3人。');
    expect(held).toContain('缺席：赵敏。');
    expect((await chat.rows('meeting'))).toMatchObject([{ status: 'held', held_on: '2026-12-28' }]);

    expect(groupText(await secretary().say('/转告 @赵敏'))).toBe('已登记：已向 赵敏 转告会议情况和批评意见。');
    expect((await chat.rows('leave_request'))).toMatchObject([{ relayed_on: '2026-12-28' }]);
    expect(groupText(await secretary().say('/进度'))).toContain('阶段：会后整改');
  });

  it('8. lists rectification items; completes, verifies and extends them', async () => {
    const first = groupText(await op().say('/整改 新增 @张三 完善请销假制度 截止 2027-01-31'));
    expect(first).toContain('已新增第1号整改事项（限期整改）：完善请销假制度');
    expect(first).toContain('责任人：@张三，截止：2027年1月31日');
    // 立行立改 without a date: due 7 days after the meeting.
    expect(groupText(await op().say('/整改 新增 @李四 清理超标办公用房 立行立改'))).toContain('截止：2027年1月4日');
    const third = groupText(await op().say('/整改 新增 @赵敏 @张三 协调解决职工食堂问题 需协调 牵头 区财政局 截止 2027-03-31'));
    expect(third).toContain('已新增第3号整改事项（需协调）');
    expect(third).toContain('牵头：区财政局，责任人：');
    expect(third).toContain('责任人：@赵敏 @张三');

    expect(groupText(await say('张三', '/整改 完成 1 已修订请销假制度并印发'))).toBe('第1号整改事项已完成（张三）。请联络员或主要负责人 /整改 核实 1。');
    expect(groupText(await op().say('/整改 核实 1'))).toBe('第1号整改事项已核实（刘联络员）。');
    expect(groupText(await say('赵敏', '/整改 延期 3 2027-04-30 需区财政统筹安排资金'))).toBe(
      '第3号整改事项截止日期由2027年3月31日延至2027年4月30日。延期情况上级可见。',
    );

    const items = (await chat.rows<{ item_no: number; status: string; deadline: string; kind: string; lead_unit: string | null; verified_by: number | null; done_note: string | null }>('item'));
    expect(items).toMatchObject([
      { item_no: 1, status: 'done', kind: 'fixed', deadline: '2027-01-31', done_note: '已修订请销假制度并印发', verified_by: (await idOf(chat, '刘联络员')) },
      { item_no: 2, status: 'open', kind: 'immediate', deadline: '2027-01-04' },
      { item_no: 3, status: 'extended', kind: 'coordinate', deadline: '2027-04-30', lead_unit: '区财政局' },
    ]);
    expect((await chat.rows('item_owner'))).toHaveLength(4);
  });

  it('9. chases the overdue 立行立改 item, which is completed late', async () => {
    await chat.type(':time 2027-01-05 09:00');
    const overdue = groupText(await op().say('/整改 逾期'));
    expect(overdue).toContain('逾期整改事项（1项）');
    expect(overdue).toContain('2. 清理超标办公用房 · 李四 · 1月4日 · 已逾期1天');
    const progress = groupText(await secretary().say('/进度'));
    expect(progress).toContain('🔴 有逾期');
    expect(progress).toContain('整改：未完成 2（逾期 1，延期 1），已完成 1');

    expect(groupText(await say('李四', '/整改 完成 2 已腾退超标用房'))).toBe('第2号整改事项已完成（李四），比期限晚1天。请联络员或主要负责人 /整改 核实 2。');
    const show = groupText(await op().say('/整改 查看 3'));
    expect(show).toContain('第3号 协调解决职工食堂问题');
    expect(show).toMatch(/类型：需协调，牵头：区财政局；责任人：(赵敏、张三|张三、赵敏)；截止：4月30日；状态：已延期/);
    expect(show).toContain('赵敏 延期 2027年3月31日→2027年4月30日：需区财政统筹安排资金');

    const events = (await chat.rows<{ action: string }>('item_event')).map((e) => e.action);
    expect(events.sort()).toEqual(['completed', 'completed', 'created', 'created', 'created', 'extended', 'verified']);
  });

  it('10. records the list, the report and the 通报; only the open item and the archive remain', async () => {
    await op().say('/完成 整改清单');
    expect(groupText(await op().say('/完成 报告 已报区纪委、区委组织部'))).toBe('已登记：报告完成（刘联络员）。');
    await op().say('/完成 通报');
    const progress = groupText(await secretary().say('/进度'));
    expect(progress).toContain('阶段：会后整改');
    expect(progress).toContain('✅ 报告 · 已完成（1月5日）');
    expect(progress).toContain('整改：未完成 1（逾期 0，延期 1），已完成 2');

    expect([...(await actions(chat))].sort()).toEqual(expect.arrayContaining([
      'unit.create', 'chat.bind', 'member.add', 'meeting.create', 'talk.log', 'outline.submit', 'outline.review', 'leave.request',
      'leave.approve', 'statement.submit', 'step.done', 'meeting.hold', 'relay', 'item.create', 'item.complete', 'item.verify', 'item.extend',
    ]));
    const audits = (await chat.rows<{ action: string; actor_id: number; unit_id: number }>('audit_log', "action = 'meeting.hold'"));
    expect(audits).toMatchObject([{ actor_id: (await idOf(chat, '王书记')), unit_id: (await chat.rows<{ id: number }>('unit', 'name = ?', '区教育局党组'))[0]!.id }]);
  });
  it('11. completes the last item and archives the 7 materials: the meeting is complete', async () => {
    expect(groupText(await say('赵敏', '/整改 完成 3 食堂问题已协调解决'))).toContain('第3号整改事项已完成（赵敏）');
    const materials = ['会议方案', '会议通知', '群众意见', '会议发言原始记录', '整改方案', '上次整改情况通报', '综合情况报告'];
    for (const m of materials.slice(0, 6)) await op().say(`/归档 ${m} 已归档`);
    expect(groupText(await secretary().say('/进度'))).toContain('阶段：会后整改'); // one material still missing
    await op().say(`/归档 ${materials[6]} 已归档`);
    const progress = groupText(await secretary().say('/进度'));
    expect(progress).toContain('阶段：已全部完成');
    expect((await chat.rows('archive_record'))).toHaveLength(7);
    expect((await chat.rows('item', "status = 'done'"))).toHaveLength(3);
  });
});

describe('a whole 组织生活会 of 第一党支部 (meeting day 2026-12-20)', () => {
  let chat: Chat;
  const op = () => chat.as('周组织员').in('支部群');
  const say = (who: string, text: string) => chat.as(who).in('支部群').say(text);

  beforeAll(async () => {
    chat = await startChat({ today: '2026-11-25' });
  });
  afterAll(async () => chat.stop());

  it('1. binds the branch, its roster and the meeting (no plan deadline: the plan is optional)', async () => {
    expect(groupText(await op().say('/单位 设置 第一党支部'))).toContain('周组织员 已成为本单位联络员。');
    expect(groupText(await op().say('/成员 添加 @孙书记 支部书记'))).toBe('已把 孙书记 添加为主要负责人。');
    expect(groupText(await op().say('/成员 添加 @钱委员 @吴委员 支委'))).toBe('已把 钱委员、吴委员 添加为班子成员。');
    expect(groupText(await op().say('/成员 添加 @郑党员 @冯党员 党员'))).toBe('已把 郑党员、冯党员 添加为党员。');
    expect(groupText(await op().say('/成员 添加 @陈预备 预备党员'))).toBe('已把 陈预备 添加为预备党员。');

    const created = groupText(await op().say('/会议 新建 组织生活会 12月20日'));
    expect(created).toContain('已安排第一党支部组织生活会：2026年12月20日');
    expect(created).toContain('• 通知：2026年12月10日前');
    expect(created).toContain('• 备案：2027年1月4日前');
    expect(created).not.toContain('方案');
    expect((await chat.rows('meeting'))).toMatchObject([{ kind: 'org_life', date: '2026-12-20', status: 'scheduled' }]);

    const progress = groupText(await say('孙书记', '/进度'));
    expect(progress).toContain('➖ 方案 · 可选');
    expect(progress).toContain('谈心谈话：必谈 0/3（0%）');
    expect(progress).toContain('个人问题清单：已交 0/6');
    expect(progress).not.toContain('已审');
  });

  it('2. every pair of committee members talks; the organizer logs the pair of two others', async () => {
    await say('孙书记', '/谈心 @钱委员 面谈');
    await say('孙书记', '/谈心 @吴委员 面谈');
    const status = groupText(await say('孙书记', '/谈心 情况'));
    expect(status).toContain('必谈 2/3（66%）');
    expect(status).toContain('• 钱委员—吴委员');
    expect(groupText(await op().say('/谈心 @钱委员 @吴委员 面谈'))).toContain('已登记：钱委员 与 吴委员 谈心谈话');
    expect(groupText(await say('孙书记', '/谈心 @陈预备 上门 身体不便'))).toContain('必谈覆盖 100%');
    expect(groupText(await say('孙书记', '/谈心 情况'))).toContain('提倡谈：还有 8/9 对未谈。');
    const pairs = (await chat.rows<{ a_id: number; b_id: number; mode: string }>('talk'));
    expect(pairs).toHaveLength(4);
    expect(pairs[2]).toMatchObject({ a_id: (await idOf(chat, '钱委员')), b_id: (await idOf(chat, '吴委员')) });
    expect(pairs[3]?.mode).toBe('home_visit');
  });

  it('3. every member hands in a 个人问题清单; there is no review in 组织生活会', async () => {
    for (const who of ['孙书记', '钱委员', '吴委员', '郑党员', '冯党员', '陈预备']) await say(who, '/提纲 提交');
    expect(groupText(await say('孙书记', '/提纲 审核 @钱委员'))).toBe('组织生活会的个人问题清单不需要审核，提交即可。');
    expect(groupText(await say('孙书记', '/提纲 情况'))).toBe('提纲：已交 6/6');
    expect((await chat.rows('outline', 'reviewed_on IS NOT NULL'))).toEqual([]);
  });

  it('4. a party member asks the secretary for leave and hands in a written statement', async () => {
    const asked = await say('郑党员', '/请假 在外地出差');
    expect(groupText(asked)).toBe('郑党员 已提交请假申请，等待 孙书记 审批。原因已私下转给审批人。');
    expect(privateText(asked, '孙书记')).toContain('在外地出差');
    expect(groupText(await say('孙书记', '/批准 @郑党员'))).toContain('郑党员 的请假已批准');
    expect(groupText(await say('郑党员', '/书面发言 提交'))).toBe('已登记 郑党员 提交书面发言材料。');
  });

  it('5. records the preparation and holds the meeting on D', async () => {
    for (const step of ['学习', '征求意见', '对照检查', '通知']) await op().say(`/完成 ${step}`);
    chat.setDay('2026-12-20', 14, 30);
    expect(groupText(await say('孙书记', '/完成 支委会'))).toBe('已登记：支委会完成（孙书记）。');
    const held = groupText(await say('孙书记', '/会议 召开'));
    expect(held).toContain('已记录：组织生活会于2026年12月20日召开，应到6人，实到5人。');
    expect(held).toContain('缺席：郑党员。');
    await say('孙书记', '/转告 @郑党员');
    expect((await chat.rows('meeting'))).toMatchObject([{ status: 'held', held_on: '2026-12-20' }]);
  });

  it('6. works through rectification, grading and filing until the meeting is complete', async () => {
    expect(groupText(await op().say('/整改 新增 @钱委员 规范三会一课记录 截止 2027-01-15'))).toContain('已新增第1号整改事项（限期整改）');
    expect(groupText(await op().say('/整改 新增 @冯党员 按时足额交纳党费 立行立改'))).toContain('截止：2026年12月27日');
    await chat.type(':time 2026-12-26');
    expect(groupText(await say('冯党员', '/整改 完成 2 已补交党费'))).toBe('第2号整改事项已完成（冯党员）。请联络员或主要负责人 /整改 核实 2。');
    expect(groupText(await say('钱委员', '/整改 完成 1 已补齐会议记录'))).toContain('第1号整改事项已完成（钱委员）');
    expect(groupText(await say('孙书记', '/整改 核实 1'))).toBe('第1号整改事项已核实（孙书记）。');

    expect(groupText(await say('孙书记', '/进度'))).toContain('阶段：会后整改');
    await say('孙书记', '/完成 评定');
    await op().say('/完成 整改清单');
    expect(groupText(await op().say('/完成 备案'))).toBe('已登记：备案完成（周组织员）。');

    const progress = groupText(await say('孙书记', '/进度'));
    expect(progress).toContain('阶段：已全部完成');
    expect(progress).toContain('🟢 正常');
    expect((await chat.rows('item', "status = 'done'"))).toHaveLength(2);
    expect((await chat.rows('step_record')).map((r) => (r as { step: string }).step).sort()).toEqual(
      ['committee_meeting', 'filing', 'grading', 'inspection', 'notice', 'opinions', 'rectify_list', 'study'].sort(),
    );
    expect((await chat.rows('leave_request'))).toMatchObject([{ status: 'approved', statement_on: '2026-11-25', relayed_on: '2026-12-20' }]);
  });
});
