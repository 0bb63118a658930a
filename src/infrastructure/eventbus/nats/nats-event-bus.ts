import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { ConfigError } from '../config/config-error';
import { type EventBusConfig, type NatsConfig } from '../config/event-bus.config';
import { DeadLetterHeader, EnvelopeHeader } from '../constants';
import { DeliveryPipeline } from '../delivery/delivery-pipeline';
import { createStopController } from '../delivery/stop-signal';
import { describeError } from '../describe-error';
import {
  EventBusClosedError,
  HealthCheckFailedError,
  InvalidMessageError,
  InvalidSubscriptionError,
  MessageTooLargeError,
  PublishAbortedError,
} from '../errors';
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
import { type EventBusDependencies } from '../dependencies';
import { nextMessageId } from '../message-id';
import { assertValidHeaders, assertValidTopic, hasLineBreak, toMessageBytes } from '../message-validation';
import { EventBusMetrics } from '../metrics/event-bus-metrics';
import { type PublishSeries } from '../metrics/series';
import { resolveSubscribeOptions, waitWithTimeout } from '../subscription-options';
import { NatsConnection, redactedUrls } from './nats-connection';
import { NatsConsumerGroup } from './nats-consumer-group';
import { NatsConnectionError } from './nats-errors';
import { GroupMember } from '../delivery/group-member';
import { deadLetterHeaders, publishHeaders } from './nats-message-codec';
import { assertNatsSubject } from './nats-names';
import { NatsPublisher, type NatsPublishRequest } from './nats-publisher';
import { NatsTopology } from './nats-topology';
import { BusTracing } from '../tracing/bus-tracing';

/**
 * NATS JetStream backend: one stream per topic (the topic is the subject), one durable pull consumer
 * per topic and group, publish resolved by the PubAck and de-duplicated by message id. The consumer
 * semantics (retries, dead-letter, per-key order, metrics) are the shared DeliveryPipeline and
 * KeyOrderedScheduler; this class maps them onto JetStream acks. Build it with `NatsEventBus.connect`.
 */
