import { formatDate, type LocalDate } from '../domain/dates.js';
import { ITEM_KIND_LABEL, KIND_LABEL, ROLE_LABEL, TALK_MODE_LABEL, stepLabel } from '../commands/grammar.js';
import type { ItemKind, MeetingKind, Role, StepId, TalkMode } from '../domain/types.js';

/** Small formatting helpers shared by the templates. */
export const d = (date: LocalDate, today?: LocalDate): string => formatDate(date, today);
export const kindLabel = (k: MeetingKind): string => KIND_LABEL[k];
export const roleLabel = (r: Role): string => ROLE_LABEL[r];
export const rolesLabel = (rs: readonly Role[]): string => rs.map((r) => ROLE_LABEL[r]).join('、');
export const modeLabel = (m: TalkMode): string => TALK_MODE_LABEL[m];
export const itemKindLabel = (k: ItemKind): string => ITEM_KIND_LABEL[k];
export const step = (s: StepId, k?: MeetingKind): string => stepLabel(s, k);
export const names = (list: readonly string[], max = 8): string =>
  list.length <= max ? list.join('、') : `${list.slice(0, max).join('、')} 等${list.length}人`;
export const at = (list: readonly string[]): string => list.map((n) => `@${n}`).join(' ');
export const lines = (...parts: Array<string | false | undefined | null>): string => parts.filter((p): p is string => typeof p === 'string' && p !== '').join('\n');
