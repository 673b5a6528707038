import type { LocalDate } from '../domain/dates.js';
import type { StepView } from '../domain/meeting.js';
import type { Light, PaperStep, SummaryTotals, UnitSummary } from '../domain/summary.js';
import type { CampaignProgress } from '../domain/trends.js';
import type { ItemState, MeetingKind } from '../domain/types.js';
import { page } from '../text/dashboard.js';
import { step as stepName } from '../text/format.js';

/**
 * The dashboard's HTML, rendered on the server (no script on any page). Every value is escaped;
 * every word comes from src/text/dashboard.ts.
 */

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const qs = (params: Record<string, string | number | undefined>): string => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
};

export interface Viewer {
  name: string;
  roles: string;
  csrf: string;
}

function layout(title: string, body: string, viewer?: Viewer): string {
  const header = viewer
    ? `<header class="top"><a class="brand" href="/">${esc(page.title)}</a>
<nav><a href="/">${esc(page.overview)}</a></nav>
<div class="who"><span>${esc(page.signedInAs({ name: viewer.name, roles: viewer.roles }))}</span>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="${esc(viewer.csrf)}"><button type="submit" class="link">${esc(page.signOut)}</button></form></div></header>`
    : `<header class="top"><span class="brand">${esc(page.title)}</span></header>`;
  return `<!doctype html>
<html lang="${page.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(page.title)}</title>
<link rel="stylesheet" href="/static/dashboard.css">
</head><body>${header}<main>${body}</main></body></html>`;
}

/** A page that says one thing (a refused link, a signed-out session, a missing unit). */
export function messagePage(title: string, body: string, opts: { viewer?: Viewer; home?: boolean } = {}): string {
  return layout(title, `<section class="message"><h1>${esc(title)}</h1><p>${esc(body)}</p>${opts.home ? `<p><a href="/">${esc(page.backHome)}</a></p>` : ''}</section>`, opts.viewer);
}

/** The confirmation page of a sign-in link: one button that posts it (opening a link changes nothing). */
export function loginPage(p: { name: string; token: string; formToken: string }): string {
  return layout(page.loginTitle, `<section class="message"><h1>${esc(page.loginTitle)}</h1><p>${esc(page.loginPrompt({ name: p.name }))}</p>
<form method="post" action="/login"><input type="hidden" name="t" value="${esc(p.token)}"><input type="hidden" name="f" value="${esc(p.formToken)}">
<button type="submit" class="primary">${esc(page.loginButton)}</button></form></section>`);
}

const LIGHT_CLASS: Record<Light, string> = { red: 'red', yellow: 'yellow', green: 'green' };
const lightDot = (l: Light) => `<span class="dot ${LIGHT_CLASS[l]}" title="${esc(page.light(l))}" aria-label="${esc(page.light(l))}"></span>`;

export interface OverviewRow {
  summary: UnitSummary;
  parent: string | undefined;
  children: number;
}

export interface Filters {
  overdue: boolean;
  noMeeting: boolean;
  kind: MeetingKind | undefined;
  campaign: string | undefined;
  under: number | undefined;
  page: number;
}

export interface OverviewModel {
  viewer: Viewer;
  title: string;
  today: LocalDate;
  totals: SummaryTotals;
  rows: OverviewRow[];
  shown: number;
  total: number;
  from: number;
  filters: Filters;
  pages: number;
  campaigns: ReadonlyArray<{ key: string; progress: CampaignProgress }>;
  charts: { lights: string; overdue: string; papers: string; campaigns: string | undefined };
  chartText: { lights: string; overdue: string; papers: string; campaigns: string };
}

const PAPERS: PaperStep[] = ['plan', 'notice', 'report'];

