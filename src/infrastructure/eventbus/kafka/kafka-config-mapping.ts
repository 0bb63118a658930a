import {
  CompressionTypes,
  logLevel,
  Partitioners,
  type ConsumerConfig,
  type KafkaConfig as KafkaJsConfig,
  type logCreator,
  type ProducerConfig,
} from 'kafkajs';
import { ConfigError, type ConfigIssue } from '../config/config-error';
import { type EventBusConfig, type KafkaConfig } from '../config/event-bus.config';
import { type EventBusLogger } from '../logger';
import { subscriptionAwareAssigner } from './kafka-assigner';
import { kafkaSecurityOptions } from './kafka-security';

/** What the publisher batches by; each key maps one seed setting (see `kafkaSettings`). */
export interface KafkaBatching {
  /** Most time the first buffered message waits before a produce request starts (linger). */
  readonly flushFrequency: number;
  /** Most messages in one produce request. */
  readonly flushMessages: number;
  /** Most bytes (values, keys and headers) in one produce request. */
  readonly batchSize: number;
  /** Most messages buffered before `publish` waits for room (backpressure). */
  readonly bufferSize: number;
}

export interface KafkaSendOptions {
  readonly acks: -1 | 0 | 1;
  /** How long the broker may wait for the required acks. */
  readonly timeout: number;
  readonly compression: CompressionTypes;
}

/** The whole `kafka` section translated into kafkajs options and adapter behaviour, checked once at start-up. */
export interface KafkaSettings {
  readonly kafka: KafkaConfig;
  readonly client: KafkaJsConfig;
  readonly producer: ProducerConfig;
  readonly send: KafkaSendOptions;
  readonly batching: KafkaBatching;
  readonly defaultGroup: string;
  readonly fromBeginning: boolean;
  readonly heartbeatInterval: number;
  readonly maxProcessingTime: number;
  readonly healthCheckInterval: number;
  consumer(groupId: string): ConsumerConfig;
}

/** gzip is kafkajs's own; snappy, lz4 and zstd come from kafka-codecs.ts. */
const COMPRESSION: Record<KafkaConfig['producer']['compression'], CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** Extra network time on top of the broker-side ack timeout, so the broker's own answer arrives first. */
const REQUEST_TIMEOUT_MARGIN = 5_000;

/**
 * Maps every seed key of `kafka.*` to kafkajs, or rejects it with a ConfigError naming the key:
 * - brokers, clientId -> client `brokers`, `clientId`
 * - healthCheckInterval -> period of the background broker probe (KafkaHealthProbe)
 * - producer.requiredAcks, compression, timeout -> `sendBatch({ acks, compression, timeout })`;
 *   timeout + 5 s is also the client `requestTimeout`
 * - producer.retryMax -> `retry.retries` of every kafkajs client (producer, consumers, admin)
 * - producer.flushFrequency, flushMessages, batchSize, bufferSize -> the adapter's batching
 * - consumer.groupId -> default `groupId`; autoOffsetReset -> default `fromBeginning`
 * - consumer.sessionTimeout, heartbeatInterval -> the same consumer options (and our heartbeats while handlers run)
 * - consumer.maxProcessingTime -> `rebalanceTimeout` and the per-attempt handler deadline
 * - consumer.fetchMinBytes, fetchMaxBytes, fetchMaxWait -> `minBytes`, `maxBytes`/`maxBytesPerPartition`, `maxWaitTimeInMs`
 * - security.* -> `ssl`, `sasl` (kafka-security.ts); topics.* -> KafkaTopics
 */
