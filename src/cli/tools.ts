import { parseArgs } from 'node:util';
import { ROLE_WORDS } from '../commands/grammar.js';
import type { Config } from '../config.js';
import { atLocalTime, parseDate, toLocalDate } from '../domain/dates.js';
import type { Logger } from '../log.js';
import { systemClock } from '../clock.js';
import { calendarFromConfig } from '../scheduler/calendar.js';
import { planReminders } from '../scheduler/run-once.js';
import { openDatabase, type Db } from '../store/db.js';
import { findUnitByName, type Unit } from '../store/unit.repository.js';
import { removeWebhook, setWebhook } from '../store/webhook.repository.js';
import { cliText } from '../text/cli.js';
import { previewText } from '../text/reminders.js';
import { importRoster } from './roster.js';
import { parseRosterFile, RosterFileError } from './roster-import.js';

export interface ToolDeps {
  config: Readonly<Config>;
  log: Logger;
  print: (line: string) => void;
  /** Reads a secret typed on stdin (`--key -`). */
  readStdin?: () => Promise<string>;
}

const readAll = async (): Promise<string> => {
  let data = '';
  for await (const chunk of process.stdin) data += String(chunk);
  return data.trim();
};

/** Operator subcommands: remind --preview, roster import, webhook set/remove, export. */
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
    default:
      deps.print(cliText.unknownCommand({ typed: sub }));
      return 2;
  }
}

async function remindPreview(args: string[], deps: ToolDeps): Promise<number> {
  const { values } = parseArgs({ args, options: { preview: { type: 'boolean' }, date: { type: 'string' } }, strict: false });
  if (!values.preview) {
    deps.print(cliText.remindUsage());
    return 2;
  }
  const today = toLocalDate(systemClock.now());
  const parsed = typeof values.date === 'string' ? parseDate(values.date, today) : { ok: true as const, date: today };
  if (!parsed.ok) {
    deps.print(cliText.badDate({ typed: String(values.date) }));
    return 2;
  }
  const db = await openDatabase(deps.config.DATABASE_URL);
  try {
    const calendar = calendarFromConfig(deps.config);
    const plan = await planReminders({ db, config: deps.config, calendar }, atLocalTime(parsed.date, 23, 59), { ignoreLog: true, days: [parsed.date] });
    if (plan.messages.length === 0) {
      deps.print(previewText.none({ date: parsed.date }));
      return 0;
    }
    plan.messages.forEach((m) => {
      const chat = m.target.kind === 'chat' ? (m.target.title ?? m.target.chatId) : m.target.name;
      deps.print(previewText.chat({ channel: m.target.channel, chat, at: parsed.date }));
      deps.print(m.compose(m.reminders.map((_, i) => i + 1)).text);
    });
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

