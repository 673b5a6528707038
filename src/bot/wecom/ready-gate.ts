/**
 * Tracks whether the long connection is authenticated, so that sends issued while it is down wait
 * for the next `authenticated` instead of failing at once ("WebSocket not connected" from the SDK).
 * @example const gate = new ReadyGate(); gate.open(); await gate.wait(1000); // → true
 */
export class ReadyGate {
  private state: 'waiting' | 'open' | 'failed' = 'waiting';
  private readonly waiters = new Set<(ready: boolean) => void>();

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get hasFailed(): boolean {
    return this.state === 'failed';
  }

  open(): void {
    if (this.state === 'failed') return;
    this.state = 'open';
    this.settle(true);
  }

  /** Connection lost; waiters keep waiting for the next open(). */
  close(): void {
    if (this.state === 'open') this.state = 'waiting';
  }

  /** Permanently down (stopped, replaced by another instance, retries exhausted). */
  fail(): void {
    this.state = 'failed';
    this.settle(false);
  }

  /** Resolves true when open, false when failed or after timeoutMs. */
  wait(timeoutMs: number): Promise<boolean> {
    if (this.state === 'open') return Promise.resolve(true);
    if (this.state === 'failed') return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(ready);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(done);
    });
  }

  private settle(ready: boolean): void {
    for (const done of [...this.waiters]) done(ready);
  }
}
