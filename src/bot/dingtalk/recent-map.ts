/**
 * A Map that forgets its oldest entries beyond `max`, so that per-chat and per-message memory
 * stays bounded in a long-running bot. Setting a key again makes it the newest.
 * @example const m = new RecentMap<string, number>(2); m.set('a', 1); m.set('b', 2); m.set('c', 3); m.has('a') // false
 */
export class RecentMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.max) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
