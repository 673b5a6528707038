/**
 * The only module that reads the wall clock. Everything else receives a {@link Clock}.
 * @example const clock = new ManualClock(new Date('2026-12-01T01:00:00Z')); clock.advance(86_400_000);
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class ManualClock implements Clock {
  private current: Date;
  constructor(start: Date) {
    this.current = new Date(start.getTime());
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A clock that can be moved: the terminal chat's `:time` and tests. */
export interface SettableClock extends Clock {
  set(at: Date): void;
}

/**
 * Wall-clock time shifted by an offset: runs like the real clock, but `:time` in the terminal chat
 * can move it to any moment.
 */
export class OffsetClock implements SettableClock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  set(at: Date): void {
    this.offsetMs = at.getTime() - this.base.now().getTime();
  }
}
