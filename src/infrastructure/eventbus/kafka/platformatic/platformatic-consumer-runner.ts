import type { Consumer, ConsumerOptions, MessagesStream } from '@platformatic/kafka' with {
  'resolution-mode': 'import',
};
import { describeError } from '../../describe-error';
import { type InboundMessage } from '../../delivery/inbound-message';
import { KeyOrderedScheduler } from '../../delivery/key-ordered-scheduler';
import { waitWithTimeout } from '../../subscription-options';
import { type RejoiningConsumerOptions, RejoiningConsumer } from '../rejoining-consumer';
import { isPlatformaticConnectionError, needsRejoin } from './platformatic-errors';
import { fromPlatformaticMessage, type PlatformaticMessage } from './platformatic-message';
import { type OffsetToCommit, PartitionCommits } from './partition-commits';
import { type PartitionEntry, type PartitionProgress } from './partition-progress';
import { type PlatformaticKafka } from './platformatic-module';

export interface PlatformaticConsumerRunnerOptions extends RejoiningConsumerOptions {
  readonly client: PlatformaticKafka;
  readonly consumerOptions: ConsumerOptions<Buffer, Buffer, Buffer, Buffer>;
}

type Stream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;

interface WorkItem {
  readonly progress: PartitionProgress;
  readonly entry: PartitionEntry;
  readonly message: InboundMessage;
}

/**
 * One subscription on Kafka through @platformatic/kafka: a consumer in the subscription's group
 * whose message stream feeds the shared delivery pipeline under one KeyOrderedScheduler, keyed by
 * partition and message key (per-key order within a partition, other keys concurrently up to
 * `concurrency`). The stream pauses while `window` messages wait or run, so fetched messages do not
 * pile up. Offsets are committed by the runner, one request at a time, for the handled prefix of
 * each partition.
 *
 * The client heartbeats on its own timer and rejoins the group by itself on a rebalance; the runner
 * follows each join: partitions taken away halt (running handlers finish, the rest is left to the
 * new owner), and messages fetched for a partition before it was (re)assigned are dropped, since the
 * stream refetches from the committed offset.
 */
export class PlatformaticConsumerRunner extends RejoiningConsumer {
  private consumer: Consumer<Buffer, Buffer, Buffer, Buffer> | undefined;
  private stream: Stream | undefined;
  private readonly scheduler: KeyOrderedScheduler<WorkItem>;
  private readonly window: number;
  /** Messages in the scheduler (waiting or running). */
  private inScheduler = 0;
  private paused = false;
  /** Each assigned partition with the generation it was assigned in. */
  private readonly assigned = new Map<number, number>();
  private readonly commits = new PartitionCommits((offsets) => this.commit(offsets));

  constructor(private readonly options: PlatformaticConsumerRunnerOptions) {
    super(options);
    this.scheduler = new KeyOrderedScheduler(options.concurrency, (item) => this.handle(item));
    // Wide enough that messages of other keys can pass a key whose handler is slow.
    this.window = Math.max(64, options.concurrency * 8);
  }

  protected async startOnce(): Promise<void> {
    const { topic, fromBeginning, consumerOptions } = this.options;
    const consumer = new this.options.client.Consumer<Buffer, Buffer, Buffer, Buffer>(consumerOptions);
    this.consumer = consumer;
    // Group errors the client could not recover from (e.g. a failed rejoin) end this consumer.
    consumer.on('error', (error: Error) => this.crash(consumer, error));
    consumer.on('consumer:group:join', () => this.followAssignment(consumer));
    let stream: Stream | undefined;
    try {
      stream = await waitOrThrow(
        consumer.consume({
          topics: [topic],
          mode: 'committed',
          fallbackMode: fromBeginning ? 'earliest' : 'latest',
          autocommit: false,
          highWaterMark: this.window,
        }),
        this.joinLimit,
        `consumer of "${topic}" (group "${this.group}") did not join within ${this.joinLimit} ms`,
      );
      this.stream = stream;
      const positioned = untilPositioned(stream, this.joinLimit);
      stream.on('error', (error: Error) => this.crash(consumer, error));
      stream.on('data', (message: PlatformaticMessage) => this.accept(message));
      this.followAssignment(consumer);
      await positioned;
      // Stopped while joining: even if the stop closed it already, nothing this join opened may outlive it.
      if (this.stopping) {
        await this.forget(consumer, stream);
        return;
      }
    } catch (error) {
      await this.forget(consumer, stream);
      throw error;
    }
    this.crashed = false;
  }

  protected async leaveForRejoin(): Promise<void> {
    this.haltAll();
    await this.disconnect();
  }

  /** Any failed join is tried again within the session: the client retries its own requests first. */
  protected isRetriableStartFailure(): boolean {
    return true;
  }

  protected isConnectionError(error: unknown): boolean {
    return isPlatformaticConnectionError(error);
  }