function rowHtml(r: OverviewRow, today: LocalDate): string {
  const s = r.summary;
  const kind = s.meeting?.kind;
  const paperCells = PAPERS.map((p) => {
    const st = s.papers?.[p];
    const cls = st?.state === 'missing' ? 'bad' : st?.state === 'late' ? 'warn' : st?.state === 'on_time' ? 'ok' : '';
    return `<td class="${cls}" data-label="${esc(page.paper(p, kind))}">${esc(page.paperCell(st, today))}</td>`;
  }).join('');
  const flags = [...s.flags.map((f) => page.flag(f, today))];
  const c = page.col;
  return `<tr class="${LIGHT_CLASS[s.light]}">
<td data-label="${esc(c.light)}">${lightDot(s.light)}</td>
<td data-label="${esc(c.unit)}" class="unit"><a href="/units/${s.unitId}">${esc(s.unitName)}</a>${r.parent ? `<small>${esc(r.parent)}</small>` : ''}${r.children ? ` <a class="sub" href="/${qs({ under: s.unitId })}">${esc(page.children({ count: r.children }))}</a>` : ''}</td>
<td data-label="${esc(c.meeting)}">${s.meeting ? esc(page.meetingCell({ kind: s.meeting.kind, date: s.meeting.date })) : `<span class="bad">${esc(page.noMeeting)}</span>`}</td>
<td data-label="${esc(c.stage)}">${s.phase ? esc(page.phase(s.phase)) : '—'}</td>
${paperCells}
<td data-label="${esc(c.talks)}">${s.coverage === undefined ? '—' : `${s.coverage}%`}</td>
<td data-label="${esc(c.leave)}">${s.leave.approved + s.leave.pending}</td>
<td data-label="${esc(c.items)}">${s.items.open}</td>
<td data-label="${esc(c.overdue)}" class="${s.items.overdue ? 'bad' : ''}">${s.items.overdue}</td>
<td data-label="${esc(c.failed)}" class="${s.failed ? 'bad' : ''}">${s.failed}</td>
<td data-label="${esc(c.flags)}">${esc(flags.join('；'))}</td>
<td data-label="${esc(c.activity)}">${esc(s.lastActivity ?? page.none)}</td></tr>`;
}

function figure(title: string, svg: string, text: string): string {
  return `<figure class="chart"><figcaption>${esc(title)}</figcaption><div class="svg" role="img" aria-label="${esc(page.chartAlt({ title, text }))}">${svg}</div></figure>`;
}

function downloads(unitId: number | undefined, kinds: ReadonlyArray<'summary' | 'items' | 'talks' | 'leave'>): string {
  const label = { summary: page.exportSummary, items: page.exportItems, talks: page.exportTalks, leave: page.exportLeave };
  const links = kinds.flatMap((k) => (['csv', 'xlsx'] as const).map((f) =>
    `<a class="button" download href="/export/${k}.${f}${qs({ unit: unitId })}">${esc(page.download({ what: label[k], format: f.toUpperCase() }))}</a>`));
  return `<section class="downloads"><h2>${esc(page.downloads)}</h2><div class="buttons">${links.join('')}</div></section>`;
}

