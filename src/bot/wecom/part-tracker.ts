/**
 * Remembers which parts of a split message already went out, so that when the outbox retries a
 * message whose second part failed (e.g. rate limit), the first part is not posted again.
 * Only messages with a stable `key` are tracked; memory is bounded.
 * @example tracker.markSent('chat:key', 0); tracker.isSent('chat:key', 0) // → true
 */
export class PartTracker {
  private readonly sent = new Map<string, Set<number>>();

  constructor(private readonly capacity = 500) {}

  isSent(id: string | undefined, part: number): boolean {
    return id !== undefined && (this.sent.get(id)?.has(part) ?? false);
  }

  markSent(id: string | undefined, part: number): void {
    if (id === undefined) return;
    let parts = this.sent.get(id);
    if (!parts) {
      parts = new Set();
      this.sent.set(id, parts);
      if (this.sent.size > this.capacity) {
        const oldest = this.sent.keys().next().value;
        if (oldest !== undefined) this.sent.delete(oldest);
      }
    }
    parts.add(part);
  }

  /** The whole message went out: nothing left to skip on a later, deliberate resend. */
  forget(id: string | undefined): void {
    if (id !== undefined) this.sent.delete(id);
  }
}