  async stop(timeout: number): Promise<void> {
    this.stopping = true;
    this.stream?.pause();
    this.haltAll();
    const drained = await waitWithTimeout(this.scheduler.onIdle(), timeout);
    if (!drained) {
      this.options.logger.warn(
        { topic: this.topic, group: this.group, timeoutMs: timeout },
        'kafka consumer stopped before its handlers finished',
      );
      this.options.stop.abort();
    }
    await this.commits.flush();
    await this.disconnect();
  }

  /** After each join: partitions no longer ours halt; new ones remember the generation they came with. */
  private followAssignment(consumer: Consumer<Buffer, Buffer, Buffer, Buffer>): void {
    if (consumer !== this.consumer) return;
    const generation = consumer.generationId;
    const current = new Set(
      consumer.assignments?.find((assignment) => assignment.topic === this.topic)?.partitions ?? [],
    );
    for (const partition of this.assigned.keys()) {
      if (current.has(partition)) continue;
      this.assigned.delete(partition);
      this.commits.halt(partition);
    }
    for (const partition of current)
      if (!this.assigned.has(partition)) this.assigned.set(partition, generation);
    this.commits.schedule();
  }

  private accept(message: PlatformaticMessage): void {
    if (this.stopping || this.crashed) return;
    const { partition } = message;
    const assignedIn = this.assigned.get(partition);
    const fetchedIn = (message.metadata.consumer as { generationId?: number } | undefined)?.generationId;
    // Fetched before the partition became ours again: the stream refetches it from the commit.
    if (assignedIn === undefined || (fetchedIn !== undefined && fetchedIn < assignedIn)) return;
    const progress = this.commits.progressOf(partition);
    const entry = progress.accept(message.offset);
    if (!entry) return;
    const inbound = fromPlatformaticMessage(message);
    const key = inbound.key === undefined ? undefined : `${partition}\u0000${inbound.key}`;
    this.inScheduler++;
    this.scheduler.push(key, { progress, entry, message: inbound });
    if (this.inScheduler >= this.window && !this.paused) {
      this.paused = true;
      this.stream?.pause();
    }
  }

  private async handle({ progress, entry, message }: WorkItem): Promise<void> {
    let began = false;
    let handled = false;
    try {
      began = progress.begin(entry);
      if (began) handled = (await this.options.pipeline.deliver(message)) !== 'abandoned';
    } finally {
      if (began) progress.finish(entry, handled);
      this.inScheduler--;
      if (this.paused && this.inScheduler <= this.window / 2 && !this.stopping) {
        this.paused = false;
        this.stream?.resume();
      }
      if (began) this.commits.schedule();
    }
  }

  private haltAll(): void {
    this.commits.haltAll();
    this.assigned.clear();
  }

  /** One commit request through the current consumer; a failure leaves the offsets for the next. */
  private async commit(offsets: readonly OffsetToCommit[]): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) throw new Error('no consumer to commit through');
    try {
      await consumer.commit({
        offsets: offsets.map(({ partition, offset }) => ({
          topic: this.topic,
          partition,
          offset,
          leaderEpoch: -1,
        })),
      });
    } catch (error) {
      // A rejoin or a lost broker is expected; anything else is worth a line.
      if (!needsRejoin(error) && !isPlatformaticConnectionError(error))
        this.options.logger.warn({ err: error, topic: this.topic, group: this.group }, 'kafka commit failed');
      throw error;
    }
  }

  private crash(consumer: Consumer<Buffer, Buffer, Buffer, Buffer>, error: Error): void {
    if (this.consumer !== consumer || this.stopping || this.crashed) return;
    this.crashed = true;
    this.haltAll();
    this.options.onCrash(error);
  }

  /** Leaves the group and closes, bounded: a consumer whose broker is gone must not hold up a restart. */
  private async disconnect(): Promise<void> {
    const { consumer, stream } = this;
    if (consumer) await this.forget(consumer, stream);
  }

  /** Closes a consumer and its stream (bounded), dropping them from the runner if they are its current ones. */
  private async forget(
    consumer: Consumer<Buffer, Buffer, Buffer, Buffer>,
    stream: Stream | undefined,
  ): Promise<void> {
    if (this.consumer === consumer) {
      this.consumer = undefined;
      this.stream = undefined;
    }
    const closing = (async () => {
      if (stream) await stream.close().catch(() => undefined);
      await consumer.close().catch(() => undefined);
    })();
    const done = await waitWithTimeout(closing, this.options.settings.kafka.consumer.sessionTimeout);
    if (!done)
      this.options.logger.warn(
        { topic: this.topic, group: this.group },
        'kafka consumer did not close in time',
      );
  }
}

/** Resolves once the stream knows where each assigned partition starts (for `latest`: now). */
function untilPositioned(stream: Stream, timeout: number): Promise<void> {
  return waitOrThrow(
    new Promise<void>((resolve, reject) => {
      stream.once('offsets', () => resolve());
      stream.once('error', reject);
    }),
    timeout,
    `the consumer did not learn its start offsets within ${timeout} ms`,
  );
}

async function waitOrThrow<T>(work: Promise<T>, timeout: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeout);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expired]);
  } catch (error) {
    throw error instanceof Error ? error : new Error(describeError(error));
  } finally {
    clearTimeout(timer);
  }
}
