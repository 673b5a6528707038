import { help } from './help.js';
import { messages } from './messages.js';
import { appraisal } from './appraisal.js';
import { supervision } from './supervision.js';
import { reminderCommands } from './reminders.js';
import { cardReplies } from './cards.js';

/**
 * Every user-facing sentence, keyed and typed: a wrong key or parameter fails to compile.
 * @example textOf('rectify.noSuchItem', { no: 3 }) // '没有第3号整改事项。发送 /整改 列表 查看编号。'
 */
const catalogue = { ...messages, ...help, ...supervision, ...reminderCommands, ...appraisal, ...cardReplies };

export type Catalogue = typeof catalogue;
export type TextKey = keyof Catalogue;
export type TextParams<K extends TextKey> = Parameters<Catalogue[K]>[0];

export function textOf<K extends TextKey>(key: K, params: TextParams<K>): string {
  return (catalogue[key] as (p: unknown) => string)(params);
}

export function isTextKey(key: string): key is TextKey {
  return Object.prototype.hasOwnProperty.call(catalogue, key);
}
