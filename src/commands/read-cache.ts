import type { Clock } from '../clock.js';
import type { Command } from './types.js';

/**
 * Commands that only read. After any other command (whatever its outcome) the cache is emptied,
 * so a reply never reflects a roster, binding or setting older than the last change made here.
 */
export const READ_ONLY: ReadonlySet<Command['kind']> = new Set<Command['kind']>([
  'help', 'progress', 'member.list', 'talk.status', 'outline.status', 'leave.list', 'rectify.list', 'rectify.overdue', 'rectify.show',
  'remind.show', 'summary', 'settings.show', 'paper.report', 'paper.inform', 'archive.show',
]);

/** Entries also expire, so changes made by another process (the CLI's roster import) show within a minute. */
const TTL_MS = 60_000;
/**
 * At most this many entries (about four per chat: some sixteen chats). A storm in one group hits
 * them; a stream of commands from one chat after another (a district's supervisors) keeps only the
 * latest few instead of every unit's roster for a minute, which the young-generation GC would copy
 * and promote again and again.
 */
export const READ_CACHE_MAX = 64;

/**
 * What every command looks up first — the chat's unit, the sender's identity and roles, the
 * roster — kept in memory between read-only commands (a `/进度` storm in a busy group).
 */
export class ReadCache {
  private readonly entries = new Map<string, { at: number; value: unknown }>();
  constructor(private readonly clock: Clock) {}

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < TTL_MS) return hit.value as T;
    const value = await load();
    if (hit) this.entries.delete(key);
    else if (this.entries.size >= READ_CACHE_MAX) this.entries.delete(this.entries.keys().next().value!); // the oldest
    this.entries.set(key, { at: now, value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
