import { type PublishSeries } from '../metrics/series';
import { type OutgoingKafkaRecord } from './kafka-driver';

/** One publish in a produce request: the record the driver sends, with what its metrics need. */
export interface PendingRecord extends OutgoingKafkaRecord {
  readonly series: PublishSeries;
  readonly started: number;
}

/**
 * The publishes that go to the broker in one produce request. They settle together, so they share
 * one promise: a publish then allocates its record and nothing else, and under load thousands wait
 * at once, each object kept alive being garbage-collection work.
 */
export class ProduceRequest {
  readonly records: PendingRecord[] = [];
  bytes = 0;
  readonly settled: Promise<void>;
  private resolve!: () => void;
  private reject!: (error: unknown) => void;

  constructor() {
    this.settled = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  add(record: PendingRecord, bytes: number): void {
    this.records.push(record);
    this.bytes += bytes;
  }

  /** Whether a record of `bytes` still fits under the bounds; a first record always does. */
  fits(bytes: number, maxMessages: number, maxBytes: number): boolean {
    const count = this.records.length;
    return count === 0 || (count < maxMessages && this.bytes + bytes <= maxBytes);
  }

  /** Whether a record's key is among `keys` (those of the requests in flight). */
  holdsAny(keys: ReadonlySet<string>): boolean {
    if (keys.size === 0) return false;
    for (const { key } of this.records) if (key !== undefined && keys.has(key)) return true;
    return false;
  }

  succeeded(): void {
    const now = performance.now();
    for (const { series, started } of this.records) {
      series.published++;
      series.duration.observe((now - started) / 1000);
    }
    this.resolve();
  }

  failed(error: unknown): void {
    for (const { series } of this.records) series.errors++;
    this.reject(error);
  }
}
