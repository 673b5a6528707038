import { createDashboard } from '../../src/web/server.js';
import { issueLink } from '../../src/web/links.js';
import { percentile, round } from '../lib/stats.js';
import { CHANNEL } from '../lib/district.js';
import { groupMessage, type BenchContext, type Measure } from '../lib/context.js';
import type { BenchRow } from '../lib/report.js';

/**
 * The dashboard's tree page for the whole district (3,000 units, the supervisor 陈部长 of 区委组织部),
 * served through fastify's `inject` (the full route: session, scope, cached summaries, 4 SVG charts,
 * 100 rows of HTML), beside the same summary through `/汇总` in the supervisor's chat: one `/汇总`
 * after every 50 pages, so both see the same machine. Before every 10th page a unit records a talk
 * (not timed): that unit's summary is computed again and the page sorted and counted afresh, as
 * while the district works. The first page after start (every unit's
 * summary computed, as on the first page of a day) is reported as `dashboard_tree_cold`.
 */
const SUMMARY_EVERY = 50;
/** A /谈心 in some unit (untimed) before every this many pages: the district keeps working while it is watched. */
const WRITE_EVERY = 10;

export const dashboardTree: Measure = {
  name: 'dashboard_tree',
  async run(ctx: BenchContext): Promise<BenchRow> {
    const { app } = ctx;
    const root = await app.db.selectFrom('unit').select('id').where('name', '=', '区委组织部').executeTakeFirstOrThrow();
    const chen = await app.db.selectFrom('person').innerJoin('identity', 'identity.person_id', 'person.id')
      .select(['person.id', 'identity.user_id']).where('person.name', '=', '陈部长').executeTakeFirstOrThrow();
    // /汇总 is sent in the supervising unit's own chat.
    if (!(await app.db.selectFrom('chat').select('id').where('chat_id', '=', 'chat-root').executeTakeFirst())) {
      await app.db.insertInto('chat').values({ channel: CHANNEL, chat_id: 'chat-root', unit_id: root.id, title: '组织部群', created_at: app.clock.now().toISOString() }).execute();
    }
    const dashboard = createDashboard(app);
    try {
      const link = await issueLink(app.db, chen.id, app.clock.now(), { base: 'http://bench', linkMinutes: 10 });
      const token = link.split('t=')[1]!;
      const open = await dashboard.server.inject({ method: 'GET', url: `/login?t=${token}` });
      const form = /name="f" value="([^"]+)"/.exec(open.body)![1]!;
      const loginCookie = String(([] as string[]).concat(open.headers['set-cookie'] as string[])[0]).split(';')[0];
      const signIn = await dashboard.server.inject({
        method: 'POST', url: '/login', payload: `t=${token}&f=${form}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie! },
      });
      const cookie = String(([] as string[]).concat(signIn.headers['set-cookie'] as string[]).find((c) => c.startsWith('shh_session='))).split(';')[0]!;
      const page = async () => {
        const r = await dashboard.server.inject({ method: 'GET', url: '/', headers: { cookie } });
        if (r.statusCode !== 200 || !r.body.includes('共 3000 个单位')) throw new Error(`dashboard page failed: ${r.statusCode} ${r.body.slice(0, 200)}`);
      };
      const summary = async () => {
        const replies = await app.handle(groupMessage('chat-root', chen.user_id, '/汇总'));
        if (!replies.some((d) => d.message.text.includes('共 3000 个单位'))) throw new Error(`/汇总 failed: ${replies[0]?.message.text.slice(0, 200)}`);
      };
      let t0 = performance.now();
      await page();
      const cold = performance.now() - t0;
      for (let i = 0; i < 200; i++) await page(); // warm-up: JIT, young heap
      await summary();
      const iterations = Math.min(ctx.iterations, 2000);
      const pages: number[] = [];
      const summaries: number[] = [];
      ctx.floor.take();
      const { units } = ctx.district;
      for (let i = 0; i < iterations; i++) {
        if (i % WRITE_EVERY === 0) {
          const u = units[(i * 13) % units.length]!;
          const m = u.members[i % u.members.length]!;
          const replies = await app.handle(groupMessage(u.chatId, u.principal.userId, `/谈心 @${m.name} 面谈`));
          if (!replies.some((d) => d.message.text.includes('已登记'))) throw new Error(`/谈心 failed: ${replies[0]?.message.text}`);
        }
        t0 = performance.now();
        await page();
        pages.push(performance.now() - t0);
        ctx.floor.tick();
        if (i % SUMMARY_EVERY === SUMMARY_EVERY - 1) {
          t0 = performance.now();
          await summary();
          summaries.push(performance.now() - t0);
        }
      }
      const floor = percentile(ctx.floor.take(), 99);
      return {
        measure: 'dashboard_tree', p50_ms: round(percentile(pages, 50)), p99_ms: round(percentile(pages, 99)), floor_ms: round(floor),
        ratio: round(percentile(pages, 99) / floor, 1), samples: pages.length, writes_every: WRITE_EVERY,
        summary_p50_ms: round(percentile(summaries, 50)), summary_p99_ms: round(percentile(summaries, 99)), summary_samples: summaries.length,
        cold_ms: round(cold),
      };
    } finally {
      await dashboard.close();
    }
  },
};

export const DASHBOARD_MEASURES: Measure[] = [dashboardTree];
