import { parseArgs } from 'node:util';
import { ROLE_WORDS } from '../commands/grammar.js';
import type { Config } from '../config.js';
import { addDays, atLocalTime, parseDate, toLocalDate, type LocalDate } from '../domain/dates.js';
import type { Logger } from '../log.js';
import { systemClock, type Clock } from '../clock.js';
import { calendarFromConfig } from '../scheduler/calendar.js';
import { appraisalReminders } from '../scheduler/appraisal-job.js';
import { slices } from '../store/obligation.repository.js';
import { campaignChases } from '../scheduler/campaign-job.js';
import { digestMessages, digestsWritten, isDigestDate } from '../scheduler/digest-job.js';
import { planReminders } from '../scheduler/run-once.js';
import type { Q } from '../store/helpers.js';
import { openDatabase, type Db } from '../store/db.js';
import { findUnitByName, type Unit } from '../store/unit.repository.js';
import { removeWebhook, setWebhook } from '../store/webhook.repository.js';
import { cliText } from '../text/cli.js';
import { previewText } from '../text/reminders.js';
import { dashboardCli } from '../text/dashboard.js';
import { textOf } from '../text/index.js';
import { audit } from '../store/audit.repository.js';
import { dashboardRoles } from '../store/dashboard.repository.js';
import { issueLink } from '../web/links.js';
import { importRoster } from './roster.js';
import { parseRosterFile, RosterFileError } from './roster-import.js';

export interface ToolDeps {
  config: Readonly<Config>;
  log: Logger;
  print: (line: string) => void;
  /** Reads a secret typed on stdin (`--key -`). */
  readStdin?: () => Promise<string>;
  /** Today, for the preview (the system clock unless a test sets one). */
  clock?: Clock;
}

const readAll = async (): Promise<string> => {
  let data = '';
  for await (const chunk of process.stdin) data += String(chunk);
  return data.trim();
};

/** Operator subcommands: remind --preview, roster import, webhook set/remove, export, db migrate-from. */
export async function runTool(sub: string, args: string[], deps: ToolDeps): Promise<number> {
  switch (sub) {
    case 'remind':
      return remindPreview(args, deps);
    case 'roster':
      return roster(args, deps);
    case 'webhook':
      return webhook(args, deps);
    case 'export':
      return (await import('./export.js')).runExport(args, deps);
    case 'dashboard':
      return dashboardLinkTool(args, deps);
    case 'db':
      return (await import('./migrate-from.js')).runDb(args, deps);
    default:
      deps.print(cliText.unknownCommand({ typed: sub }));
      return 2;
  }
}

/** The days from `first` to `last`, both included. */
function daysFrom(first: LocalDate, last: LocalDate): LocalDate[] {
  const days: LocalDate[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) days.push(d);
  return days;
}

/** The reminders the bot has already sent (logged) on `date`, and in how many messages. */
async function loggedOn(db: Q, date: LocalDate): Promise<{ reminders: number; messages: number }> {
  const rows = await db.selectFrom('reminder_log').select('outbox_id').where('remind_on', '=', date).execute();
  return { reminders: rows.length, messages: new Set(rows.map((r) => r.outbox_id)).size };
}

/**
 * `remind --preview [--date D]`: what the bot will still send on D, per chat — the reminders of that
 * day, the escalations to supervisors that are due then, and the weekly digest when D is its day —
 * planned by the scheduler's own code, and written nowhere. What the bot has sent already is left out
 * with a line saying how much: reminders of D logged by a run earlier that day, an escalation sent on
 * an earlier day (once per deadline), or — for a later D — one the bot will send before D.
 */
