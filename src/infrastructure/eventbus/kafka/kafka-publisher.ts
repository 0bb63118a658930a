import { Deque } from '../delivery/deque';
import { PublishAbortedError } from '../errors';
import { type PublishSeries } from '../metrics/series';
import { type KafkaBatching } from './kafka-config-mapping';
import { type OutgoingKafkaRecord } from './kafka-driver';
import { IdleWaiters } from '../delivery/idle-waiters';

/**
 * A publish from its call to the broker's ack: the record the driver sends and the publish's own
 * state in one object, as thousands can wait at once and each object kept alive is garbage-collection
 * work.
 */
interface Pending extends OutgoingKafkaRecord {
  readonly bytes: number;
  readonly series: PublishSeries;
  readonly started: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Coalesces concurrent publishes into produce requests bounded by `flushMessages` and `batchSize`,
 * sent after at most `flushFrequency`, with up to `maxInFlight` requests at a time. A message whose
 * key is in a request still in flight waits for that request (and so does everything behind it), so
 * the messages of one key reach the broker in publish order even when a request is retried. Each
 * publish settles with its batch: resolved on the broker's ack, rejected with its error. At most
 * `bufferSize` messages wait; further publishes wait for room.
 */
export class KafkaPublisher {
  private readonly buffer = new Deque<Pending>();
  /** The message that did not fit the last request: it opens the next one. */
  private head: Pending | undefined;
  private bufferedBytes = 0;
  /** Publishes waiting for room; each returns false if it gave up (aborted) meanwhile. */
  private readonly roomWaiters = new Deque<() => boolean>();
  private inFlight = 0;
  /** Keys of the messages in requests in flight (no two requests in flight share a key). */
  private readonly keysInFlight = new Set<string>();
  private lingerTimer: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  private readonly idle = new IdleWaiters();

  constructor(
    /** Sends one produce request (the driver's); at most `maxInFlight` run at once. */
    private readonly send: (records: readonly OutgoingKafkaRecord[]) => Promise<void>,
    private readonly batching: KafkaBatching,
    private readonly onSendError: (error: unknown) => void,
  ) {}

  /** Resolves when the broker acknowledged the message; waits first while the buffer is full. */
  publish(
    record: OutgoingKafkaRecord,
    bytes: number,
    series: PublishSeries,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const started = performance.now();
    if (this.buffered >= this.batching.bufferSize)
      return this.publishWhenRoom(record, bytes, series, signal, started);
    return this.enqueue(record, bytes, series, started);
  }

  private async publishWhenRoom(
    record: OutgoingKafkaRecord,
    bytes: number,
    series: PublishSeries,
    signal: AbortSignal | undefined,
    started: number,
  ): Promise<void> {
    while (this.buffered >= this.batching.bufferSize) await this.waitForRoom(record.topic, signal);
    return this.enqueue(record, bytes, series, started);
  }

  private enqueue(
    record: OutgoingKafkaRecord,
    bytes: number,
    series: PublishSeries,
    started: number,
  ): Promise<void> {
    const { topic, key, value, headers } = record;
    return new Promise<void>((resolve, reject) => {
      this.buffer.push({ topic, key, value, headers, bytes, series, started, resolve, reject });
      this.bufferedBytes += bytes;
      this.schedule();
    });
  }

  /** Resolves once every buffered message was sent and acknowledged (or failed). */
  flush(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    this.sendNow();
    return this.idle.wait();
  }

  /** Messages buffered and not yet sent. */
  get buffered(): number {
    return this.buffer.length + (this.head ? 1 : 0);
  }

  private get isIdle(): boolean {
    return this.buffered === 0 && this.inFlight === 0;
  }

  private waitForRoom(topic: string, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new PublishAbortedError(topic));
    return new Promise((resolve, reject) => {
      let waiting = true;
      const onAbort = (): void => {
        waiting = false;
        reject(new PublishAbortedError(topic));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.roomWaiters.push(() => {
        if (!waiting) return false;
        signal?.removeEventListener('abort', onAbort);
        resolve();
        return true;
      });
    });
  }

  private schedule(): void {
    // A full window sends the rest when a request completes.
    if (this.inFlight >= this.batching.maxInFlight) return;
    const full =
      this.buffered >= this.batching.flushMessages || this.bufferedBytes >= this.batching.batchSize;
    if (full || this.batching.flushFrequency === 0) {
      // One microtask later, so publishes made in the same tick share a request.
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        queueMicrotask(() => {
          this.flushScheduled = false;
          this.sendNow();
        });
      }
    } else {
      this.lingerTimer ??= setTimeout(() => this.sendNow(), this.batching.flushFrequency);
    }
  }

  private sendNow(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    while (this.inFlight < this.batching.maxInFlight && this.buffered > 0) {
      const batch = this.takeBatch();
      // The next message's key is in flight: its request's completion sends on.
      if (batch.length === 0) return;
      this.inFlight++;
      void this.sendBatch(batch).finally(() => {
        this.inFlight--;
        this.releaseKeys(batch);
        // What arrived during the request has waited long enough already.
        if (this.buffered > 0) this.sendNow();
        else if (this.inFlight === 0) this.idle.release();
      });
    }
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let bytes = 0;
    while (batch.length < this.batching.flushMessages) {
      const next = this.head ?? this.buffer.shift();
      this.head = undefined;
      if (!next) break;
      // A message larger than batchSize still goes, alone.
      const tooBig = batch.length > 0 && bytes + next.bytes > this.batching.batchSize;
      const key = next.key;
      if (tooBig || (key !== undefined && this.keysInFlight.has(key))) {
        this.head = next;
        break;
      }
      batch.push(next);
      bytes += next.bytes;
    }
    this.bufferedBytes -= bytes;
    // With one request at a time there is nothing to wait for.
    if (this.batching.maxInFlight > 1)
      for (const { key } of batch) if (key !== undefined) this.keysInFlight.add(key);
    for (let room = this.batching.bufferSize - this.buffered; room > 0;) {
      const wake = this.roomWaiters.shift();
      if (!wake) break;
      if (wake()) room--;
    }
    return batch;
  }

  private releaseKeys(batch: Pending[]): void {
    for (const { key } of batch) if (key !== undefined) this.keysInFlight.delete(key);
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    try {
      await this.send(batch);
    } catch (error) {
      for (const pending of batch) {
        pending.series.errors++;
        pending.reject(error);
      }
      this.onSendError(error);
      return;
    }
    const now = performance.now();
    for (const pending of batch) {
      pending.series.published++;
      pending.series.duration.observe((now - pending.started) / 1000);
      pending.resolve();
    }
  }
}
