import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { toLocalDate, type LocalDate } from '../domain/dates.js';
import { viewMeeting } from '../domain/meeting.js';
import { obligationRoles } from '../domain/obligations.js';
import { daysOverdue, itemState } from '../domain/rectification.js';
import { offsetsFor } from '../domain/rules.js';
import { hasOverdue, totalsOf, worstFirst, type SummaryTotals, type UnitSummary } from '../domain/summary.js';
import { campaignKey, campaignProgress, seriesDays, type CampaignProgress } from '../domain/trends.js';
import { MEETING_KINDS, type MeetingKind, type Role } from '../domain/types.js';
import { exportTable, localDateTime, summaryTableOf, toCsv, toXlsx, type ExportKind, type ExportTable } from '../cli/export.js';
import { audit } from '../store/audit.repository.js';
import {
  consumeLink, createSession, endSession, linkByHash, personNameOf, sessionByHash, storedObligations, touchSession, type SessionRow,
} from '../store/dashboard.repository.js';
import { loadMeetingFacts } from '../store/facts.js';
import { itemHistory, itemsOfUnit } from '../store/item.repository.js';
import { currentMeeting } from '../store/meeting.repository.js';
import { rosterOf, supervisorsOf } from '../store/person.repository.js';
import { campaignsOf } from '../store/supervision.repository.js';
import type { Unit } from '../store/unit.repository.js';
import { page } from '../text/dashboard.js';
import { textOf } from '../text/index.js';
import { obligationName } from '../text/reminders.js';
import { campaignsChart, lightsChart, overdueChart, papersChart } from './charts.js';
import { hashSecret, newSecret, sameSecret } from './links.js';
import { loginPage, messagePage, overviewPage, unitPage, type Filters, type OverviewRow, type UnitItem, type Viewer } from './pages.js';
import { scopeOf, subtreeIds, type Scope } from './scope.js';
import { SummaryCache } from './summary-cache.js';

/**
 * The web dashboard: fastify, on the bot's own process and store. Every page and download resolves
 * the signed-in person's scope on the server and refuses any unit outside it (404, the same page
 * as for a unit that does not exist). No GET changes anything the dashboard shows; the two forms
 * (sign-in, sign-out) post a token. Request URLs are never logged (a sign-in link carries its token).
 */

export const SESSION_COOKIE = 'shh_session';
export const LOGIN_COOKIE = 'shh_login';
/** A session ends this long after sign-in, however active. */
export const SESSION_MAX_HOURS = 12;
/** Rows per page of the overview. */
export const PAGE_SIZE = 100;
/** `last_seen_at` is written at most this often (an idle timeout does not need every request). */
const TOUCH_MS = 60_000;

const STATIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');

export interface Dashboard {
  readonly server: FastifyInstance;
  readonly cache: SummaryCache;
  /** Starts listening; returns the base URL links use (DASHBOARD_URL, or the address it listens on). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

interface Signed {
  session: SessionRow;
  viewer: Viewer;
  scope: Scope;
  personId: number;
  today: LocalDate;
}

type Outcome = 'none' | 'ended' | 'idle';

const ROLE_ORDER: Role[] = ['supervisor', 'principal', 'operator'];

export function createDashboard(app: App, opts: { port?: number } = {}): Dashboard {
  const { db, clock, config, log } = app;
  const cache = new SummaryCache(db);
  const secure = (config.DASHBOARD_URL ?? '').startsWith('https://');
  const idleMs = config.DASHBOARD_IDLE_MINUTES * 60_000;
  const server = Fastify({ logger: false });
  /** Overviews already sorted and counted, by person, filters and the cache's generation. */
  const overviews = new Map<string, { totals: SummaryTotals; sorted: UnitSummary[]; campaigns: Array<{ key: string; progress: CampaignProgress }>; days: LocalDate[]; overdue: number[]; total: number }>();

