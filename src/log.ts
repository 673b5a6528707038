import { pino, type Logger } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line. */
export const SECRET_PATHS = [
  'secret', '*.secret', 'token', '*.token', 'key', '*.key', 'clientSecret', '*.clientSecret',
  'accessToken', '*.accessToken', 'access_token', '*.access_token', 'webhook', '*.webhook',
  'sessionWebhook', '*.sessionWebhook', 'url', '*.url', 'config', 'headers', '*.headers',
];

/** Removes credentials from a URL or message before it is logged. */
export function redact(text: string): string {
  return text
    .replace(/([?&](?:key|access_token|sign|ticket|session|secret)=)[^&\s"']+/gi, '$1***')
    .replace(/(x-acs-dingtalk-access-token["':\s]+)[^"'\s,}]+/gi, '$1***');
}

export function createLogger(level: string, file?: string): Logger {
  const options = { level, redact: { paths: SECRET_PATHS, censor: '***' }, base: undefined };
  if (file) return pino(options, pino.destination({ dest: file, mkdir: true, sync: false }));
  return pino(options, pino.destination(2));
}

export const silentLogger: Logger = pino({ level: 'silent' });
