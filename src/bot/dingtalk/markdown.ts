import type { MentionRef, OutgoingMessage } from '../../messages.js';
import { dingtalk } from '../../text/dingtalk.js';

/**
 * Renders our plain structured text (first line = title, then lines, `@name` inline) as DingTalk
 * markdown, split at line boundaries so that each part fits both send paths:
 * - session/custom-robot webhook markdown: `text` of at most `maxTextChars` characters;
 * - OpenAPI `sampleMarkdown`: `msgParam` (a JSON string) of at most `maxParamBytes` bytes
 *   (https://open.dingtalk.com/document/orgapp/the-robot-sends-a-group-message).
 * Both limits are kept well under the documented ones.
 */
export interface MarkdownLimits {
  maxTextChars: number;
  maxParamBytes: number;
}

export const dingTalkLimits: MarkdownLimits = { maxTextChars: 4000, maxParamBytes: 15000 };

/**
 * How people are named in the text.
 * - 'at': webhooks. `@name` becomes `@userId` (or `@mobile`) and the id goes into `at`; DingTalk
 *   renders an @ only when the id is both in `at` and in the text.
 * - 'name': the OpenAPI, which has no `at` for robot messages: `@name` stays readable.
 */
export type MentionStyle = 'at' | 'name';

/** One message's worth of lines; the same chunk renders in either style. */
export interface MarkdownChunk {
  title: string;
  lines: string[];
}

export interface MarkdownPart {
  title: string;
  text: string;
  atUserIds: string[];
  atMobiles: string[];
}

/** Longest piece of a single over-long line; keeps every piece far below both limits. */
const maxLineChars = 1000;

/**
 * Splits a message into chunks that each fit the limits in both styles.
 * @example chunkMessage({ text: 'Progress\n1. door lock done', mentions: [] }, 'bot').length // 1
 */
export function chunkMessage(
  message: OutgoingMessage,
  fallbackTitle: string,
  limits: MarkdownLimits = dingTalkLimits,
): MarkdownChunk[] {
  const [first = '', ...rest] = message.text.split(/\r?\n/);
  const title = first.trim() || fallbackTitle;
  const lines = rest.map((l) => l.trim()).filter(Boolean);
  const unmentioned = message.mentions.filter((m) => !lines.some((l) => l.includes(`@${m.name}`)) && !first.includes(`@${m.name}`));
  if (unmentioned.length) lines.push(unmentioned.map((m) => `@${m.name}`).join(' '));
  const pieces = lines.flatMap(splitLongLine);

  // Reserve room for the widest part title, as in "title (99/99)".
  const probeTitle = dingtalk['dingtalk.partTitle']({ title, part: 99, total: 99 });
  const fits = (chunkLines: string[]) =>
    (['at', 'name'] as const).every((style) => {
      const part = renderChunk({ title: probeTitle, lines: chunkLines }, message.mentions, style);
      return part.text.length <= limits.maxTextChars && paramBytes(part) <= limits.maxParamBytes;
    });

  const groups: string[][] = [];
  let current: string[] = [];
  for (const line of pieces) {
    if (current.length && !fits([...current, line])) {
      groups.push(current);
      current = [];
    }
    current.push(line);
  }
  groups.push(current);
  if (groups.length === 1) return [{ title, lines: groups[0] ?? [] }];
  return groups.map((g, i) => ({
    title: dingtalk['dingtalk.partTitle']({ title, part: i + 1, total: groups.length }),
    lines: g,
  }));
}

/**
 * One chunk as DingTalk markdown: the title as a heading, then one paragraph per line.
 * @example renderChunk({ title: 'Reminder', lines: ['@Zhang please hand in'] }, [{ personId: 1, name: 'Zhang', userId: 'u1' }], 'at')
 *   // { title: 'Reminder', text: '#### Reminder\n\n@u1 please hand in', atUserIds: ['u1'], atMobiles: [] }
 */
export function renderChunk(chunk: MarkdownChunk, mentions: readonly MentionRef[], style: MentionStyle): MarkdownPart {
  const atUserIds = new Set<string>();
  const atMobiles = new Set<string>();
  const byName = new Map(mentions.map((m) => [m.name, m] as const));
  // Longest names first, so that @Zhang Sanfeng is not read as @Zhang San + 'feng'.
  const names = [...byName.keys()].filter(Boolean).sort((a, b) => b.length - a.length);
  const pattern = names.length ? new RegExp(`@(${names.map(escapeRegExp).join('|')})`, 'g') : undefined;

  const renderLine = (line: string) => {
    if (style === 'name' || !pattern) return line;
    return line.replace(pattern, (whole, name: string) => {
      const ref = byName.get(name);
      if (ref?.userId) {
        atUserIds.add(ref.userId);
        return `@${ref.userId}`;
      }
      if (ref?.mobile) {
        atMobiles.add(ref.mobile);
        return `@${ref.mobile}`;
      }
      return whole;
    });
  };

  const body = chunk.lines.map(renderLine);
  const heading = renderLine(chunk.title);
  const text = body.length ? [`#### ${heading}`, ...body].join('\n\n') : heading;
  return { title: chunk.title, text, atUserIds: [...atUserIds], atMobiles: [...atMobiles] };
}

/** Size of the OpenAPI `msgParam` for this part, in UTF-8 bytes. */
export function paramBytes(part: Pick<MarkdownPart, 'title' | 'text'>): number {
  return Buffer.byteLength(JSON.stringify({ title: part.title, text: part.text }), 'utf8');
}

function splitLongLine(line: string): string[] {
  const chars = Array.from(line); // code points: never cut a character in half
  if (chars.length <= maxLineChars) return [line];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += maxLineChars) out.push(chars.slice(i, i + maxLineChars).join(''));
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
