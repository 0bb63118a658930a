import { type Message, type Producer, type TopicMessages } from 'kafkajs';
import { Deque } from '../delivery/deque';
import { PublishAbortedError } from '../errors';
import { type PublishSeries } from '../metrics/series';
import { type KafkaBatching, type KafkaSendOptions } from './kafka-config-mapping';
import { IdleWaiters } from '../delivery/idle-waiters';

interface Pending {
  readonly topic: string;
  readonly message: Message;
  readonly bytes: number;
  readonly series: PublishSeries;
  readonly started: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Coalesces concurrent publishes into produce requests bounded by `flushMessages` and `batchSize`,
 * sent after at most `flushFrequency`. One request is in flight at a time, so batches (and the
 * messages of one key) reach the broker in publish order; the next batch fills meanwhile. Each
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
  private sending: Promise<void> | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  private readonly idle = new IdleWaiters();

  constructor(
    private producer: Producer,
    private readonly send: KafkaSendOptions,
    private readonly batching: KafkaBatching,
    private readonly onSendError: (error: unknown) => void,
  ) {}

  /** Resolves when the broker acknowledged the message; waits first while the buffer is full. */
  publish(
    topic: string,
    message: Message,
    bytes: number,
    series: PublishSeries,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const started = performance.now();
    if (this.buffered >= this.batching.bufferSize)
      return this.publishWhenRoom(topic, message, bytes, series, signal, started);
    return this.enqueue(topic, message, bytes, series, started);
  }

  private async publishWhenRoom(
    topic: string,
    message: Message,
    bytes: number,
    series: PublishSeries,
    signal: AbortSignal | undefined,
    started: number,
  ): Promise<void> {
    while (this.buffered >= this.batching.bufferSize) await this.waitForRoom(topic, signal);
    return this.enqueue(topic, message, bytes, series, started);
  }

  private enqueue(
    topic: string,
    message: Message,
    bytes: number,
    series: PublishSeries,
    started: number,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.buffer.push({ topic, message, bytes, series, started, resolve, reject });
      this.bufferedBytes += bytes;
      this.schedule();
    });
  }

  /** Swaps in a reconnected producer; the request in flight finishes on the old one. */
  replaceProducer(producer: Producer): Producer {
    const previous = this.producer;
    this.producer = producer;
    return previous;
  }

  /** Settles when the produce request in flight (if any) has. */
  get inFlight(): Promise<void> {
    return this.sending ?? Promise.resolve();
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
    return this.buffered === 0 && this.sending === undefined;
  }

  private waitForRoom(topic: string, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new PublishAbortedError(`publish to "${topic}" was aborted`));
    return new Promise((resolve, reject) => {
      let waiting = true;
      const onAbort = (): void => {
        waiting = false;
        reject(new PublishAbortedError(`publish to "${topic}" was aborted`));
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
    if (this.sending) return; // the request in flight sends the rest when it completes
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
    if (this.sending || this.buffered === 0) return;
    const batch = this.takeBatch();
    this.sending = this.sendBatch(batch).finally(() => {
      this.sending = undefined;
      // What arrived during the request has waited long enough already.
      if (this.buffered > 0) this.sendNow();
      else this.idle.release();
    });
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let bytes = 0;
    while (batch.length < this.batching.flushMessages) {
      const next = this.head ?? this.buffer.shift();
      this.head = undefined;
      if (!next) break;
      // A message larger than batchSize still goes, alone.
      if (batch.length > 0 && bytes + next.bytes > this.batching.batchSize) {
        this.head = next;
        break;
      }
      batch.push(next);
      bytes += next.bytes;
    }
    this.bufferedBytes -= bytes;
    for (let room = this.batching.bufferSize - this.buffered; room > 0;) {
      const wake = this.roomWaiters.shift();
      if (!wake) break;
      if (wake()) room--;
    }
    return batch;
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const pending of batch) {
      const messages = byTopic.get(pending.topic);
      if (messages) messages.push(pending.message);
      else byTopic.set(pending.topic, [pending.message]);
    }
    const topicMessages: TopicMessages[] = [];
    for (const [topic, messages] of byTopic) topicMessages.push({ topic, messages });
    try {
      await this.producer.sendBatch({ topicMessages, ...this.send });
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
