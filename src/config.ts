import os from 'node:os';
import { z } from 'zod';
import { configText, DEFAULT_BOT_NAME } from './text/config.js';

// Validation messages in Chinese: the operators who read them are not programmers.
z.config(z.locales.zhCN());

/**
 * Configuration, read once at start-up from the environment (and `.env`), checked with zod.
 * Every variable here is documented in `.env.example` and the README's configuration table.
 * @example const config = loadConfig({ DATABASE_URL: ':memory:' });
 */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const hour = z.coerce.number().int().min(0).max(23);

/** This process among the bot's instances on one database: the host and the process id. */
export const defaultInstanceId = (): string => `${os.hostname()}:${process.pid}`;

export const configSchema = z.object({
  DATABASE_URL: z.string().trim().min(1).default('./data/shenghuohui.db'),
  /** Connections in the PostgreSQL pool of this bot instance (ignored for SQLite). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FILE: optionalText,
  ADMIN_USERS: z
    .string()
    .default('')
    .transform((v) => v.split(/[,，\s]+/).map((s) => s.trim()).filter(Boolean)),
  BOT_NAME: z.string().trim().min(1).default(DEFAULT_BOT_NAME),
  REMIND_HOUR: hour.default(9),
  REMIND_DAYS_BEFORE: z.coerce.number().int().min(0).max(30).default(3),
  ESCALATE_PRINCIPAL_DAYS: z.coerce.number().int().min(1).max(60).default(3),
  ESCALATE_SUPERVISOR_DAYS: z.coerce.number().int().min(1).max(120).default(10),
  HOLIDAYS_FILE: optionalText,
  /** 1 = Monday … 7 = Sunday; 0 = no weekly digest. */
  DIGEST_WEEKDAY: z.coerce.number().int().min(0).max(7).default(1),
  DIGEST_HOUR: hour.default(9),
  // Several instances on one database: who claims an outbox row, and for how long (README: Running several instances).
  INSTANCE_ID: optionalText.pipe(z.string().max(191).optional()).transform((v) => v ?? defaultInstanceId()),
  /** At least a delivery pass's budget plus one send's timeout (20 s + 30 s, src/scheduler/outbox.ts). */
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(60).max(3600).default(120),
  // WeCom 智能机器人 long connection
  WECOM_BOT_ID: optionalText,
  WECOM_BOT_SECRET: optionalText,
  WECOM_WS_URL: optionalText,
  // WeCom 群机器人 webhook
  WECOM_API_BASE: z.string().trim().url().default('https://qyapi.weixin.qq.com'),
  WECOM_WEBHOOK_KEYS: optionalText,
  // DingTalk stream robot
  DINGTALK_CLIENT_ID: optionalText,
  DINGTALK_CLIENT_SECRET: optionalText,
  DINGTALK_ROBOT_CODE: optionalText,
  // 互动卡片: the id of a card template built in DingTalk's card platform (see README); empty = text only.
  DINGTALK_CARD_TEMPLATE_ID: optionalText,
  DINGTALK_API_BASE: z.string().trim().url().default('https://api.dingtalk.com'),
  DINGTALK_OAPI_BASE: z.string().trim().url().default('https://oapi.dingtalk.com'),
  DINGTALK_WEBHOOKS: optionalText,
  // Web dashboard (/看板): off unless a port is set; 0 = any free port.
  DASHBOARD_PORT: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
  DASHBOARD_HOST: z.string().trim().min(1).default('127.0.0.1'),
  DASHBOARD_URL: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().url().transform((v) => v.replace(/\/+$/, '')).optional()),
  DASHBOARD_LINK_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
  DASHBOARD_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  // Health and metrics HTTP server (/healthz, /metrics); off when HEALTH_PORT is empty.
  HEALTH_PORT: optionalText.pipe(z.coerce.number<string | undefined>().int().min(0).max(65535).optional()),
  HEALTH_HOST: z.string().trim().min(1).default('127.0.0.1'),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(configText.header(problems));
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => configText.issue({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  const config = parsed.data;
  const problems: string[] = [];
  if (Boolean(config.WECOM_BOT_ID) !== Boolean(config.WECOM_BOT_SECRET)) {
    problems.push(configText.pair({ a: 'WECOM_BOT_ID', b: 'WECOM_BOT_SECRET' }));
  }
  if (Boolean(config.DINGTALK_CLIENT_ID) !== Boolean(config.DINGTALK_CLIENT_SECRET)) {
    problems.push(configText.pair({ a: 'DINGTALK_CLIENT_ID', b: 'DINGTALK_CLIENT_SECRET' }));
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** True when no platform credentials are set: `npm start` then opens the terminal chat. */
export function isConsoleOnly(config: Config): boolean {
  return !config.WECOM_BOT_ID && !config.DINGTALK_CLIENT_ID && !config.WECOM_WEBHOOK_KEYS && !config.DINGTALK_WEBHOOKS;
}
