import { Deque } from '../delivery/deque';
import { IdleWaiters } from '../delivery/idle-waiters';
import { PublishAbortedError } from '../errors';
import { type PublishSeries } from '../metrics/series';
import { type KafkaBatching } from './kafka-config-mapping';
import { type OutgoingKafkaRecord } from './kafka-driver';
import { ProduceRequest } from './produce-request';

/**
 * Coalesces concurrent publishes into produce requests bounded by `flushMessages` and `batchSize`,
 * sent after at most `flushFrequency`, with up to `maxInFlight` requests at a time. A request holding
 * a key that is in a request still in flight waits for that request (and so does everything behind
 * it), so the messages of one key reach the broker in publish order even when a request is retried.
 * Each publish settles with its request: resolved on the broker's ack, rejected with its error. At
 * most `bufferSize` messages wait; further publishes wait for room.
 */
export class KafkaPublisher {
  /** Requests not sent yet, oldest first; the last one takes new publishes until it is full. */
  private readonly waiting = new Deque<ProduceRequest>();
  private open: ProduceRequest | undefined;
  private bufferedMessages = 0;
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
    if (this.bufferedMessages >= this.batching.bufferSize)
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
    while (this.bufferedMessages >= this.batching.bufferSize) await this.waitForRoom(record.topic, signal);
    return this.enqueue(record, bytes, series, started);
  }

  private enqueue(
    { topic, key, value, headers }: OutgoingKafkaRecord,
    bytes: number,
    series: PublishSeries,
    started: number,
  ): Promise<void> {
    const { flushMessages, batchSize } = this.batching;
    let request = this.open;
    if (!request?.fits(bytes, flushMessages, batchSize)) {
      request = new ProduceRequest();
      this.waiting.push(request);
      this.open = request;
    }
    request.add({ topic, key, value, headers, series, started }, bytes);
    this.bufferedMessages++;
    this.bufferedBytes += bytes;
    this.schedule();
    return request.settled;
  }

  /** Resolves once every buffered message was sent and acknowledged (or failed). */
  flush(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    this.sendNow();
    return this.idle.wait();
  }

  /** Messages buffered and not yet sent. */
  get buffered(): number {
    return this.bufferedMessages;
  }

  private get isIdle(): boolean {
    return this.bufferedMessages === 0 && this.inFlight === 0;
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
      this.bufferedMessages >= this.batching.flushMessages || this.bufferedBytes >= this.batching.batchSize;
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
    while (this.inFlight < this.batching.maxInFlight) {
      const request = this.waiting.peek();
      // A key of the next request is in flight: that request's completion sends on.
      if (!request || request.holdsAny(this.keysInFlight)) return;
      this.take(request);
      this.inFlight++;
      void this.sendRequest(request).finally(() => {
        this.inFlight--;
        this.releaseKeys(request);
        // What arrived during the request has waited long enough already.
        if (this.bufferedMessages > 0) this.sendNow();
        else if (this.inFlight === 0) this.idle.release();
      });
    }
  }

  /** `request` leaves the buffer: its keys count as in flight and waiting publishes get its room. */
  private take(request: ProduceRequest): void {
    this.waiting.shift();
    if (request === this.open) this.open = undefined;
    this.bufferedMessages -= request.records.length;
    this.bufferedBytes -= request.bytes;
    // With one request at a time there is nothing to wait for.
    if (this.batching.maxInFlight > 1)
      for (const { key } of request.records) if (key !== undefined) this.keysInFlight.add(key);
    for (let room = this.batching.bufferSize - this.bufferedMessages; room > 0;) {
      const wake = this.roomWaiters.shift();
      if (!wake) break;
      if (wake()) room--;
    }
  }

  private releaseKeys(request: ProduceRequest): void {
    for (const { key } of request.records) if (key !== undefined) this.keysInFlight.delete(key);
  }

  private async sendRequest(request: ProduceRequest): Promise<void> {
    try {
      await this.send(request.records);
    } catch (error) {
      request.failed(error);
      this.onSendError(error);
      return;
    }
    request.succeeded();
  }
}
