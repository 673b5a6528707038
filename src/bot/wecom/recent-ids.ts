/**
 * A bounded set of recently seen ids (oldest forgotten first). The WeCom SDK does not deduplicate
 * `msgid`, so a redelivered callback would reach the core twice while the first is still running;
 * the store dedupes too, but only once the first copy is written.
 * @example const seen = new RecentIds(2); seen.add('a'); seen.add('a'); // → true, then false
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** Adds the id; false when it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}