async function remindPreview(args: string[], deps: ToolDeps): Promise<number> {
  const { values } = parseArgs({ args, options: { preview: { type: 'boolean' }, date: { type: 'string' } }, strict: false });
  if (!values.preview) {
    deps.print(cliText.remindUsage());
    return 2;
  }
  const today = toLocalDate((deps.clock ?? systemClock).now());
  const parsed = typeof values.date === 'string' ? parseDate(values.date, today) : { ok: true as const, date: today };
  if (!parsed.ok) {
    deps.print(cliText.badDate({ typed: String(values.date) }));
    return 2;
  }
  const date = parsed.date;
  const db = await openDatabase(deps.config.DATABASE_URL);
  try {
    const scheduler = { db, config: deps.config, calendar: calendarFromConfig(deps.config) };
    // An escalation goes out once per deadline: one the bot sends between today and the day before D is not D's.
    const earlier = date > today
      ? await planReminders(scheduler, atLocalTime(addDays(date, -1), 23, 59), { days: daysFrom(today, addDays(date, -1)) })
      : undefined;
    const alsoSent = new Set(earlier?.reminders.filter((r) => r.kind === 'supervisor').map((r) => r.key));
    const plan = await planReminders(scheduler, atLocalTime(date, 23, 59), { days: [date], alsoSent });
    const digestDay = isDigestDate(date, deps.config, scheduler.calendar);
    const digestSent = digestDay && (await digestsWritten(db, date));
    const digests = digestDay && !digestSent ? await digestMessages(db, date) : [];
    // The hourly jobs' messages of that day (a campaign's chasing, an appraisal's reminders), less those in the outbox already.
    const end = atLocalTime(date, 23, 59);
    const jobs = [...(await campaignChases(db, deps.config, scheduler.calendar, end)), ...(await appraisalReminders(db, deps.config, scheduler.calendar, end))];
    const written = new Set<string>();
    for (const keys of slices(jobs.map((j) => j.messageKey))) {
      for (const r of await db.selectFrom('outbox').select('message_key').where('message_key', 'in', keys).execute()) written.add(r.message_key);
    }
    const others = jobs.filter((j) => !written.has(j.messageKey));
    const sent = await loggedOn(db, date);

    if (sent.reminders > 0) deps.print(cliText.previewSent({ date, ...sent }));
    if (digestSent) deps.print(cliText.previewDigestSent({ date }));
    if (written.size) deps.print(cliText.previewOthersSent({ date, count: written.size }));
    const chatOf = (t: (typeof plan.messages)[number]['target']) => (t.kind === 'chat' ? (t.title ?? t.chatId) : t.name);
    for (const m of plan.messages) {
      deps.print(previewText.chat({ channel: m.target.channel, chat: chatOf(m.target), at: date }));
      deps.print(m.compose(m.reminders.map((_, i) => i + 1)).text);
    }
    for (const m of digests) {
      deps.print(previewText.chat({ channel: m.target.channel, chat: chatOf(m.target), at: date }));
      deps.print(m.text);
    }
    for (const m of others) {
      deps.print(previewText.chat({ channel: m.target.channel, chat: chatOf(m.target), at: date }));
      deps.print(m.message.text);
    }
    if (plan.messages.length === 0 && digests.length === 0 && others.length === 0) {
      deps.print(sent.reminders > 0 || digestSent || written.size ? cliText.previewNothingMore({ date }) : previewText.none({ date }));
    }
    return 0;
  } finally {
    await db.destroy();
  }
}

async function roster(args: string[], deps: ToolDeps): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { unit: { type: 'string' }, platform: { type: 'string' }, role: { type: 'string' } }, allowPositionals: true, strict: false });
  const [action, file] = positionals;
  const platform = typeof values.platform === 'string' ? values.platform : 'wecom';
  const fallback = ROLE_WORDS[typeof values.role === 'string' ? values.role : '党员'];
  if (action !== 'import' || !file || typeof values.unit !== 'string' || !['wecom', 'dingtalk'].includes(platform) || !fallback) {
    deps.print(cliText.rosterUsage());
    return 2;
  }
  let rows;
  try {
    rows = await parseRosterFile(file);
  } catch (err) {
    deps.print(err instanceof RosterFileError ? err.message : cliText.fileUnreadable({ file }));
    return 1;
  }
  return withUnit(deps, values.unit, async (db, unit) => {
    const at = systemClock.now().toISOString();
    const result = await db.transaction().execute((trx) => importRoster(trx, unit, rows, platform, fallback, at));
    deps.print(cliText.rosterImported({ unit: unit.name, added: result.added.length, linked: result.linked.length }));
    for (const s of result.skipped) deps.print(cliText.rosterSkipped({ name: s.name, reason: s.reason }));
    return 0;
  });
}