export function kafkaSettings(config: EventBusConfig, logger: EventBusLogger): KafkaSettings {
  const kafka = config.kafka;
  if (!kafka) throw new ConfigError([{ key: 'eventbus.kafka', message: 'is required when type is kafka' }]);
  const issues: ConfigIssue[] = [];
  // Object.hasOwn: a config built in code may carry any string here, even "constructor".
  const compression = Object.hasOwn(COMPRESSION, kafka.producer.compression)
    ? COMPRESSION[kafka.producer.compression]
    : undefined;
  if (compression === undefined)
    issues.push({
      key: 'eventbus.kafka.producer.compression',
      message: `must be one of ${Object.keys(COMPRESSION).join(', ')} (got "${String(kafka.producer.compression)}")`,
    });
  if (kafka.consumer.fetchMinBytes > kafka.consumer.fetchMaxBytes)
    issues.push({
      key: 'eventbus.kafka.consumer.fetchMinBytes',
      message: `must not exceed fetchMaxBytes (${kafka.consumer.fetchMinBytes} > ${kafka.consumer.fetchMaxBytes})`,
    });
  if (kafka.consumer.sessionTimeout > kafka.consumer.maxProcessingTime)
    issues.push({
      key: 'eventbus.kafka.consumer.maxProcessingTime',
      message: `must be at least sessionTimeout: it is the group's rebalance timeout (${kafka.consumer.maxProcessingTime} < ${kafka.consumer.sessionTimeout} ms)`,
    });
  let security: ReturnType<typeof kafkaSecurityOptions> = {};
  try {
    security = kafkaSecurityOptions(kafka.security);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const retry = { retries: kafka.producer.retryMax };
  const { consumer } = kafka;
  return {
    kafka,
    client: {
      clientId: kafka.clientId,
      brokers: [...kafka.brokers],
      ...security,
      requestTimeout: kafka.producer.timeout + REQUEST_TIMEOUT_MARGIN,
      retry,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(logger),
    },
    producer: {
      // Topics are created (or checked) by the adapter per kafka.topics, never implicitly by the broker.
      allowAutoTopicCreation: false,
      // murmur2 like the Java client, so a key lands on the same partition from any client.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry,
    },
    send: { acks: kafka.producer.requiredAcks, timeout: kafka.producer.timeout, compression: compression! },
    batching: {
      flushFrequency: kafka.producer.flushFrequency,
      flushMessages: kafka.producer.flushMessages,
      batchSize: kafka.producer.batchSize,
      bufferSize: kafka.producer.bufferSize,
    },
    defaultGroup: consumer.groupId,
    fromBeginning: consumer.autoOffsetReset === 'earliest',
    heartbeatInterval: consumer.heartbeatInterval,
    maxProcessingTime: consumer.maxProcessingTime,
    healthCheckInterval: kafka.healthCheckInterval,
    consumer: (groupId) => ({
      groupId,
      sessionTimeout: consumer.sessionTimeout,
      heartbeatInterval: consumer.heartbeatInterval,
      // Like Java's max.poll.interval.ms: how long the group waits for a busy member to rejoin.
      rebalanceTimeout: consumer.maxProcessingTime,
      minBytes: consumer.fetchMinBytes,
      maxBytes: consumer.fetchMaxBytes,
      maxBytesPerPartition: consumer.fetchMaxBytes,
      maxWaitTimeInMs: consumer.fetchMaxWait,
      allowAutoTopicCreation: false,
      partitionAssigners: [subscriptionAwareAssigner],
      // The adapter restarts crashed consumers itself (kafka-reconnect.ts), with one backoff for all.
      retry: { ...retry, restartOnFailure: () => Promise.resolve(false) },
    }),
  };
}

/** kafkajs logs through the bus logger; its ERROR lines are mostly transient (rebalances), so they become warnings. */
function kafkaLogCreator(logger: EventBusLogger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message } = log;
      const entry: Record<string, unknown> = { ...log, component: `kafkajs.${namespace}` };
      delete entry.message;
      delete entry.timestamp;
      if (level <= logLevel.WARN) logger.warn(entry, message);
      else if (level === logLevel.INFO) logger.info(entry, message);
      else logger.debug(entry, message);
    };
}
