/** Seconds; covers sub-microsecond memory dispatch up to multi-second broker round trips. */
export const DURATION_BUCKETS = [
  0.00001, 0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/**
 * One labelled histogram series kept as plain numbers. The hot path only bumps a bucket; prom-client
 * reads it at scrape time (its own `observe` hashes the label set on every call, too slow per message).
 */
export class HistogramSeries {
  /** Non-cumulative counts; the last slot is +Inf. */
  readonly counts = new Float64Array(DURATION_BUCKETS.length + 1);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    let index = 0;
    while (index < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[index]!) index++;
    this.counts[index]!++;
    this.sum += seconds;
    this.count++;
  }
}