/** Opens the store, finds the named unit (or says how to create it), runs `fn`, closes the store. */
async function withUnit(deps: ToolDeps, name: string, fn: (db: Db, unit: Unit) => Promise<number>): Promise<number> {
  const db = await openDatabase(deps.config.DATABASE_URL);
  try {
    const unit = await findUnitByName(db, name);
    if (!unit) {
      deps.print(cliText.unknownUnit({ name }));
      return 1;
    }
    return await fn(db, unit);
  } finally {
    await db.destroy();
  }
}

async function webhook(args: string[], deps: ToolDeps): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { unit: { type: 'string' }, channel: { type: 'string' }, key: { type: 'string' }, secret: { type: 'string' } }, allowPositionals: true, strict: false });
  const [action] = positionals;
  const platform = values.channel;
  if ((action !== 'set' && action !== 'remove') || typeof values.unit !== 'string' || (platform !== 'wecom' && platform !== 'dingtalk')) {
    deps.print(cliText.webhookUsage());
    return 2;
  }
  const channel = `${platform}-webhook`;
  return withUnit(deps, values.unit, async (db, unit) => {
    if (action === 'remove') {
      await removeWebhook(db, unit.id, channel);
      deps.print(cliText.webhookRemoved({ unit: unit.name, platform }));
      return 0;
    }
    let key = typeof values.key === 'string' ? values.key : '';
    if (key === '-') key = await (deps.readStdin ?? readAll)();
    const secret = typeof values.secret === 'string' ? values.secret.trim() : '';
    if (!key || (secret && !secret.startsWith('SEC'))) {
      deps.print(cliText.webhookUsage());
      return 2;
    }
    await setWebhook(db, unit.id, channel, key.trim(), secret || null, systemClock.now().toISOString());
    deps.print(cliText.webhookSaved({ unit: unit.name, platform, signed: Boolean(secret) }));
    return 0;
  });
}


/**
 * `shenghuohui dashboard link --person <姓名>`: a sign-in link for that person, printed here (for the
 * operator at the server; in the chats the person asks with /看板 and gets it privately).
 */
async function dashboardLinkTool(args: string[], deps: ToolDeps): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { person: { type: 'string' } }, allowPositionals: true, strict: false });
  const name = typeof values.person === 'string' ? values.person.trim() : '';
  if (positionals[0] !== 'link' || positionals.length > 1 || !name) {
    deps.print(dashboardCli.usage());
    return 2;
  }
  const base = deps.config.DASHBOARD_URL ?? (deps.config.DASHBOARD_PORT ? `http://127.0.0.1:${deps.config.DASHBOARD_PORT}` : undefined);
  if (!base) {
    deps.print(textOf('dashboard.off', {}));
    return 2;
  }
  const db = await openDatabase(deps.config.DATABASE_URL);
  try {
    const people = await db.selectFrom('person').select('id').where('name', '=', name).execute();
    if (people.length === 0) {
      deps.print(dashboardCli.unknownPerson({ name }));
      return 1;
    }
    const withRoles = [];
    for (const p of people) if ((await dashboardRoles(db, p.id)).length > 0) withRoles.push(p);
    if (withRoles.length === 0) {
      deps.print(dashboardCli.noScope({ name }));
      return 1;
    }
    if (withRoles.length > 1) {
      deps.print(dashboardCli.ambiguousPerson({ name, count: withRoles.length }));
      return 1;
    }
    const now = (deps.clock ?? systemClock).now();
    const url = await issueLink(db, withRoles[0]!.id, now, { base, linkMinutes: deps.config.DASHBOARD_LINK_MINUTES });
    await audit(db, now.toISOString(), { actorId: null, unitId: null, chat: 'cli', action: 'dashboard.link', entity: 'person', entityId: withRoles[0]!.id });
    deps.print(dashboardCli.link({ name, url, minutes: deps.config.DASHBOARD_LINK_MINUTES }));
    return 0;
  } finally {
    await db.destroy();
  }
}
