/**
 * Paces a kafkajs consumer's offset commits to one per `interval` (0: no pacing). kafkajs fetches a
 * partition again only when its `eachBatch` returned, and the broker answers a connection's
 * requests in order, so a commit after every small batch delays the next fetch by a commit's round
 * trip: at a steady 1,000 msg/s that was most of a message's time from publish to handler. The cost
 * of an interval: a crash redelivers up to an interval's worth of handled messages.
 */
export class CommitPacer {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly interval: number) {}

  /** Whether the interval since the last commit request has passed. */
  get due(): boolean {
    return performance.now() - this.lastSentAt >= this.interval;
  }

  /** Records a commit request sent now. */
  sent(): void {
    this.lastSentAt = performance.now();
  }

  /** Calls `commit` once the interval has passed; while one call waits, further ones are dropped. */
  later(commit: () => void): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastSentAt + this.interval - performance.now());
    // Unref'd: a commit waiting for its turn must not keep a process alive.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      commit();
    }, wait).unref();
  }

  /** Drops a waiting call: the consumer is stopping and commits on its own. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
