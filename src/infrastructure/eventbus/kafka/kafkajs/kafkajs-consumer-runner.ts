import {
  type Consumer,
  type ConsumerConfig,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
} from 'kafkajs';
import { Deque } from '../../delivery/deque';
import { describeError } from '../../describe-error';
import { type InboundMessage } from '../../delivery/inbound-message';
import { KeyOrderedScheduler } from '../../delivery/key-ordered-scheduler';
import { waitWithTimeout } from '../../subscription-options';
import { type RejoiningConsumerOptions, RejoiningConsumer } from '../rejoining-consumer';
import { CommitPacer } from './commit-pacer';
import { BatchProgress } from './kafka-batch-progress';
import { isConnectionError, isRebalanceError, isRetriableError } from './kafkajs-errors';
import { fromKafkajsMessage } from './kafkajs-message';

export interface KafkajsConsumerRunnerOptions extends RejoiningConsumerOptions {
  /** The current client: a reconnect may replace it. */
  readonly kafka: () => Kafka;
  readonly consumerConfig: ConsumerConfig;
}

interface WorkItem {
  readonly progress: BatchProgress;
  readonly index: number;
  readonly message: InboundMessage;
}

/**
 * Commits what kafkajs holds as resolved and not yet committed, for every partition of the consumer.
 * Taken from a batch's payload: kafkajs binds it to the consumer's group, so it also works between
 * batches, and after a rejoin it only sees the new assignment.
 */
type CommitResolved = () => Promise<void>;

/** The messages of one fetched batch not yet handed to the scheduler. */
interface BatchCursor {
  readonly progress: BatchProgress;
  readonly partition: number;
  readonly messages: KafkaMessage[];
  next: number;
}

/**
 * One subscription on Kafka: a kafkajs consumer in the subscription's group, fed with `eachBatch`
 * and manual commits. Each fetched message goes through the shared delivery pipeline (retries,
 * dead-letter, metrics) under one KeyOrderedScheduler for the subscription, keyed by partition and
 * message key: per-key order within a partition, different keys concurrently up to `concurrency`.
 * The scheduler outlives batches and restarts, so a redelivered message still queues behind an
 * earlier one of its key that is running.
 *
 * Fetched messages enter the scheduler a window at a time, round-robin over the partitions' batches,
 * rather than a whole batch at once: what waits in the scheduler stays small, so per-message state
 * dies young instead of surviving garbage collections (a third of the consume cost when it did).
 *
 * Handled prefixes are resolved in kafkajs as they grow and committed at most once per
 * `commitInterval` (see CommitPacer); what is left is committed once the interval has passed, when
 * the group rebalances, and on stop.
 */
export class KafkajsConsumerRunner extends RejoiningConsumer {
  private consumer: Consumer | undefined;
  private readonly scheduler: KeyOrderedScheduler<WorkItem>;
  /** Batches with messages not yet in the scheduler, in round-robin order. */
  private readonly unfed = new Deque<BatchCursor>();
  /** Messages in the scheduler (waiting or running), bounded by `window`. */
  private inScheduler = 0;
  private readonly window: number;
  /** Batches being handled, each with the end of its `eachBatch` call. */
  private readonly batches = new Map<BatchProgress, Promise<void>>();
  private readonly pacer: CommitPacer;
  /** Of the current consumer, once it fetched a batch. */
  private commitResolved: CommitResolved | undefined;
  /** Each consumer's `run()` (the join) while under way: see `disconnect`. */
  private readonly joins = new WeakMap<Consumer, Promise<void>>();

  constructor(private readonly options: KafkajsConsumerRunnerOptions) {
    super(options);
    this.scheduler = new KeyOrderedScheduler(options.concurrency, (item) => this.handle(item));
    // Wide enough that messages of other keys can pass a key whose handler is slow.
    this.window = Math.max(64, options.concurrency * 8);
    this.pacer = new CommitPacer(options.settings.kafka.consumer.commitInterval);
  }

