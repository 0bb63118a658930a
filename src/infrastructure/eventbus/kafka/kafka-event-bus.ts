import { type EventBusConfig } from '../config/event-bus.config';
import { DeliveryPipeline } from '../delivery/delivery-pipeline';
import { createStopController } from '../delivery/stop-signal';
import { describeError } from '../describe-error';
import {
  EventBusClosedError,
  HealthCheckFailedError,
  InvalidSubscriptionError,
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
import { assertValidHeaders, assertValidTopic, toMessageBytes } from '../message-validation';
import { EventBusMetrics } from '../metrics/event-bus-metrics';
import { type ConnectionSeries, type PublishSeries } from '../metrics/series';
import { ConfigError } from '../config/config-error';
import { resolveSubscribeOptions } from '../subscription-options';
import { kafkaSettings, type KafkaSettings } from './kafka-config-mapping';
import { describeKafkaConnectFailure } from './kafka-connect-failure';
import { type KafkaDriver, type KafkaSubscriber } from './kafka-driver';
import { kafkaEnvelope } from './kafka-envelope';
import { KafkaConnectionError } from './kafka-errors';
import { KafkaHealthMonitor } from './kafka-health';
import { messageBytes } from './kafka-message';
import { KafkaPublisher } from './kafka-publisher';
import { KafkajsDriver } from './kafkajs/kafkajs-driver';
import { PlatformaticDriver } from './platformatic/platformatic-driver';
import { KafkaReconnector } from './kafka-reconnect';
import { KafkaTopics } from './kafka-topics';
import { BusTracing } from '../tracing/bus-tracing';

/**
 * The bus on Apache Kafka, over a driver for the client library (kafkajs by default). Publishes are
 * batched and resolve on the broker's ack; each subscription is a consumer in its group that
 * commits only the contiguous prefix of handled messages. Lost connections and crashed consumers
 * are restarted by KafkaReconnector.
 */
export class KafkaEventBus implements EventBus {
  readonly kind = 'kafka' as const;
  private readonly runners = new Set<KafkaSubscriber>();
  /** Subscribes under way: a close waits for them, so none joins a group after it. */
  private readonly subscribing = new Set<Promise<Subscription>>();
  private readonly publishSeries = new Map<string, PublishSeries>();
  private readonly connection: ConnectionSeries;
  private readonly publisher: KafkaPublisher;
  private readonly monitor: KafkaHealthMonitor;
  private readonly reconnector: KafkaReconnector;
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly config: EventBusConfig,
    private readonly settings: KafkaSettings,
    private readonly driver: KafkaDriver,
    private readonly topics: KafkaTopics,
    private readonly metrics: EventBusMetrics,
    private readonly logger: EventBusLogger,
    private readonly tracing: BusTracing,
  ) {
    this.connection = metrics.connection(this.kind);
    this.connection.healthy = 1;
    this.publisher = new KafkaPublisher(
      (records) => driver.send(records),
      settings.batching,
      (error) => {
        if (driver.isConnectionError(error)) this.reconnector.reportFailure(error, 'producer');
      },
    );
    this.reconnector = new KafkaReconnector(
      { probe: () => driver.probe(this.config.healthCheck.timeout), restart: () => this.restart() },
      this.connection,
      logger,
    );
    this.monitor = new KafkaHealthMonitor(() => this.checkBroker(), settings.healthCheckInterval);
    this.monitor.start();
  }

  /**
   * Checks the Kafka settings (a ConfigError names each unsupported key), connects the producer and
   * the topic admin, and resolves with a bus ready to publish. Authentication and TLS failures
   * reject here with a KafkaConnectionError that says so.
   */
  static async connect(
    config: EventBusConfig,
    dependencies: EventBusDependencies = {},
  ): Promise<KafkaEventBus> {
    const logger = dependencies.logger ?? silentLogger;
    const settings = kafkaSettings(config);
    let driver: KafkaDriver;
    try {
      driver =
        settings.kafka.client === 'platformatic'
          ? await PlatformaticDriver.connect(settings, logger)
          : await KafkajsDriver.connect(settings, logger);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw connectionError(settings, error);
    }
    const metrics = dependencies.metrics ?? EventBusMetrics.forDefaultRegistry();
    return new KafkaEventBus(
      config,
      settings,
      driver,
      new KafkaTopics(driver, settings.kafka.topics),
      metrics,
      logger,
      BusTracing.create(config.tracing, 'kafka', dependencies.tracer),
    );
  }

  publish(topic: string, message: MessagePayload, options: PublishOptions = {}): Promise<void> {
    let payload: Uint8Array;
    let headers: MessageHeaders;
    try {
      if (this.closed) throw new EventBusClosedError('publish');
      assertValidTopic(topic);
      assertValidHeaders(topic, options.headers);
      if (options.signal?.aborted) throw new PublishAbortedError(topic);
      payload = toMessageBytes(topic, message, this.config.publisher.maxMessageBytes);
      headers = kafkaEnvelope(options.headers, options.messageId ?? nextMessageId());
    } catch (error) {
      return this.publishFailed(topic, error);
    }
    // Not async on the hot path: a known topic goes straight to the publisher (whose failures it counts).
    if (this.topics.has(topic)) return this.send(topic, payload, options.key, headers, options.signal);
    return this.topics.ensure(topic).then(
      () => this.send(topic, payload, options.key, headers, options.signal),
      (error: unknown) => this.publishFailed(topic, error),
    );
  }

  async subscribe(
    topic: string,
    handler: MessageHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    if (this.closed) throw new EventBusClosedError('subscribe');
    assertValidTopic(topic);
    const { group, concurrency } = resolveSubscribeOptions(
      handler,
      options,
      this.config,
      this.settings.defaultGroup,
    );
    const startFrom = options.startFrom;
    if (startFrom !== undefined && startFrom !== 'earliest' && startFrom !== 'latest')
      throw new InvalidSubscriptionError(
        `startFrom must be "earliest" or "latest", got ${String(startFrom)}`,
      );
    const subscribing = this.startSubscription(topic, handler, group, concurrency, startFrom);
    this.subscribing.add(subscribing);
    try {
      return await subscribing;
    } finally {
      this.subscribing.delete(subscribing);
    }
  }

  private async startSubscription(
    topic: string,
    handler: MessageHandler,
    group: string,
    concurrency: number,
    startFrom: 'earliest' | 'latest' | undefined,
  ): Promise<Subscription> {
    await this.topics.ensure(topic);
    // Closed meanwhile: a consumer started now would outlive the close.
    if (this.closed) throw new EventBusClosedError('subscribe');

    const stop = createStopController();
    const pipeline = new DeliveryPipeline({
      topic,
      group,
      handler,
      attemptTimeout: {
        ms: this.settings.maxProcessingTime,
        setting: 'eventbus.kafka.consumer.maxProcessingTime',
      },
      retry: this.config.retry,
      deadLetter: this.config.deadLetter,
      tracing: this.tracing,
      series: this.metrics.consume(this.kind, topic, group),
      signal: stop.signal,
      publishDeadLetter: async (deadLetterTopic, payload, { key, headers }) => {
        await this.topics.ensure(deadLetterTopic);
        await this.send(deadLetterTopic, payload, key, headers, undefined);
      },
      onHandlerError: (error, context) =>
        this.logger.warn({ err: error, topic, group, attempt: context.attempt }, 'event handler failed'),
    });
    const runner = this.driver.subscriber({
      topic,
      group,
      fromBeginning: startFrom === undefined ? this.settings.fromBeginning : startFrom === 'earliest',
      concurrency,
      pipeline,
      stop,
      logger: this.logger,
      onCrash: (error) => this.reconnector.reportFailure(error, `consumer of "${topic}" (group "${group}")`),
    });
    // In the set while starting, so a close() meanwhile stops it too.
    this.runners.add(runner);
    try {
      await runner.start();
    } catch (error) {
      this.runners.delete(runner);
      // A close stops consumers that are still joining: say so rather than how the join ended.
      if (this.closed) throw new EventBusClosedError('subscribe');
      throw error;
    }
    if (this.closed) {
      await runner.stop(this.config.shutdownTimeout);
      throw new EventBusClosedError('subscribe');
    }

    let leaving: Promise<void> | undefined;
    const unsubscribe = (): Promise<void> =>
      (leaving ??= (async () => {
        this.runners.delete(runner);
        await runner.stop(this.config.shutdownTimeout);
      })());
    return { topic, group, unsubscribe };
  }

  async healthCheck(options: HealthCheckOptions = {}): Promise<void> {
    this.connection.lastHealthCheck = Date.now() / 1000;
    try {
      if (this.closing) throw new HealthCheckFailedError('the event bus is closed');
      if (options.signal?.aborted) throw new HealthCheckFailedError('the health check was aborted');
      const outage = this.reconnector.outage;
      if (outage) throw new HealthCheckFailedError(`kafka is unreachable, reconnecting (${outage})`);
      for (const runner of this.runners) {
        if (runner.running) continue;
        const consumer = `the consumer of "${runner.topic}" (group "${runner.group}")`;
        // Rejoining after a broker restart is like a rebalance, unless it takes longer than a join may.
        const rejoiningFor = runner.rejoiningFor;
        if (rejoiningFor === undefined) throw new HealthCheckFailedError(`${consumer} is not running`);
        if (rejoiningFor > runner.joinLimit)
          throw new HealthCheckFailedError(
            `${consumer} has been rejoining its group for ${Math.round(rejoiningFor / 1000)} s`,
          );
      }
      try {
        await this.driver.probe(options.timeout ?? this.config.healthCheck.timeout, options.signal);
      } catch (error) {
        if (!options.signal?.aborted) this.reconnector.reportFailure(error, 'health check');
        throw new HealthCheckFailedError(`kafka broker unreachable: ${describeError(error)}`, {
          cause: error,
        });
      }
      this.connection.healthy = 1;
    } catch (error) {
      this.connection.healthy = 0;
      throw error;
    }
  }

  /** Never: the reconnector probes and restarts until the broker is back, however long it takes. */
  unrecoverableReason(): string | undefined {
    return undefined;
  }

  registerReconnectCallback(callback: ReconnectCallback): void {
    if (typeof callback !== 'function') throw new TypeError('reconnect callback must be a function');
    this.reconnector.register(callback);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** Flushes publishes, drains and commits every consumer, flushes their dead letters, disconnects. */
  private async shutdown(): Promise<void> {
    this.closed = true;
    this.monitor.stop();
    this.reconnector.close();
    await this.flushPublishes();
    await Promise.all([...this.runners].map((runner) => runner.stop(this.config.shutdownTimeout)));
    await Promise.allSettled([...this.subscribing]);
    this.runners.clear();
    await this.flushPublishes();
    await this.driver.close();
  }

  /**
   * Every publish accepted so far acknowledged or failed, those still waiting for their topic to be
   * created included: each goes to the publisher as soon as its topic is ready, before this flush.
   */
  private async flushPublishes(): Promise<void> {
    await this.topics.idle();
    await this.publisher.flush();
  }

  private send(
    topic: string,
    payload: Uint8Array,
    key: string | undefined,
    headers: MessageHeaders,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    return this.publisher.publish(
      { topic, key, value: payload, headers },
      messageBytes(payload, key, headers),
      this.seriesFor(topic),
      signal,
    );
  }

  /** The background probe (every kafka.healthCheckInterval): reports a lost broker while nothing else would. */
  private async checkBroker(): Promise<void> {
    if (this.closed || this.reconnector.outage) return;
    try {
      await this.driver.probe(this.config.healthCheck.timeout);
    } catch (error) {
      this.reconnector.reportFailure(error, 'broker probe');
    }
  }

  /**
   * Reconnect step: fresh publishing connections, then every crashed consumer restarted in the
   * background, since its join may wait out a session timeout: the bus publishes meanwhile.
   */
  private async restart(): Promise<void> {
    await this.driver.reconnect();
    if (this.closed) return;
    for (const runner of this.runners) if (!runner.running) void this.rejoin(runner);
  }

  /** A crashed consumer back into its group; a failed rejoin goes to the reconnector, which retries. */
  private async rejoin(runner: KafkaSubscriber): Promise<void> {
    try {
      await runner.restart();
    } catch (error) {
      if (this.runners.has(runner))
        this.reconnector.reportFailure(error, `consumer of "${runner.topic}" (group "${runner.group}")`);
    }
  }

  private publishFailed(topic: unknown, error: unknown): Promise<never> {
    if (typeof topic === 'string') this.seriesFor(topic).errors++;
    return Promise.reject(error instanceof Error ? error : new Error(describeError(error)));
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

function connectionError(settings: KafkaSettings, error: unknown): KafkaConnectionError {
  const { brokers, security } = settings.kafka;
  return new KafkaConnectionError(describeKafkaConnectFailure(error, brokers.join(','), security), {
    cause: error,
  });
}
