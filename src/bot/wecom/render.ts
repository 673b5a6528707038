import type { MentionRef, OutgoingMessage } from '../../messages.js';
import { wecom } from '../../text/wecom.js';

/**
 * WeCom markdown content limit in UTF-8 bytes. Documented for the 群机器人 webhook (40058
 * "markdown.content exceed max length 4096"); the long connection's `aibot_send_msg` markdown limit
 * is not published, so the same limit is used there.
 */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

/**
 * Budget for one passive `stream` reply. The SDK documents 20480 bytes for `stream.content`
 * (`dist/types/api.d.ts`); we keep headroom because the limit is not confirmed by a public error code.
 */
export const WECOM_STREAM_MAX_BYTES = 16384;

export interface RenderOptions {
  /** Maximum UTF-8 bytes per rendered message. */
  maxBytes: number;
}

/**
 * Renders our plain structured text as WeCom markdown, split into messages that each fit `maxBytes`.
 * The first line becomes bold; `@姓名` becomes `<@userid>` for mentions whose userId is known
 * (longest name first, so 张三丰 is not read as 张三); mentions with a userId that the text does not
 * name inline are appended on a last line so they are still notified; plain `<` `>` become ＜＞ so
 * WeCom does not take them for markup. Long messages are split at
 * line boundaries; later parts repeat the title as “标题（续）”. An empty text renders to no part.
 *
 * @example
 * renderWecomMarkdown({ text: '提醒\n@张三 交提纲', mentions: [{ personId: 1, name: '张三', userId: 'zhangsan' }] },
 *   { maxBytes: 4096 }) // → ['**提醒**\n<@zhangsan> 交提纲']
 */
export function renderWecomMarkdown(message: OutgoingMessage, options: RenderOptions): string[] {
  const lines = escapeAngles(message.text).replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 1 && lines[lines.length - 1]?.trim() === '') lines.pop();
  const title = (lines[0] ?? '').trim();
  const withUserId = message.mentions.filter((m): m is MentionRef & { userId: string } => Boolean(m.userId));
  const replace = mentionReplacer(withUserId);

  const bodyLines = lines.slice(1).map(replace.apply);
  const titleLine = title ? `**${replace.apply(title)}**` : '';
  const unmentioned = withUserId.filter((m) => !replace.used.has(m.userId));
  const uniqueUnmentioned = [...new Set(unmentioned.map((m) => m.userId))];
  if (uniqueUnmentioned.length) bodyLines.push(uniqueUnmentioned.map((id) => `<@${id}>`).join(' '));

  const continuedHeader = `**${wecom['wecom.continued']({ title })}**`;
  return packLines(titleLine ? [titleLine, ...bodyLines] : bodyLines, continuedHeader, options.maxBytes);
}

/** UTF-8 byte length, the unit WeCom counts in. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function mentionReplacer(mentions: Array<MentionRef & { userId: string }>) {
  const used = new Set<string>();
  const byName = new Map<string, string>();
  for (const m of mentions) if (m.name && !byName.has(m.name)) byName.set(m.name, m.userId);
  const names = [...byName.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = names.length ? new RegExp(`@(${names.join('|')})`, 'g') : undefined;
  return {
    used,
    apply(line: string): string {
      if (!pattern) return line;
      return line.replace(pattern, (_all, name: string) => {
        const userId = byName.get(name) as string;
        used.add(userId);
        return `<@${userId}>`;
      });
    },
  };
}

/** Greedy packing of lines into parts of at most maxBytes; overlong lines are cut, never inside a <@id>. */
function packLines(lines: string[], continuedHeader: string, maxBytes: number): string[] {
  const headerBytes = utf8Bytes(continuedHeader);
  // A continuation header is only worth it when it leaves most of the part for content.
  const useHeader = (headerBytes + 1) * 4 < maxBytes;
  const room = useHeader ? maxBytes - headerBytes - 1 : maxBytes;
  const parts: string[] = [];
  let current: string[] = [];
  let bytes = 0;
  const withHeader = () => useHeader && parts.length > 0;
  const sizeWith = (pieceBytes: number) =>
    (withHeader() ? headerBytes + 1 : 0) + bytes + (current.length ? 1 : 0) + pieceBytes;
  const flush = () => {
    while (current.length && current[current.length - 1]?.trim() === '') current.pop();
    if (current.length) parts.push((withHeader() ? [continuedHeader, ...current] : current).join('\n'));
    current = [];
    bytes = 0;
  };
  for (const line of lines) {
    for (const piece of utf8Bytes(line) <= room ? [line] : cutLine(line, room)) {
      const pieceBytes = utf8Bytes(piece);
      if (current.length && sizeWith(pieceBytes) > maxBytes) flush();
      if (!current.length && piece.trim() === '') continue; // no blank line at the start of a part
      bytes += (current.length ? 1 : 0) + pieceBytes;
      current.push(piece);
    }
  }
  flush();
  return parts;
}

/** Cuts one line into pieces of at most maxBytes, at code point boundaries and never inside <@id>. */
function cutLine(line: string, maxBytes: number): string[] {
  const tokens = line.match(/<@[^>\s]+>|[\s\S]/gu) ?? [];
  const pieces: string[] = [];
  let piece = '';
  let bytes = 0;
  for (const token of tokens) {
    const tokenBytes = utf8Bytes(token);
    if (bytes + tokenBytes > maxBytes && piece) {
      pieces.push(piece);
      piece = '';
      bytes = 0;
    }
    piece += token;
    bytes += tokenBytes;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/**
 * WeCom markdown reads `<…>` as markup (`<font>`, `<@userid>`), so a usage hint such as
 * “/请假 <原因>” could lose its placeholder. Plain-text angle brackets become full-width ＜＞.
 */
function escapeAngles(text: string): string {
  return text.replace(/</g, '\uff1c').replace(/>/g, '\uff1e');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
