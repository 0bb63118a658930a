/**
 * How long the group's measured pace is averaged over, and how much work (in time at that pace) an
 * instance may hold beyond its handler slots' share.
 */
export const PREFETCH_HORIZON = 20;

/**
 * How many messages one group pulls ahead in this process: what it can handle soon, so that the
 * instances of a group share a burst instead of the first to pull keeping the others idle.
 *
 * The window is the larger of `prefetchMultiplier` messages per handler slot (the group's total
 * concurrency here) and what the group handled in the last PREFETCH_HORIZON ms, never more than the
 * consumer's `max_ack_pending`. Slow handlers hold a few messages per slot; fast ones hold enough to
 * cover the pull round trip, which a fixed multiple of the slots cannot do without also hoarding
 * when handlers are slow.
 */
export class NatsPrefetchWindow {
  private concurrency = 0;
  private handled = 0;
  private since = performance.now();
  /** Messages per ms over the last full horizon. */
  private pace = 0;

  constructor(
    private readonly multiplier: number,
    private readonly maxAckPending: number,
  ) {}

  /** The group's total concurrency here, when members join or leave. */
  setConcurrency(concurrency: number): void {
    this.concurrency = concurrency;
  }

  /** One message finished (handled, dead-lettered or given back) at `now` (performance.now()). */
  finished(now: number): void {
    this.handled++;
    const elapsed = now - this.since;
    if (elapsed < PREFETCH_HORIZON) return;
    this.pace = this.handled / elapsed;
    this.handled = 0;
    this.since = now;
  }

  get size(): number {
    const ahead = Math.max(this.multiplier * this.concurrency, Math.ceil(this.pace * PREFETCH_HORIZON));
    return Math.max(1, Math.min(this.maxAckPending, ahead));
  }
}
