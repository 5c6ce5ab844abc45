/**
 * Per-author envelope counters: strictly increasing, and seeded from the clock so that a
 * device which lost its stored counter still does not reuse one.
 */
export class EnvelopeCounter {
  constructor(private last = 0) {}

  next(now = Date.now()): number {
    this.last = Math.max(this.last + 1, now);
    return this.last;
  }

  get current(): number {
    return this.last;
  }
}