export function overviewPage(m: OverviewModel): string {
  const t = m.totals;
  const f = m.filters;
  const base = { under: f.under, overdue: f.overdue ? 1 : undefined, nomeeting: f.noMeeting ? 1 : undefined, kind: f.kind, campaign: f.campaign };
  const kinds: MeetingKind[] = ['democratic_life', 'org_life'];
  const filterForm = `<form class="filters" method="get" action="/"><fieldset><legend>${esc(page.filters)}</legend>
${f.under ? `<input type="hidden" name="under" value="${f.under}">` : ''}
<label><input type="checkbox" name="overdue" value="1"${f.overdue ? ' checked' : ''}> ${esc(page.filterOverdue)}</label>
<label><input type="checkbox" name="nomeeting" value="1"${f.noMeeting ? ' checked' : ''}> ${esc(page.filterNoMeeting)}</label>
<label>${esc(page.filterKind)} <select name="kind"><option value="">${esc(page.anyKind)}</option>${kinds.map((k) => `<option value="${k}"${f.kind === k ? ' selected' : ''}>${esc(page.kind(k))}</option>`).join('')}</select></label>
<label>${esc(page.filterCampaign)} <select name="campaign"><option value="">${esc(page.anyCampaign)}</option>${m.campaigns.map((c) => `<option value="${esc(c.key)}"${f.campaign === c.key ? ' selected' : ''}>${esc(page.campaignOption(c.progress))}</option>`).join('')}</select></label>
<button type="submit" class="primary">${esc(page.apply)}</button> <a href="/${qs({ under: f.under })}">${esc(page.clear)}</a></fieldset></form>`;
  const c = page.col;
  const head = `<tr><th>${esc(c.light)}</th><th>${esc(c.unit)}</th><th>${esc(c.meeting)}</th><th>${esc(c.stage)}</th>${PAPERS.map((p) => `<th>${esc(page.paper(p))}</th>`).join('')}<th>${esc(c.talks)}</th><th>${esc(c.leave)}</th><th>${esc(c.items)}</th><th>${esc(c.overdue)}</th><th>${esc(c.failed)}</th><th>${esc(c.flags)}</th><th>${esc(c.activity)}</th></tr>`;
  const to = m.from + m.rows.length - 1;
  const pager = m.pages > 1
    ? `<nav class="pager">${f.page > 1 ? `<a href="/${qs({ ...base, page: f.page - 1 })}">${esc(page.prev)}</a>` : ''}<span>${f.page}/${m.pages}</span>${f.page < m.pages ? `<a href="/${qs({ ...base, page: f.page + 1 })}">${esc(page.next)}</a>` : ''}</nav>`
    : '';
  const body = `<h1>${esc(m.title)}</h1><p class="muted">${esc(page.today(m.today))}</p>
<section class="totals"><p>${lightDot('red')} ${lightDot('yellow')} ${lightDot('green')} ${esc(page.totals({ units: t.units, ...t.lights }))}</p>
<p>${esc(page.totalsMore({ noMeeting: t.noMeeting, overdueUnits: t.overdueUnits, open: t.items.open, overdue: t.items.overdue, failed: t.failed }))}</p></section>
<section class="charts">${figure(page.chartLights, m.charts.lights, m.chartText.lights)}${figure(page.chartOverdue, m.charts.overdue, m.chartText.overdue)}${figure(page.chartPapers, m.charts.papers, m.chartText.papers)}${m.charts.campaigns ? figure(page.chartCampaigns, m.charts.campaigns, m.chartText.campaigns) : `<figure class="chart"><figcaption>${esc(page.chartCampaigns)}</figcaption><p class="muted">${esc(page.noCampaigns)}</p></figure>`}</section>
${filterForm}
<p class="shown">${esc(page.shown({ shown: m.shown, total: m.total, from: m.from, to }))}</p>
${m.rows.length ? `<div class="table-wrap"><table class="units"><thead>${head}</thead><tbody>${m.rows.map((r) => rowHtml(r, m.today)).join('\n')}</tbody></table></div>` : ''}
${pager}
${downloads(f.under, ['summary'])}`;
  return layout(m.title, body, m.viewer);
}

export interface UnitItem {
  no: number;
  content: string;
  owners: string[];
  deadline: LocalDate;
  state: ItemState;
  daysOverdue: number;
  doneOn: LocalDate | null;
  history: string[];
}

export interface UnitModel {
  viewer: Viewer;
  today: LocalDate;
  summary: UnitSummary;
  parent: { id: number; name: string; visible: boolean } | undefined;
  children: number;
  steps: Array<StepView & { owesNames: string[] }>;
  coverage: { percent: number; done: number; required: number } | undefined;
  leave: { approved: number; pending: number; rejected: number } | undefined;
  obligations: Array<{ what: string; due: LocalDate; who: string[] }>;
  items: UnitItem[];
}