  protected async startOnce(): Promise<void> {
    const { topic, fromBeginning, concurrency, consumerConfig } = this.options;
    const consumer = this.options.kafka().consumer(consumerConfig);
    this.consumer = consumer;
    this.commitResolved = undefined;
    const consuming = this.untilConsuming(consumer);
    // kafkajs forgets what it resolved when it rejoins; a group that is rebalancing still takes
    // commits of the current generation. Batches that see the rebalance commit on their own.
    consumer.on(consumer.events.REBALANCING, () => {
      if (this.consumer === consumer) void this.commitNow().catch(() => undefined);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.consumer !== consumer || this.stopping) return;
      this.crashed = true;
      this.abandonBatches();
      this.options.onCrash(payload.error);
    });
    try {
      await consumer.connect();
      this.throwIfStopping();
      await consumer.subscribe({ topics: [topic], fromBeginning });
      this.throwIfStopping();
      const joining = consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        // Batches of different partitions run side by side; the scheduler bounds the handlers.
        partitionsConsumedConcurrently: Math.min(concurrency, 32),
        eachBatch: (payload) => this.eachBatch(payload),
      });
      this.joins.set(
        consumer,
        joining.then(
          () => undefined,
          () => undefined,
        ),
      );
      await joining;
      if (!this.stopping) await consuming;
      // Unsubscribed or closed during the join: the stop disconnects this consumer once the join has
      // ended; the start waits for that too, so it never settles with the consumer still in the group.
      if (this.stopping) {
        await this.forget(consumer, consuming);
        return;
      }
    } catch (error) {
      await this.forget(consumer, consuming);
      throw error;
    }
    this.crashed = false;
  }

  /**
   * After a broker restart the join waits until the broker expires our dead member (one session
   * timeout): kafkajs can neither reuse its member id nor use static membership.
   */
  protected async leaveForRejoin(): Promise<void> {
    const previous = this.consumer;
    this.consumer = undefined;
    this.commitResolved = undefined;
    this.abandonBatches();
    if (previous) await this.disconnect(previous);
  }

  protected isRetriableStartFailure(error: unknown): boolean {
    return isRetriableError(error);
  }

  protected isConnectionError(error: unknown): boolean {
    return isConnectionError(error);
  }

  /**
   * Starts no new message, lets the running ones finish within `timeout` (then aborts them),
   * commits what was handled, leaves the group and disconnects.
   */
  async stop(timeout: number): Promise<void> {
    this.stopping = true;
    for (const batch of this.batches.keys()) batch.halt();
    const consumer = this.consumer;
    this.consumer = undefined;
    const drained = await waitWithTimeout(this.batchesFinished(), timeout);
    if (!drained) {
      this.options.logger.warn(
        { topic: this.topic, group: this.group, timeoutMs: timeout },
        'kafka consumer stopped before its handlers finished',
      );
      this.options.stop.abort();
      this.abandonBatches();
    }
    this.pacer.cancel();
    if (consumer) {
      await this.commitBeforeLeaving();
      await this.disconnect(consumer);
    }
  }

  private eachBatch(payload: EachBatchPayload): Promise<void> {
    if (this.stopping || payload.batch.messages.length === 0) return Promise.resolve();
    const progress = new BatchProgress(payload.batch.messages.length);
    const handled = this.handleBatch(payload, progress).finally(() => {
      this.batches.delete(progress);
      progress.abandon();
    });
    this.batches.set(
      progress,
      handled.catch(() => undefined),
    );
    return handled;
  }

  private async handleBatch(payload: EachBatchPayload, progress: BatchProgress): Promise<void> {
    const { batch } = payload;
    this.commitResolved ??= this.committerOf(payload);
    this.unfed.push({ progress, partition: batch.partition, messages: batch.messages, next: 0 });
    this.feed();

    let resolved = 0;
    let failure: unknown;
    const { heartbeatInterval, kafka } = this.options.settings;
    let haltedAt: number | undefined;
    while (!progress.finished) {
      await progress.waitFinished(heartbeatInterval);
      if (failure === undefined && !progress.finished) {
        try {
          resolved = this.resolve(payload, progress, resolved);
          await this.commitWhenDue();
          // Keeps the membership while handlers run longer than the session timeout.
          await payload.heartbeat();
        } catch (error) {
          failure = error;
          progress.halt();
        }
      }
      haltedAt ??= failure === undefined ? undefined : Date.now();
      // A group that is rebalancing waits for us: give running handlers one session, then rejoin.
      if (haltedAt !== undefined && Date.now() - haltedAt >= kafka.consumer.sessionTimeout)
        progress.abandon();
    }
    this.resolve(payload, progress, resolved);
    if (failure === undefined) {
      await this.commitWhenDue();
      return;
    }
    // Before kafkajs rejoins and forgets what was resolved (a rebalancing group takes the commit).
    await this.commitNow().catch(() => undefined);
    if (!isRebalanceError(failure))
      this.options.logger.warn({ err: failure, topic: this.topic, group: this.group }, 'kafka batch failed');
    // kafkajs rejoins on a rebalance error and retries (then crashes) on others.
    throw failure instanceof Error ? failure : new Error(describeError(failure));
  }

  /** Resolves the batch's handled prefix in kafkajs, if it grew; returns its new length. */
  private resolve(payload: EachBatchPayload, progress: BatchProgress, resolved: number): number {
    const handled = progress.handledPrefix;
    if (handled <= resolved) return resolved;
    payload.resolveOffset(payload.batch.messages[handled - 1]!.offset);
    return handled;
  }

  private committerOf(payload: EachBatchPayload): CommitResolved {
    return async () => {
      const offsets = payload.uncommittedOffsets();
      if (offsets.topics.length === 0) return;
      this.pacer.sent();
      await payload.commitOffsetsIfNecessary(offsets);
    };
  }

  /** Commits now if the interval has passed; otherwise once it has, unless a batch is running then. */
  private async commitWhenDue(): Promise<void> {
    if (this.pacer.due) return this.commitNow();
    this.pacer.later(() => this.commitBetweenBatches());
  }

  private async commitNow(): Promise<void> {
    await this.commitResolved?.();
  }

  /** A running batch commits when it ends; a failed commit leaves the offsets for the next one. */
  private commitBetweenBatches(): void {
    if (this.batches.size > 0 || this.stopping) return;
    this.commitNow().catch((error: unknown) =>
      this.options.logger.debug({ err: error, topic: this.topic, group: this.group }, 'kafka commit failed'),
    );
  }

  /** Bounded: a broker that is gone must not hold up a close. What is not committed is redelivered. */
  private async commitBeforeLeaving(): Promise<void> {
    const context = { topic: this.topic, group: this.group };
    const committed = this.commitNow().catch((error: unknown) =>
      this.options.logger.warn({ err: error, ...context }, 'kafka consumer could not commit on stop'),
    );
    if (!(await waitWithTimeout(committed, this.options.settings.kafka.consumer.sessionTimeout)))
      this.options.logger.warn(context, 'kafka consumer could not commit on stop in time');
  }

  /** Moves fetched messages into the scheduler until the window is full, one per batch in turn. */
  private feed(): void {
    while (this.inScheduler < this.window) {
      const cursor = this.unfed.shift();
      if (cursor === undefined) return;
      // A halted batch's remaining messages are redelivered from the committed offset.
      if (cursor.progress.stopped) continue;
      const index = cursor.next++;
      const message = fromKafkajsMessage(this.topic, cursor.partition, cursor.messages[index]!);
      const key = message.key === undefined ? undefined : `${cursor.partition}\u0000${message.key}`;
      this.inScheduler++;
      this.scheduler.push(key, { progress: cursor.progress, index, message });
      if (cursor.next < cursor.messages.length) this.unfed.push(cursor);
    }
  }

  private async handle({ progress, index, message }: WorkItem): Promise<void> {
    let began = false;
    let handled = false;
    try {
      began = progress.begin(index);
      if (began) handled = (await this.options.pipeline.deliver(message)) !== 'abandoned';
    } finally {
      if (began) progress.finish(index, handled);
      this.inScheduler--;
      this.feed();
    }
  }

  private abandonBatches(): void {
    for (const batch of this.batches.keys()) batch.abandon();
  }

  private async batchesFinished(): Promise<void> {
    while (this.batches.size > 0) await Promise.all(this.batches.values());
  }

  /** Takes a consumer whose start did not finish out of the runner and out of its group. */
  private async forget(consumer: Consumer, consuming: Promise<void>): Promise<void> {
    // Nobody waits for the join any more; how it ends is not news.
    consuming.catch(() => undefined);
    if (this.consumer === consumer) this.consumer = undefined;
    await this.disconnect(consumer);
  }

  private throwIfStopping(): void {
    if (this.stopping) throw this.stoppedWhileJoining();
  }

  private stoppedWhileJoining(): Error {
    return new Error(`consumer of "${this.topic}" (group "${this.group}") stopped while joining`);
  }

  /**
   * Bounded: a consumer whose broker is gone must not hold up a restart or a close.
   *
   * Never while the consumer's `run()` is joining: kafkajs would stop nothing (its runner is not
   * running yet), drop its runner, and the join would go on to start fetching with nothing left to
   * stop it. The disconnect waits for the join to end instead, and still happens if that outlasts
   * the bound.
   */
  private async disconnect(consumer: Consumer): Promise<void> {
    const timeout = this.options.settings.kafka.consumer.sessionTimeout;
    const joined = this.joins.get(consumer) ?? Promise.resolve();
    const done = await waitWithTimeout(
      joined.then(() => consumer.disconnect()).catch(() => undefined),
      timeout,
    );
    if (!done)
      this.options.logger.warn(
        { topic: this.topic, group: this.group },
        'kafka consumer did not disconnect in time',
      );
  }

  private untilConsuming(consumer: Consumer): Promise<void> {
    const limit = this.joinLimit;
    return new Promise((resolve, reject) => {
      let joined = false;
      const removers: (() => void)[] = [];
      const finish = (error?: unknown): void => {
        clearTimeout(timer);
        for (const remove of removers) remove();
        if (error === undefined) resolve();
        else reject(error instanceof Error ? error : new Error(describeError(error)));
      };
      const timer = setTimeout(
        () =>
          finish(
            new Error(`consumer of "${this.topic}" (group "${this.group}") did not join within ${limit} ms`),
          ),
        limit,
      );
      removers.push(
        consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
          joined = true;
          const assigned = Object.values(payload.memberAssignment).some(
            (partitions) => partitions.length > 0,
          );
          if (!assigned) finish();
        }),
        consumer.on(consumer.events.FETCH, () => {
          if (joined) finish();
        }),
        consumer.on(consumer.events.CRASH, ({ payload }) => finish(payload.error)),
        // Disconnected by a stop while joining: nothing left to wait for. (A crash disconnects too,
        // but its own event, with its cause, follows.)
        consumer.on(consumer.events.DISCONNECT, () => {
          if (this.stopping) finish(this.stoppedWhileJoining());
        }),
      );
    });
  }
}
