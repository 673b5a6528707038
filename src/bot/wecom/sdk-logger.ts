import { format } from 'node:util';
import { redact, type Logger } from '../../log.js';

/** The logger shape the WeCom SDK expects (`dist/types/common.d.ts`). */
export interface SdkLogger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

/**
 * Routes the SDK's console-style logs into pino, one level quieter (the SDK logs every frame body
 * at debug, which may carry private text such as a leave reason; its errors are repeated by the
 * adapter with what to do about them), and redacted.
 * @example new WSClient({ botId, secret, logger: sdkLogger(log) })
 */
export function sdkLogger(log: Logger): SdkLogger {
  const child = log.child({ component: 'wecom-sdk' });
  const text = (message: string, args: unknown[]) => redact(format(message, ...args));
  return {
    debug: (message, ...args) => child.trace(text(message, args)),
    info: (message, ...args) => child.debug(text(message, args)),
    warn: (message, ...args) => child.warn(text(message, args)),
    error: (message, ...args) => child.warn(text(message, args)),
  };
}