export function unitPage(m: UnitModel): string {
  const s = m.summary;
  const kind = s.meeting?.kind;
  const sc = page.stepCol;
  const stepRows = m.steps.map((st) => `<tr class="${st.status === 'overdue' ? 'red' : st.status === 'due_soon' ? 'yellow' : ''}">
<td data-label="${esc(sc.step)}">${esc(stepName(st.rule.id, kind))}</td><td data-label="${esc(sc.due)}">${esc(st.due ?? '—')}</td>
<td data-label="${esc(sc.status)}" class="${st.status === 'overdue' ? 'bad' : st.status === 'done' ? 'ok' : ''}">${esc(page.stepStatus(st.status))}</td>
<td data-label="${esc(sc.doneOn)}">${esc(st.doneOn ?? '')}</td><td data-label="${esc(sc.progress)}">${st.progress ? `${st.progress.done}/${st.progress.total}` : ''}</td>
<td data-label="${esc(sc.owes)}">${esc(st.owesNames.join('、'))}</td></tr>`).join('\n');
  const ic = page.itemCol;
  const itemRows = m.items.map((i) => `<tr class="${i.state === 'overdue' ? 'red' : ''}"><td data-label="${esc(ic.no)}">${i.no}</td><td data-label="${esc(ic.content)}">${esc(i.content)}</td>
<td data-label="${esc(ic.owners)}">${esc(i.owners.join('、'))}</td><td data-label="${esc(ic.deadline)}">${esc(i.deadline)}</td>
<td data-label="${esc(ic.state)}" class="${i.state === 'overdue' ? 'bad' : i.state === 'done' ? 'ok' : ''}">${esc(page.itemState(i.state))}${i.state === 'overdue' ? ` ${esc(page.overdueDays({ days: i.daysOverdue }))}` : ''}</td>
<td data-label="${esc(ic.doneOn)}">${esc(i.doneOn ?? '')}</td><td data-label="${esc(ic.history)}"><ul class="history">${i.history.map((h) => `<li>${esc(h)}</li>`).join('')}</ul></td></tr>`).join('\n');
  const oc = page.obligationCol;
  const obligations = m.obligations.length
    ? `<div class="table-wrap"><table class="obligations"><thead><tr><th>${esc(oc.what)}</th><th>${esc(oc.due)}</th><th>${esc(oc.who)}</th></tr></thead><tbody>${m.obligations.map((o) => `<tr class="${o.due < m.today ? 'red' : ''}"><td data-label="${esc(oc.what)}">${esc(o.what)}</td><td data-label="${esc(oc.due)}">${esc(o.due)}</td><td data-label="${esc(oc.who)}">${esc(o.who.join('、'))}</td></tr>`).join('')}</tbody></table></div>`
    : `<p class="muted">${esc(page.noObligations)}</p>`;
  const title = page.unitTitle({ unit: s.unitName });
  const body = `<h1>${lightDot(s.light)} ${esc(title)}</h1><p class="muted">${esc(page.today(m.today))}　${esc(page.light(s.light))}</p>
${m.parent ? `<p>${esc(page.parentUnit)}：${m.parent.visible ? `<a href="/units/${m.parent.id}">${esc(m.parent.name)}</a>` : esc(m.parent.name)}</p>` : ''}
${m.children ? `<p><a class="button" href="/${qs({ under: s.unitId })}">${esc(page.openChildren({ count: m.children }))}</a></p>` : ''}
<section><h2>${esc(page.meeting)}</h2>${s.meeting && s.phase ? `<p>${esc(page.meetingLine({ kind: s.meeting.kind, date: s.meeting.date, topic: s.meeting.topic, phase: s.phase, heldOn: s.meeting.heldOn }))}</p>` : `<p class="bad">${esc(page.noMeetingYet)}</p>`}
${s.flags.filter((f) => f.flag !== 'no_meeting').map((f) => `<p class="bad">${esc(page.flag(f, m.today))}</p>`).join('')}
${s.papers ? `<ul class="papers">${PAPERS.map((p) => `<li>${esc(page.paper(p, kind))}：${esc(page.paperCell(s.papers![p], m.today))}</li>`).join('')}</ul>` : ''}
${m.coverage ? `<p>${esc(page.coverage(m.coverage))}</p>` : ''}${m.leave ? `<p>${esc(page.leaveLine(m.leave))}</p>` : ''}
<p>${esc(page.failedLine({ n: s.failed }))}　${esc(page.activityLine({ day: s.lastActivity }))}</p></section>
${m.steps.length ? `<section><h2>${esc(page.steps)}</h2><div class="table-wrap"><table class="steps"><thead><tr><th>${esc(sc.step)}</th><th>${esc(sc.due)}</th><th>${esc(sc.status)}</th><th>${esc(sc.doneOn)}</th><th>${esc(sc.progress)}</th><th>${esc(sc.owes)}</th></tr></thead><tbody>${stepRows}</tbody></table></div></section>` : ''}
<section><h2>${esc(page.obligations)}</h2>${obligations}</section>
<section><h2>${esc(page.items)}</h2>${m.items.length ? `<div class="table-wrap"><table class="items"><thead><tr><th>${esc(ic.no)}</th><th>${esc(ic.content)}</th><th>${esc(ic.owners)}</th><th>${esc(ic.deadline)}</th><th>${esc(ic.state)}</th><th>${esc(ic.doneOn)}</th><th>${esc(ic.history)}</th></tr></thead><tbody>${itemRows}</tbody></table></div>` : `<p class="muted">${esc(page.noItems)}</p>`}</section>
${downloads(s.unitId, m.children ? ['summary', 'items', 'talks', 'leave'] : ['items', 'talks', 'leave', 'summary'])}`;
  return layout(title, body, m.viewer);
}