  void server.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    strictTransportSecurity: secure,
    // same-origin: a sign-in page's URL (its token) never goes to another site, and our own forms keep their Origin (no-referrer makes it "null").
    referrerPolicy: { policy: 'same-origin' },
  });
  void server.register(fastifyCookie);
  void server.register(fastifyFormbody);
  void server.register(fastifyStatic, { root: STATIC_DIR, prefix: '/static/', index: false, list: false });

  // Nothing here is for a shared cache or the back button of a signed-out browser.
  server.addHook('onSend', async (req, reply) => {
    if (!req.url.startsWith('/static/')) reply.header('cache-control', 'no-store');
  });

  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };

  const clearSession = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, cookieOpts);

  /** The session behind the cookie, or why there is none (ended sessions are marked so). */
  async function sessionOf(req: FastifyRequest): Promise<{ session?: SessionRow; outcome: Outcome }> {
    const raw = req.cookies[SESSION_COOKIE];
    if (!raw) return { outcome: 'none' };
    const session = await sessionByHash(db, hashSecret(raw));
    if (!session) return { outcome: 'none' };
    if (session.endedAt) return { outcome: 'ended' };
    const now = clock.now();
    const idle = now.getTime() - new Date(session.lastSeenAt).getTime() > idleMs;
    const tooOld = now.getTime() - new Date(session.createdAt).getTime() > SESSION_MAX_HOURS * 3_600_000;
    if (idle || tooOld) {
      await endSession(db, session.id, now.toISOString());
      return { outcome: 'idle' };
    }
    if (now.getTime() - new Date(session.lastSeenAt).getTime() > TOUCH_MS) await touchSession(db, session.id, now.toISOString());
    return { session, outcome: 'none' };
  }

  /** The signed-in person with their scope, or a reply already sent (sign-in needed, nothing to see). */
  async function signedIn(req: FastifyRequest, reply: FastifyReply): Promise<Signed | undefined> {
    const { session, outcome } = await sessionOf(req);
    if (!session) {
      clearSession(reply);
      if (outcome === 'idle') html(reply, 401, messagePage(page.sessionEnded, page.sessionEndedBody({ minutes: config.DASHBOARD_IDLE_MINUTES })));
      else html(reply, 401, messagePage(page.needLogin, page.needLoginBody));
      return undefined;
    }
    const today = toLocalDate(clock.now());
    await cache.refresh(today);
    const tree = await cache.unitTree();
    const scope = await scopeOf(db, tree, session.personId, cache.generation);
    const name = (await personNameOf(db, session.personId)) ?? '';
    const roles = [...scope.tops].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role))
      .map((t) => `${t.unit.name} ${page.role(t.role)}`).join('；');
    const viewer: Viewer = { name, roles, csrf: session.csrf };
    if (scope.visible.size === 0) {
      html(reply, 403, messagePage(page.noScope, page.noScopeBody, { viewer }));
      return undefined;
    }
    return { session, viewer, scope, personId: session.personId, today };
  }

  const notFound = (reply: FastifyReply, viewer?: Viewer) => html(reply, 404, messagePage(page.notFound, page.notFoundBody, { ...(viewer ? { viewer } : {}), home: true }));
  const badRequest = (reply: FastifyReply, viewer?: Viewer) => html(reply, 400, messagePage(page.badRequest, page.badRequestBody, { ...(viewer ? { viewer } : {}), home: true }));

  /** A POST from another site carries its Origin: refused whatever it carries. */
  const foreignOrigin = (req: FastifyRequest): boolean => {
    const origin = req.headers.origin;
    if (!origin || origin === 'null') return origin === 'null';
    try {
      return new URL(origin).host !== req.headers.host;
    } catch {
      return true;
    }
  };

  // ── sign-in ────────────────────────────────────────────────
  async function checkLink(token: unknown): Promise<{ ok: true; link: { id: number; personId: number } } | { ok: false; title: string; body: string }> {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, title: page.linkInvalid, body: page.linkInvalidBody };
    const link = await linkByHash(db, hashSecret(token));
    if (!link) return { ok: false, title: page.linkInvalid, body: page.linkInvalidBody };
    if (link.usedAt) return { ok: false, title: page.linkUsed, body: page.linkUsedBody };
    if (link.expiresAt <= clock.now().toISOString()) return { ok: false, title: page.linkExpired, body: page.linkExpiredBody({ minutes: config.DASHBOARD_LINK_MINUTES }) };
    return { ok: true, link };
  }

  /** A browser signed in as someone else may not use this person's link (it was not sent to them). */
  async function otherPerson(req: FastifyRequest, personId: number): Promise<string | undefined> {
    const { session } = await sessionOf(req);
    if (!session || session.personId === personId) return undefined;
    return (await personNameOf(db, session.personId)) ?? '';
  }

  server.get('/login', async (req, reply) => {
    const check = await checkLink((req.query as Record<string, unknown>).t);
    if (!check.ok) return html(reply, check.title === page.linkInvalid ? 400 : 410, messagePage(check.title, check.body));
    const other = await otherPerson(req, check.link.personId);
    if (other !== undefined) return html(reply, 409, messagePage(page.linkOtherPerson, page.linkOtherPersonBody({ name: other }), { home: true }));
    const formToken = newSecret();
    reply.setCookie(LOGIN_COOKIE, formToken, { ...cookieOpts, sameSite: 'strict', path: '/login', maxAge: config.DASHBOARD_LINK_MINUTES * 60 });
    const name = (await personNameOf(db, check.link.personId)) ?? '';
    return html(reply, 200, loginPage({ name, token: String((req.query as Record<string, unknown>).t), formToken }));
  });

  server.post('/login', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (foreignOrigin(req) || !sameSecret(typeof body.f === 'string' ? body.f : undefined, req.cookies[LOGIN_COOKIE])) {
      return html(reply, 403, messagePage(page.formExpired, page.formExpiredBody));
    }
    const check = await checkLink(body.t);
    if (!check.ok) return html(reply, check.title === page.linkInvalid ? 400 : 410, messagePage(check.title, check.body));
    const other = await otherPerson(req, check.link.personId);
    if (other !== undefined) return html(reply, 409, messagePage(page.linkOtherPerson, page.linkOtherPersonBody({ name: other }), { home: true }));
    const now = clock.now().toISOString();
    // Single use even when two tabs post it at once: only one update finds it unused.
    if (!(await consumeLink(db, check.link.id, now))) return html(reply, 410, messagePage(page.linkUsed, page.linkUsedBody));
    const { session: previous } = await sessionOf(req);
    if (previous) await endSession(db, previous.id, now);
    const secret = newSecret();
    await createSession(db, { sessionHash: hashSecret(secret), personId: check.link.personId, csrf: newSecret() }, now);
    await audit(db, now, { actorId: check.link.personId, unitId: null, chat: 'dashboard', action: 'dashboard.login', entity: 'person', entityId: check.link.personId });
    reply.clearCookie(LOGIN_COOKIE, { ...cookieOpts, sameSite: 'strict', path: '/login' });
    reply.setCookie(SESSION_COOKIE, secret, cookieOpts);
    return reply.code(303).header('location', '/').send();
  });

  server.post('/logout', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { session } = await sessionOf(req);
    if (!session) {
      clearSession(reply);
      return html(reply, 401, messagePage(page.needLogin, page.needLoginBody));
    }
    if (foreignOrigin(req) || !sameSecret(typeof body.csrf === 'string' ? body.csrf : undefined, session.csrf)) {
      return html(reply, 403, messagePage(page.forbidden, page.forbiddenBody, { home: true }));
    }
    await endSession(db, session.id, clock.now().toISOString());
    clearSession(reply);
    return reply.code(303).header('location', '/signed-out').send();
  });

  server.get('/signed-out', async (_req, reply) => html(reply, 200, messagePage(page.signedOut, page.signedOutBody)));

  // ── the overview ───────────────────────────────────────────
  const parseFilters = (q: Record<string, unknown>): Filters | undefined => {
    const flag = (v: unknown) => v === '1' || v === 'on';
    const int = (v: unknown) => (typeof v === 'string' && /^[1-9]\d{0,8}$/.test(v) ? Number(v) : undefined);
    const kind = typeof q.kind === 'string' && q.kind ? q.kind : undefined;
    if (kind && !(MEETING_KINDS as readonly string[]).includes(kind)) return undefined;
    if (q.under !== undefined && q.under !== '' && int(q.under) === undefined) return undefined;
    if (q.page !== undefined && q.page !== '' && int(q.page) === undefined) return undefined;
    return {
      overdue: flag(q.overdue), noMeeting: flag(q.nomeeting), kind: kind as MeetingKind | undefined,
      campaign: typeof q.campaign === 'string' && q.campaign ? q.campaign : undefined, under: int(q.under), page: int(q.page) ?? 1,
    };
  };

  /** The overview's units: every row of the scope, or those at and below `under` (which must be visible). */
  async function unitsUnder(s: Signed, under: number | undefined): Promise<Unit[] | undefined> {
    if (under === undefined) return [...s.scope.rows];
    if (!s.scope.visible.has(under)) return undefined;
    const below = new Set(subtreeIds(await cache.unitTree(), under));
    return s.scope.rows.filter((u) => below.has(u.id));
  }

  server.get('/', async (req, reply) => {
    const s = await signedIn(req, reply);
    if (!s) return reply;
    const filters = parseFilters(req.query as Record<string, unknown>);
    if (!filters) return badRequest(reply, s.viewer);
    if (filters.under !== undefined && !s.scope.visible.has(filters.under)) return notFound(reply, s.viewer);
    // The sorted and counted district is kept until something it shows changes (cache.generation).
    const memoKey = (g: number) => `${s.personId}|${s.today}|${g}|${filters.under ?? ''}|${filters.overdue}|${filters.noMeeting}|${filters.kind ?? ''}|${filters.campaign ?? ''}`;
    let view = overviews.get(memoKey(cache.generation));
    const tree = await cache.unitTree();
    if (!view) {
      const units = (await unitsUnder(s, filters.under))!;
      const entries = await cache.entriesOf(units, s.today);
      const withCampaigns = entries.map((e, i) => ({ entry: e, campaigns: campaignsOf(units[i]!) }));
      const campaigns = campaignProgress(withCampaigns.map((x) => ({ summary: x.entry.summary, campaigns: x.campaigns })))
        .map((progress) => ({ key: campaignKey(progress), progress }));
      const chosen = withCampaigns.filter(({ entry: { summary: r }, campaigns: cs }) =>
        (!filters.overdue || hasOverdue(r)) &&
        (!filters.noMeeting || r.flags.some((f) => f.flag === 'no_meeting' || f.flag === 'campaign_missing')) &&
        (!filters.kind || r.meeting?.kind === filters.kind) &&
        (!filters.campaign || cs.some((c) => campaignKey(c) === filters.campaign)));
      const summaries = chosen.map((x) => x.entry.summary);
      const sorted = worstFirst(summaries, tree.nameRank);
      const days = seriesDays(s.today);
      const overdue = days.map((_, i) => chosen.reduce((n, x) => n + (x.entry.overdue[i] ?? 0), 0));
      view = { totals: totalsOf(summaries), sorted, campaigns, days, overdue, total: units.length };
      if (overviews.size >= 32) overviews.delete(overviews.keys().next().value!);
      overviews.set(memoKey(cache.generation), view);
    }
    const { totals, sorted, campaigns, days, overdue, total } = view;
    const pages = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
    if (filters.page > pages) return notFound(reply, s.viewer);
    const from = (filters.page - 1) * PAGE_SIZE;
    const rows: OverviewRow[] = sorted.slice(from, from + PAGE_SIZE).map((summary) => {
      const u = tree.units.get(summary.unitId);
      const parent = u?.parentId !== null && u?.parentId !== undefined ? tree.units.get(u.parentId)?.name : undefined;
      const children = (tree.children.get(summary.unitId) ?? []).filter((id) => s.scope.visible.has(id)).length;
      return { summary, parent, children };
    });
    const shownCampaigns = filters.campaign ? campaigns.filter((c) => c.key === filters.campaign) : campaigns;
    const top = filters.under !== undefined ? tree.units.get(filters.under)!.name : s.scope.tops.map((t) => t.unit.name).join('、');
    const t = totals;
    return html(reply, 200, overviewPage({
      viewer: s.viewer, today: s.today, totals, rows, shown: sorted.length, total, from: from + 1, filters, pages,
      title: filters.under !== undefined ? page.under({ unit: top }) : page.overviewTitle({ scope: top }),
      campaigns,
      charts: {
        lights: lightsChart(t.lights), overdue: overdueChart(days, overdue), papers: papersChart(t.papers),
        campaigns: shownCampaigns.length ? campaignsChart(shownCampaigns.map((c) => c.progress)) : undefined,
      },
      chartText: {
        lights: page.totals({ units: t.units, ...t.lights }),
        overdue: days.map((d, i) => `${d} ${overdue[i]}`).join('，'),
        papers: (['plan', 'notice', 'report'] as const).map((p) => `${page.paper(p)} ${page.series.onTime}${t.papers[p].onTime} ${page.series.late}${t.papers[p].late} ${page.series.missing}${t.papers[p].missing} ${page.series.pending}${t.papers[p].pending}`).join('；'),
        campaigns: shownCampaigns.map((c) => `${page.campaignOption(c.progress)} ${page.series.held}${c.progress.held} ${page.series.arranged}${c.progress.arranged} ${page.series.missingMeeting}${c.progress.missing}`).join('；'),
      },
    }));
  });

  // ── one unit ───────────────────────────────────────────────
  const unitParam = (v: unknown): number | undefined => (typeof v === 'string' && /^[1-9]\d{0,8}$/.test(v) ? Number(v) : undefined);

  server.get('/units/:id', async (req, reply) => {
    const s = await signedIn(req, reply);
    if (!s) return reply;
    const id = unitParam((req.params as Record<string, unknown>).id);
    if (id === undefined || !s.scope.visible.has(id)) return notFound(reply, s.viewer);
    const tree = await cache.unitTree();
    const unit = tree.units.get(id);
    if (!unit) return notFound(reply, s.viewer);
    const [entry] = await cache.entriesOf([unit], s.today);
    const summary = entry!.summary;
    const meeting = await currentMeeting(db, unit.id);
    const roster = await rosterOf(db, unit.id);
    const nameOf = new Map(roster.map((m) => [m.id, m.name]));
    let steps: Parameters<typeof unitPage>[0]['steps'] = [];
    let coverage: { percent: number; done: number; required: number } | undefined;
    let leave: { approved: number; pending: number; rejected: number } | undefined;
    if (meeting) {
      const facts = await loadMeetingFacts(db, meeting, roster, offsetsFor(unit.settings, meeting.kind));
      const view = viewMeeting(facts, s.today);
      steps = view.steps.map((st) => ({ ...st, owesNames: st.owes.map((p) => nameOf.get(p) ?? '').filter(Boolean) }));
      coverage = { percent: view.coverage.percent, done: view.coverage.done, required: view.coverage.required.length };
      leave = view.leave;
    }
    const supervisors = await supervisorsOf(db, unit.id);
    const obligations = (await storedObligations(db, unit.id)).map((o) => {
      const roles = obligationRoles(meeting?.kind ?? 'democratic_life', o.step as Parameters<typeof obligationRoles>[1]);
      const who = o.personName ? [o.personName]
        : roles.flatMap((r) => (r === 'supervisor' ? supervisors.map((x) => x.name) : roster.filter((m) => m.roles.includes(r)).map((m) => m.name)));
      return { what: obligationName(o.step, meeting?.kind), due: o.due, who: [...new Set(who)] };
    });
    const items: UnitItem[] = [];
    for (const i of await itemsOfUnit(db, unit.id)) {
      const history = (await itemHistory(db, i.id)).map((e) =>
        textOf('export.event', { at: localDateTime(e.at), actor: e.actor ?? '', action: e.action, from: e.fromDeadline, to: e.toDeadline, note: e.note }));
      const state = itemState(i, s.today);
      items.push({ no: i.no, content: i.content, owners: i.owners.map((o) => o.name), deadline: i.deadline, state, daysOverdue: daysOverdue(i, s.today), doneOn: i.doneOn, history });
    }
    const parentUnit = unit.parentId !== null ? tree.units.get(unit.parentId) : undefined;
    const children = (tree.children.get(unit.id) ?? []).filter((c) => s.scope.visible.has(c)).length;
    return html(reply, 200, unitPage({
      viewer: s.viewer, today: s.today, summary, children, steps, coverage, leave, obligations, items,
      parent: parentUnit ? { id: parentUnit.id, name: parentUnit.name, visible: s.scope.visible.has(parentUnit.id) } : undefined,
    }));
  });

  // ── downloads: the CLI's exports, scoped, never with notes or reasons ──
  server.get('/export/:file', async (req, reply) => {
    const s = await signedIn(req, reply);
    if (!s) return reply;
    const m = /^(items|summary|talks|leave)\.(csv|xlsx)$/.exec(String((req.params as Record<string, unknown>).file));
    if (!m) return notFound(reply, s.viewer);
    const kind = m[1] as ExportKind;
    const format = m[2] as 'csv' | 'xlsx';
    const q = req.query as Record<string, unknown>;
    const unitId = q.unit === undefined || q.unit === '' ? undefined : unitParam(q.unit);
    if (q.unit !== undefined && q.unit !== '' && unitId === undefined) return badRequest(reply, s.viewer);
    if (unitId !== undefined && !s.scope.visible.has(unitId)) return notFound(reply, s.viewer);
    const tree = await cache.unitTree();
    let table: ExportTable;
    let label: string;
    if (kind === 'summary') {
      const units = (await unitsUnder(s, unitId))!;
      table = summaryTableOf((await cache.entriesOf(units, s.today)).map((e) => e.summary), s.today);
      label = unitId !== undefined ? tree.units.get(unitId)!.name : s.scope.tops.map((t) => t.unit.name).join('、');
    } else {
      if (unitId === undefined) return badRequest(reply, s.viewer);
      const unit = tree.units.get(unitId);
      if (!unit) return notFound(reply, s.viewer);
      table = await exportTable(db, kind, unit, s.today, {});
      label = unit.name;
    }
    const data = format === 'csv' ? toCsv(table) : await toXlsx(table);
    await audit(db, clock.now().toISOString(), {
      actorId: s.personId, unitId: null, chat: 'dashboard', action: `export.${kind}`, entity: 'unit', entityId: unitId ?? null,
      detail: { format, withNotes: false, withReasons: false, rows: table.rows.length },
    });
    const filename = `${label}-${table.sheet}-${s.today}.${format}`;
    reply.header('content-disposition', `attachment; filename="${kind}.${format}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return reply.send(format === 'csv' ? Buffer.from(data as string, 'utf8') : data);
  });

  server.setNotFoundHandler(async (_req, reply) => notFound(reply));
  server.setErrorHandler(async (err, req, reply) => {
    const status = typeof (err as { statusCode?: number }).statusCode === 'number' ? (err as { statusCode: number }).statusCode : 500;
    if (status >= 400 && status < 500) return badRequest(reply);
    // The route's pattern, never the URL: a sign-in link's token is in its query.
    log.error({ route: req.routeOptions.url, method: req.method, err: err instanceof Error ? err.message : String(err) }, 'dashboard request failed');
    return html(reply, 500, messagePage(page.serverError, page.serverErrorBody));
  });

  return {
    server,
    cache,
    async listen() {
      const address = await server.listen({ port: opts.port ?? config.DASHBOARD_PORT ?? 0, host: config.DASHBOARD_HOST });
      const base = config.DASHBOARD_URL ?? address.replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
      app.dashboard.base = base;
      log.info({ port: (server.server.address() as { port?: number } | null)?.port }, 'dashboard listening');
      // The first page of the day reads every unit once: do it now rather than for the first visitor.
      void cache.unitTree().then((tree) => cache.entriesOf([...tree.units.values()], toLocalDate(clock.now()))).then(() => undefined, (e: unknown) => log.warn({ err: e instanceof Error ? e.message : String(e) }, 'dashboard: warming the cache failed'));
      return base;
    },
    async close() {
      await server.close();
    },
  };
}
