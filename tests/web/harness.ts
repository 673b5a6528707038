import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import type { Delivery } from '../../src/messages.js';
import { createDashboard, LOGIN_COOKIE, SESSION_COOKIE, type Dashboard } from '../../src/web/server.js';

/**
 * Drives the dashboard through fastify's `inject` (no socket): a link the bot sent in a chat,
 * the sign-in form, and pages with the session cookie, as a browser would.
 */
export const BASE = 'http://dash.test';

export function dashboardOf(app: App): Dashboard {
  app.dashboard.base = BASE;
  return createDashboard(app);
}

/** The sign-in token in the one private message of these deliveries (and no link anywhere else). */
export function tokenIn(deliveries: readonly Delivery[], person: string): string {
  const privateTexts = deliveries.filter((d) => d.target.kind === 'person' && d.target.name === person).map((d) => d.message.text);
  const groupTexts = deliveries.filter((d) => d.target.kind === 'chat').map((d) => d.message.text);
  for (const t of groupTexts) expect(t).not.toContain('/login?t=');
  expect(privateTexts).toHaveLength(1);
  const m = /\/login\?t=([A-Za-z0-9_-]+)/.exec(privateTexts[0]!);
  expect(m, privateTexts[0]).not.toBeNull();
  return m![1]!;
}

export interface Browser {
  cookies: Map<string, string>;
  get(url: string): Promise<{ status: number; body: string; headers: Record<string, unknown>; raw: Buffer }>;
  post(url: string, form: Record<string, string>, headers?: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, unknown> }>;
  /** Opens the link and presses its button; returns the final response of the POST. */
  signIn(token: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }>;
  /** The sign-out form's token on a page. */
  csrfOn(html: string): string;
}

/** A cookie jar over `inject`. */
export function browser(d: Dashboard): Browser {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (setCookie: unknown) => {
    const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
    for (const c of list as string[]) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      if (/Expires=Thu, 01 Jan 1970/i.test(c) || v === '') cookies.delete(k!);
      else cookies.set(k!, v!);
    }
  };
  const b: Browser = {
    cookies,
    async get(url) {
      const r = await d.server.inject({ method: 'GET', url, headers: cookies.size ? { cookie: cookieHeader() } : {} });
      keep(r.headers['set-cookie']);
      return { status: r.statusCode, body: r.body, headers: r.headers, raw: r.rawPayload };
    },
    async post(url, form, headers = {}) {
      const r = await d.server.inject({
        method: 'POST', url, payload: new URLSearchParams(form).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookies.size ? { cookie: cookieHeader() } : {}), ...headers },
      });
      keep(r.headers['set-cookie']);
      return { status: r.statusCode, body: r.body, headers: r.headers };
    },
    async signIn(token) {
      const open = await b.get(`/login?t=${token}`);
      if (open.status !== 200) return open;
      const f = /name="f" value="([^"]+)"/.exec(open.body)?.[1] ?? '';
      return b.post('/login', { t: token, f });
    },
    csrfOn(html) {
      return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    },
  };
  return b;
}

export { LOGIN_COOKIE, SESSION_COOKIE };

/** The unit names of the overview's table, in order. */
export function rowNames(html: string): string[] {
  const body = html.split('<tbody>')[1]?.split('</tbody>')[0] ?? '';
  return [...body.matchAll(/<a href="\/units\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

/** A CSV download (its BOM checked) as rows of cells. */
export function csvRows(raw: Buffer): string[][] {
  expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(raw.subarray(3).toString('utf8'), { relaxColumnCount: false }) as string[][];
}

/** What a response shows a reader: the page, or every cell of an XLSX download. */
export async function shownText(r: { body: string; raw: Buffer }, url: string): Promise<string> {
  if (!url.includes('.xlsx')) return r.body;
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(r.raw as unknown as ArrayBuffer);
  const cells: string[] = [];
  book.eachSheet((sheet) => sheet.eachRow((row) => cells.push(JSON.stringify(row.values))));
  return cells.join('\n');
}

const EXPORTS = ['items', 'talks', 'leave', 'summary'].flatMap((k) => ['csv', 'xlsx'].map((f) => `/export/${k}.${f}`));
/** Every route that shows a unit, for that unit: its page, its part of the tree, every download. */
export const unitRoutes = (id: number): string[] => [`/units/${id}`, `/?under=${id}`, ...EXPORTS.map((e) => `${e}?unit=${id}`)];

/** What the browser is shown at each of the URLs it may open (pages, and every cell of downloads). */
export async function everythingShown(b: Browser, urls: readonly string[]): Promise<Array<{ url: string; text: string }>> {
  const out: Array<{ url: string; text: string }> = [];
  for (const url of urls) {
    const r = await b.get(url);
    if (r.status === 200) out.push({ url, text: await shownText(r, url) });
  }
  return out;
}
