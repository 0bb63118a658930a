import { type EventBusConfig } from '../config/event-bus.config';
import { type EventBusDependencies } from '../dependencies';
import { DeliveryPipeline } from '../delivery/delivery-pipeline';
import { GroupMember } from '../delivery/group-member';
import { createStopController } from '../delivery/stop-signal';
import { type InboundMessage } from '../delivery/inbound-message';
import { withEnvelope } from '../envelope';
import { EventBusClosedError, HealthCheckFailedError, PublishAbortedError } from '../errors';
import {
  type EventBus,
  type HealthCheckOptions,
  type MessageHandler,
  type MessageHeaders,
  type MessagePayload,
  type PublishOptions,
  type ReconnectCallback,
  type SubscribeOptions,
  type Subscription,
} from '../event-bus';
import { type EventBusLogger, silentLogger } from '../logger';
import { nextMessageId } from '../message-id';
import { assertValidHeaders, assertValidTopic, toMessageBytes } from '../message-validation';
import { EventBusMetrics } from '../metrics/event-bus-metrics';
import { type PublishSeries } from '../metrics/series';
import { resolveSubscribeOptions, waitWithTimeout } from '../subscription-options';
import { MemoryConsumerGroup } from './memory-consumer-group';
import { BusTracing } from '../tracing/bus-tracing';

/** Read once: Node's `performance.timeOrigin` getter checks its receiver on every read. */
const TIME_ORIGIN = performance.timeOrigin;

/**
 * In-process backend with the full contract (groups, retries, dead-letter, per-key order, draining
 * close). Publish resolves once the message is queued for every group of the topic. Nothing
 * survives the process, and a group with no member holds no messages.
 */
export class MemoryEventBus implements EventBus {
  readonly kind = 'memory' as const;
  private readonly topics = new Map<string, Map<string, MemoryConsumerGroup>>();
  private readonly publishSeries = new Map<string, PublishSeries>();
  private readonly metrics: EventBusMetrics;
  private readonly logger: EventBusLogger;
  private readonly tracing: BusTracing;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly config: EventBusConfig,
    dependencies: EventBusDependencies = {},
  ) {
    this.metrics = dependencies.metrics ?? EventBusMetrics.forDefaultRegistry();
    this.logger = dependencies.logger ?? silentLogger;
    this.tracing = BusTracing.create(config.tracing, this.kind, dependencies.tracer);
  }

  async publish(topic: string, message: MessagePayload, options: PublishOptions = {}): Promise<void> {
    try {
      if (this.closing) throw new EventBusClosedError('publish');
      assertValidTopic(topic);
      assertValidHeaders(topic, options.headers);
      if (options.signal?.aborted) throw new PublishAbortedError(topic);
      // The bytes are shared, not copied (as the contract documents): copying halves throughput.
      const payload = toMessageBytes(topic, message, this.config.publisher.maxMessageBytes);
      const messageId = options.messageId ?? nextMessageId();
      // One clock read gives the envelope's time and the publish duration's start.
      const started = performance.now();
      const headers = withEnvelope(options.headers, messageId, TIME_ORIGIN + started);
      this.dispatch(topic, payload, options.key, headers, messageId, started);
    } catch (error) {
      if (typeof topic === 'string') this.seriesFor(topic).errors++;
      throw error;
    }
  }

  async subscribe(
    topic: string,
    handler: MessageHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    if (this.closing) throw new EventBusClosedError('subscribe');
    assertValidTopic(topic);
    const defaultGroup = this.config.memory.groupId;
    const { group, concurrency } = resolveSubscribeOptions(handler, options, this.config, defaultGroup);
    return this.join(topic, group, concurrency, handler);
  }

  healthCheck(options: HealthCheckOptions = {}): Promise<void> {
    const connection = this.metrics.connection(this.kind);
    connection.lastHealthCheck = Date.now() / 1000;
    const healthy = !this.closing && !options.signal?.aborted;
    connection.healthy = healthy ? 1 : 0;
    if (healthy) return Promise.resolve();
    return Promise.reject(
      new HealthCheckFailedError(this.closing ? 'the event bus is closed' : 'the health check was aborted'),
    );
  }

  unrecoverableReason(): string | undefined {
    return undefined;
  }

  registerReconnectCallback(callback: ReconnectCallback): void {
    if (typeof callback !== 'function') throw new TypeError('reconnect callback must be a function');
    // An in-process bus never loses its connection, so there is nothing to call back.
  }

  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  /** Lets queued and in-flight messages finish (dead-letters included) within the shutdown timeout. */
  private async drain(): Promise<void> {
    const finished = await waitWithTimeout(this.allGroupsIdle(), this.config.shutdownTimeout);
    if (!finished) {
      this.logger.warn(
        { timeoutMs: this.config.shutdownTimeout },
        'event bus closed before handlers finished',
      );
    }
    for (const group of this.groups()) group.abortMembers();
    this.topics.clear();
  }

  private async allGroupsIdle(): Promise<void> {
    // Repeat: a dead-letter published while draining queues new work on another group.
    for (;;) {
      const busy = this.groups().filter((group) => !group.isIdle);
      if (busy.length === 0) return;
      await Promise.all(busy.map((group) => group.onIdle()));
    }
  }

  private dispatch(
    topic: string,
    payload: Uint8Array,
    key: string | undefined,
    headers: MessageHeaders,
    messageId: string,
    started = performance.now(),
  ): void {
    const series = this.seriesFor(topic);
    const groups = this.topics.get(topic);
    if (groups) {
      const message: InboundMessage = { payload, key, headers, messageId };
      for (const group of groups.values()) group.enqueue(message);
    }
    series.published++;
    series.duration.observe((performance.now() - started) / 1000);
  }

  private join(topic: string, groupName: string, concurrency: number, handler: MessageHandler): Subscription {
    let groups = this.topics.get(topic);
    if (!groups) this.topics.set(topic, (groups = new Map<string, MemoryConsumerGroup>()));
    let group = groups.get(groupName);
    if (!group) groups.set(groupName, (group = new MemoryConsumerGroup(groupName)));

    const abort = createStopController();
    const pipeline = new DeliveryPipeline({
      topic,
      group: groupName,
      handler,
      retry: this.config.retry,
      deadLetter: this.config.deadLetter,
      tracing: this.tracing,
      series: this.metrics.consume(this.kind, topic, groupName),
      signal: abort.signal,
      publishDeadLetter: (deadLetterTopic, payload, { key, headers }) => {
        this.dispatch(deadLetterTopic, payload, key, headers, nextMessageId());
        return Promise.resolve();
      },
      onHandlerError: (error, context) =>
        this.logger.warn(
          { err: error, topic, group: groupName, attempt: context.attempt },
          'event handler failed',
        ),
    });
    const member = new GroupMember(pipeline, concurrency, abort);
    group.join(member);

    let leaving: Promise<void> | undefined;
    const unsubscribe = (): Promise<void> =>
      (leaving ??= (async () => {
        group.leave(member);
        if (group.isEmpty && groups.get(groupName) === group) groups.delete(groupName);
        if (!(await waitWithTimeout(member.onIdle(), this.config.shutdownTimeout))) abort.abort();
      })());
    return { topic, group: groupName, unsubscribe };
  }

  private groups(): MemoryConsumerGroup[] {
    return [...this.topics.values()].flatMap((groups) => [...groups.values()]);
  }

  private seriesFor(topic: string): PublishSeries {
    let series = this.publishSeries.get(topic);
    if (!series) {
      series = this.metrics.publish(this.kind, topic);
      this.publishSeries.set(topic, series);
    }
    return series;
  }
}
