import { type Latency, percentile } from './stats';

/** Messages per second of every latency run. */
export const LATENCY_RATE = 1_000;
/** Seconds measured per run. */
export const LATENCY_SECONDS = 5;
/**
 * Seconds sent at the rate before the measured ones, on the same connections and topic: a new
 * topic's first messages wait for metadata, a first fetch and the broker's first appends, which is
 * start-up, not the steady rate the row describes.
 */
export const LATENCY_WARMUP_SECONDS = 1;

/**
 * One end-to-end latency run: sends at LATENCY_RATE, each message stamped with its send time, and
 * keeps the age of every message sent after the warm-up when a handler records it.
 */
export class FixedRateRun {
  /** Messages sent by `send`, the warm-up's included. */
  readonly total = LATENCY_RATE * (LATENCY_WARMUP_SECONDS + LATENCY_SECONDS);
  private readonly ages: number[] = [];
  private handled = 0;
  private measuredFrom = Number.POSITIVE_INFINITY;
  private onAllHandled?: () => void;

  constructor(private readonly template: Uint8Array) {}

  /** Messages handled so far, the warm-up's included. */
  get received(): number {
    return this.handled;
  }

  /** Resolves once the handler has recorded every message sent; rejects after `timeout` ms. */
  allHandled(timeout = 300_000): Promise<void> {
    if (this.handled >= this.total) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.handled} of ${this.total} messages were handled`)),
        timeout,
      );
      this.onAllHandled = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Calls `publish` `total` times spread evenly over the run; resolves when all settled. */
  send(publish: (payload: Uint8Array) => Promise<unknown>): Promise<void> {
    this.measuredFrom = performance.now() + LATENCY_WARMUP_SECONDS * 1000;
    return sendAtRate(this.total, this.template, publish);
  }

  /** Called by the handler with the message's bytes. */
  record(bytes: Uint8Array): void {
    const now = performance.now();
    const sent = sentAt(bytes);
    if (sent >= this.measuredFrom) this.ages.push(now - sent);
    if (++this.handled === this.total) this.onAllHandled?.();
  }

  /** p50 and p99 of the measured messages, in milliseconds. */
  latency(): Latency {
    return { p50: percentile(this.ages, 50), p99: percentile(this.ages, 99) };
  }
}

/**
 * Calls `publish` `total` times spread evenly at LATENCY_RATE, each time with a copy of `template`
 * stamped with its send time (`sentAt` reads it); resolves when all settled.
 */
export async function sendAtRate(
  total: number,
  template: Uint8Array,
  publish: (payload: Uint8Array) => Promise<unknown>,
): Promise<void> {
  const pending: Promise<unknown>[] = [];
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * LATENCY_RATE) + 1);
    for (; sent < due; sent++) {
      const payload = Uint8Array.from(template);
      new DataView(payload.buffer).setFloat64(0, performance.now());
      pending.push(publish(payload));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
}

/** When a payload stamped by `sendAtRate` was sent (`performance.now()`). */
export function sentAt(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getFloat64(0);
}
