import type { Role } from '../domain/types.js';
import type { Q } from './helpers.js';
import { parseSettings, type UnitSettings } from './unit.repository.js';

/** What the scheduler needs to know of every unit to address its reminders. */
export interface DirectoryUnit {
  name: string;
  parentId: number | null;
  settings: UnitSettings;
  chats: Array<{ channel: string; chatId: string; title: string | null }>;
  /** Holders of the roles reminders address (principal, operator, supervisor), by role, in the order added. */
  holders: Map<Role, number[]>;
}

/** Units, their chats and role holders, and everyone's names and confirmed platform ids. */
export interface Directory {
  units: Map<number, DirectoryUnit>;
  /** Every person's name, by id (owners are @mentioned by name); every role holder's at least. */
  names: Map<number, string>;
  /** Confirmed platform user ids by `<personId>:<platform>`. */
  userIds: Map<string, string>;
}

const ADDRESSED_ROLES: Role[] = ['principal', 'operator', 'supervisor'];

/** Reads the whole directory: five plain reads, no `in` lists. */
export async function loadDirectory(db: Q): Promise<Directory> {
  const [units, chats, holders, identities, people] = await Promise.all([
    db.selectFrom('unit').select(['id', 'name', 'parent_id', 'settings']).execute(),
    db.selectFrom('chat').select(['unit_id', 'channel', 'chat_id', 'title']).where('unit_id', 'is not', null).orderBy('id').execute(),
    db.selectFrom('membership').select(['unit_id', 'role', 'person_id']).where('role', 'in', ADDRESSED_ROLES).orderBy('id').execute(),
    db.selectFrom('identity').select(['person_id', 'platform', 'user_id']).where('confirmed', '=', 1).execute(),
    db.selectFrom('person').select(['id', 'name']).execute(),
  ]);
  const out: Directory = { units: new Map(), names: new Map(), userIds: new Map() };
  // Settings are parsed only where they hold anything (most units have `{}`).
  for (const u of units) out.units.set(u.id, { name: u.name, parentId: u.parent_id, settings: u.settings === '{}' ? {} : parseSettings(u.settings), chats: [], holders: new Map() });
  for (const c of chats) out.units.get(c.unit_id!)?.chats.push({ channel: c.channel, chatId: c.chat_id, title: c.title });
  for (const p of people) out.names.set(p.id, p.name);
  for (const h of holders) {
    const byRole = out.units.get(h.unit_id)?.holders;
    if (!byRole) continue;
    const ids = byRole.get(h.role as Role);
    if (!ids) byRole.set(h.role as Role, [h.person_id]);
    else if (!ids.includes(h.person_id)) ids.push(h.person_id);
  }
  for (const i of identities) out.userIds.set(`${i.person_id}:${i.platform}`, i.user_id);
  // Every role holder has a name here (reminders address them by role): one added between the reads above is read now.
  const unnamed = holders.map((h) => h.person_id).filter((id) => !out.names.has(id));
  if (unnamed.length) for (const p of await db.selectFrom('person').select(['id', 'name']).where('id', 'in', [...new Set(unnamed)]).execute()) out.names.set(p.id, p.name);
  return out;
}

/** The directory's version (raised by triggers on every write to its tables; see migration 06). */
async function directoryVersion(db: Q): Promise<number | undefined> {
  return (await db.selectFrom('store_version').select('n').where('name', '=', 'directory').executeTakeFirst())?.n;
}

/** The last directory read, per store (keyed by its dialect adapter, which its transactions share). */
const kept = new WeakMap<object, { version: number; directory: Directory }>();

/**
 * The directory, read again only when its version has moved since the last read — so the daily run
 * over a district does not re-read 3,000 units, their chats, role holders and ids that rarely change.
 * The version is kept by triggers on SQLite and PostgreSQL alike (migration 06), whoever writes:
 * a command, the CLI, another instance.
 */
export async function currentDirectory(db: Q): Promise<Directory> {
  const adapter = db.getExecutor().adapter;
  const version = await directoryVersion(db);
  const last = kept.get(adapter);
  if (last && version !== undefined && last.version === version) return last.directory;
  const directory = await loadDirectory(db);
  if (version !== undefined) kept.set(adapter, { version, directory });
  return directory;
}