export class NatsEventBus implements EventBus {
  readonly kind = 'nats' as const;
  private readonly groups = new Map<string, Promise<NatsConsumerGroup>>();
  /** The started group behind each entry of `groups`. */
  private readonly started = new Map<string, NatsConsumerGroup>();
  private readonly publishSeries = new Map<string, PublishSeries>();
  private readonly healthTimer: NodeJS.Timeout;
  private lastHealthy = true;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly config: EventBusConfig,
    private readonly nats: NatsConfig,
    private readonly connection: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly topology: NatsTopology,
    private readonly publisher: NatsPublisher,
    private readonly metrics: EventBusMetrics,
    private readonly logger: EventBusLogger,
    private readonly tracing: BusTracing,
  ) {
    // A restarted server may have lost memory-storage streams: check each topic again on next use.
    connection.onReconnect(() => {
      topology.forget();
      // Pull requests did not survive the old connection; fetchers backing off start again at once.
      for (const group of this.started.values()) group.resume();
    });
    // The seed's nats.healthCheckInterval: the bus checks itself, keeping the health metrics current.
    this.healthTimer = setInterval(() => void this.selfCheck(), nats.healthCheckInterval).unref();
  }

  /** Connects (trying every URL), checks that JetStream answers, and returns a bus ready to publish. */
  static async connect(
    config: EventBusConfig,
    dependencies: EventBusDependencies = {},
  ): Promise<NatsEventBus> {
    const nats = config.nats;
    if (!nats) throw new ConfigError([{ key: 'eventbus.nats', message: 'is required when type is nats' }]);
    const metrics = dependencies.metrics ?? EventBusMetrics.forDefaultRegistry();
    const logger = dependencies.logger ?? silentLogger;
    if (nats.clusterId !== undefined) {
      logger.warn(
        { clusterId: nats.clusterId },
        'eventbus.nats.clusterId is ignored: it belonged to NATS Streaming; JetStream has no cluster id',
      );
    }
    const connection = await NatsConnection.open(nats, metrics.connection('nats'), logger);
    let jsm: JetStreamManager;
    try {
      // Asks the server for the account's JetStream info: fails fast when JetStream is off.
      jsm = await jetstreamManager(connection.client, { timeout: nats.connectionTimeout });
    } catch (error) {
      metrics.connection('nats').connectionErrors++;
      await connection.close(config.shutdownTimeout);
      throw new NatsConnectionError(
        `JetStream is not available at ${redactedUrls(nats)} (start nats-server with -js): ${describeError(error)}`,
        { cause: error },
      );
    }
    const topology = new NatsTopology(jsm, nats.jetstream, logger);
    const publisher = new NatsPublisher(
      connection.client,
      topology,
      nats.connectionTimeout,
      Math.max(nats.reconnectWait, 100),
    );
    return new NatsEventBus(
      config,
      nats,
      connection,
      jsm,
      topology,
      publisher,
      metrics,
      logger,
      BusTracing.create(config.tracing, 'nats', dependencies.tracer),
    );
  }

  publish(topic: string, message: MessagePayload, options: PublishOptions = {}): Promise<void> {
    let request: NatsPublishRequest;
    try {
      if (this.closing) throw new EventBusClosedError('publish');
      assertValidTopic(topic);
      assertNatsSubject(topic);
      assertValidHeaders(topic, options.headers);
      if (options.signal?.aborted) throw new PublishAbortedError(topic);
      const payload = this.toPayload(topic, message);
      let messageId = options.messageId;
      if (messageId === undefined) messageId = nextMessageId();
      else assertMessageId(topic, messageId);
      const headers = publishHeaders(topic, options.headers, options.key, messageId);
      request = { topic, payload, headers, signal: options.signal };
    } catch (error) {
      if (typeof topic === 'string') this.seriesFor(topic).errors++;
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.publisher.publish(request, this.seriesFor(topic));
  }

  async subscribe(
    topic: string,
    handler: MessageHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    if (this.closing) throw new EventBusClosedError('subscribe');
    assertValidTopic(topic);
    assertNatsSubject(topic);
    const { group, concurrency } = resolveSubscribeOptions(
      handler,
      options,
      this.config,
      this.nats.durableName,
    );
    const startFrom = options.startFrom ?? 'earliest';
    if (startFrom !== 'earliest' && startFrom !== 'latest') {
      throw new InvalidSubscriptionError(
        `startFrom must be "earliest" or "latest", got ${String(startFrom)}`,
      );
    }
    const key = `${topic}\u0000${group}`;
    let consumerGroup = await this.groupFor(key, topic, group, startFrom);
    // Its last member left while we waited: that group is stopping, start a new one.
    while (consumerGroup.isStopping && !this.closing) {
      consumerGroup = await this.groupFor(key, topic, group, startFrom);
    }
    if (this.closing) throw new EventBusClosedError('subscribe');

    const abort = createStopController();
    const member = new GroupMember(this.pipelineFor(topic, group, handler, abort.signal), concurrency, abort);
    consumerGroup.join(member);

    let leaving: Promise<void> | undefined;
    const unsubscribe = (): Promise<void> =>
      (leaving ??= (async () => {
        consumerGroup.leave(member);
        if (consumerGroup.isEmpty) {
          if (this.started.get(key) === consumerGroup) {
            this.started.delete(key);
            this.groups.delete(key);
          }
          await consumerGroup.stop(this.config.shutdownTimeout);
        } else if (!(await waitWithTimeout(member.onIdle(), this.config.shutdownTimeout))) {
          abort.abort();
        }
      })());
    return { topic, group, unsubscribe };
  }

  async healthCheck(options: HealthCheckOptions = {}): Promise<void> {
    const series = this.metrics.connection(this.kind);
    series.lastHealthCheck = Date.now() / 1000;
    try {
      if (this.closing) throw new Error('the event bus is closed');
      if (options.signal?.aborted) throw new Error('the health check was aborted');
      this.connection.assertUsable();
      await this.jetStreamRoundTrip(options.timeout ?? this.config.healthCheck.timeout, options.signal);
      series.healthy = 1;
    } catch (error) {
      series.healthy = 0;
      throw new HealthCheckFailedError(error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
  }

  unrecoverableReason(): string | undefined {
    return this.connection.unrecoverableReason;
  }

  registerReconnectCallback(callback: ReconnectCallback): void {
    if (typeof callback !== 'function') throw new TypeError('reconnect callback must be a function');
    this.connection.onReconnect(callback);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /**
   * Stops pulling, lets in-flight handlers finish (nak'ing what did not start, so another instance
   * gets it), waits for pending publishes (dead letters included), then drains the connection so the
   * last acks reach the server. Each wait is bounded by `shutdownTimeout`.
   */
  private async shutdown(): Promise<void> {
    clearInterval(this.healthTimer);
    const timeout = this.config.shutdownTimeout;
    const groups = await Promise.allSettled([...this.groups.values()]);
    this.groups.clear();
    this.started.clear();
    await Promise.all(
      groups.map((result) =>
        result.status === 'fulfilled' ? result.value.stop(timeout) : Promise.resolve(),
      ),
    );
    if (!(await waitWithTimeout(this.publisher.onIdle(), timeout))) {
      this.logger.warn({ timeoutMs: timeout }, 'event bus closed before pending publishes were acknowledged');
      this.publisher.abortRetries();
    }
    this.publisher.close();
    await this.connection.close(timeout);
  }

  private groupFor(
    key: string,
    topic: string,
    group: string,
    startFrom: 'earliest' | 'latest',
  ): Promise<NatsConsumerGroup> {
    let pending = this.groups.get(key);
    if (!pending) {
      pending = this.startGroup(topic, group, startFrom);
      this.groups.set(key, pending);
      void pending.then(
        (started) => this.started.set(key, started),
        () => {
          if (this.groups.get(key) === pending) this.groups.delete(key);
        },
      );
    }
    return pending;
  }

  private async startGroup(
    topic: string,
    group: string,
    startFrom: 'earliest' | 'latest',
  ): Promise<NatsConsumerGroup> {
    const info = await this.topology.ensureConsumer(topic, group, startFrom);
    const consumerGroup = new NatsConsumerGroup({
      topic,
      group,
      connection: this.connection.client,
      stream: info.stream_name,
      consumer: info.name,
      ackWait: info.config.ack_wait
        ? Math.max(1, Math.floor(info.config.ack_wait / 1_000_000))
        : this.nats.jetstream.ackWait,
      prefetchMultiplier: this.nats.prefetchMultiplier,
      maxAckPending: info.config.max_ack_pending ?? this.nats.jetstream.maxAckPending,
      maxAttempts: this.config.retry.maxAttempts,
      logger: this.logger,
      recreate: async () => {
        this.topology.forget(topic);
        await this.topology.ensureConsumer(topic, group, startFrom);
      },
    });
    return consumerGroup;
  }

  private pipelineFor(
    topic: string,
    group: string,
    handler: MessageHandler,
    signal: AbortSignal,
  ): DeliveryPipeline {
    return new DeliveryPipeline({
      topic,
      group,
      handler,
      retry: this.config.retry,
      deadLetter: this.config.deadLetter,
      tracing: this.tracing,
      series: this.metrics.consume(this.kind, topic, group),
      signal,
      publishDeadLetter: (deadLetterTopic, payload, { key, headers }) =>
        this.publishDeadLetter(deadLetterTopic, payload, key, headers),
      onHandlerError: (error, context) =>
        this.logger.warn({ err: error, topic, group, attempt: context.attempt }, 'event handler failed'),
    });
  }

  /**
   * Bypasses the closed check: a bus that is draining still dead-letters. The message id is derived
   * from the original's, so a group that dead-letters the same message twice stores it once.
   */
  private async publishDeadLetter(
    topic: string,
    payload: Uint8Array,
    key: string | undefined,
    headers: MessageHeaders,
  ): Promise<void> {
    const original = headers[EnvelopeHeader.id] ?? nextMessageId();
    const messageId = `${original}:dlq:${headers[DeadLetterHeader.group] ?? ''}`;
    const natsHeaders = deadLetterHeaders(topic, headers, key, messageId);
    await this.publisher.publish(
      { topic, payload, headers: natsHeaders, signal: undefined },
      this.seriesFor(topic),
    );
  }

  private toPayload(topic: string, message: MessagePayload): Uint8Array {
    const payload = toMessageBytes(topic, message, this.config.publisher.maxMessageBytes);
    const serverLimit = this.connection.client.info?.max_payload;
    if (serverLimit !== undefined && payload.byteLength > serverLimit) {
      throw new MessageTooLargeError(topic, payload.byteLength, serverLimit);
    }
    return payload;
  }

  private async jetStreamRoundTrip(timeout: number, signal: AbortSignal | undefined): Promise<void> {
    const request = this.jsm.getAccountInfo();
    const aborted = signal
      ? new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('the health check was aborted')), {
            once: true,
          }),
        )
      : undefined;
    const answered = waitWithTimeout(aborted ? Promise.race([request, aborted]) : request, timeout);
    if (!(await answered)) throw new Error(`JetStream did not answer within ${timeout} ms`);
  }

  private async selfCheck(): Promise<void> {
    try {
      await this.healthCheck();
      if (!this.lastHealthy) this.logger.info({}, 'NATS event bus healthy again');
      this.lastHealthy = true;
    } catch (error) {
      if (this.lastHealthy) this.logger.warn({ err: error }, 'NATS event bus unhealthy');
      this.lastHealthy = false;
    }
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

function assertMessageId(topic: string, messageId: unknown): void {
  if (typeof messageId !== 'string' || messageId.length === 0 || hasLineBreak(messageId)) {
    throw new InvalidMessageError(
      `messageId for topic "${topic}" must be a non-empty string without line breaks`,
    );
  }
}
