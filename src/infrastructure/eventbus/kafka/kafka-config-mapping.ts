import { ConfigError, type ConfigIssue } from '../config/config-error';
import { type EventBusConfig, type KafkaConfig } from '../config/event-bus.config';
import { kafkaSecurityOptions, type KafkaSecurityOptions } from './kafka-security';

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
  /** Most produce requests at a time; messages of one key are never in two at once. */
  readonly maxInFlight: number;
}

export type KafkaCompression = KafkaConfig['producer']['compression'];

export interface KafkaSendOptions {
  readonly acks: -1 | 0 | 1;
  /** How long the broker may wait for the required acks. */
  readonly timeout: number;
  readonly compression: KafkaCompression;
}

/** The whole `kafka` section checked once at start-up, in the terms every driver shares. */
export interface KafkaSettings {
  readonly kafka: KafkaConfig;
  readonly send: KafkaSendOptions;
  readonly batching: KafkaBatching;
  readonly security: KafkaSecurityOptions;
  /** Client-side bound on one request: the broker's ack timeout plus network time. */
  readonly requestTimeout: number;
  readonly defaultGroup: string;
  readonly fromBeginning: boolean;
  readonly heartbeatInterval: number;
  readonly maxProcessingTime: number;
  readonly healthCheckInterval: number;
}

const COMPRESSIONS: readonly KafkaCompression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Extra network time on top of the broker-side ack timeout, so the broker's own answer arrives first. */
const REQUEST_TIMEOUT_MARGIN = 5_000;

/**
 * Checks the `kafka.*` keys every driver shares, or rejects them with a ConfigError naming each key:
 * - brokers, clientId -> the client's brokers and client id
 * - healthCheckInterval -> period of the background broker probe
 * - producer.requiredAcks, compression, timeout -> each produce request's acks, codec and broker
 *   timeout; timeout + 5 s is also the client's request timeout
 * - producer.retryMax -> retries of the client's requests
 * - producer.flushFrequency, flushMessages, batchSize, bufferSize, maxInFlight -> the adapter's batching
 * - consumer.groupId -> default group; autoOffsetReset -> default start of a new group
 * - consumer.sessionTimeout, heartbeatInterval -> the group session (and heartbeats while handlers run)
 * - consumer.maxProcessingTime -> the group's rebalance timeout and the per-attempt handler deadline
 * - consumer.fetchMinBytes, fetchMaxBytes, fetchMaxWait -> the fetch requests
 * - consumer.commitInterval -> the pacing of the kafkajs runner's offset commits (kafkajs/commit-pacer.ts)
 * - security.* -> TLS and SASL (kafka-security.ts); topics.* -> KafkaTopics
 * The drivers map these to their client (kafkajs/kafkajs-options.ts, platformatic/platformatic-options.ts).
 */
export function kafkaSettings(config: EventBusConfig): KafkaSettings {
  const kafka = config.kafka;
  if (!kafka) throw new ConfigError([{ key: 'eventbus.kafka', message: 'is required when type is kafka' }]);
  const issues: ConfigIssue[] = [];
  if (!COMPRESSIONS.includes(kafka.producer.compression))
    issues.push({
      key: 'eventbus.kafka.producer.compression',
      message: `must be one of ${COMPRESSIONS.join(', ')} (got "${String(kafka.producer.compression)}")`,
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
  let security: KafkaSecurityOptions = {};
  try {
    security = kafkaSecurityOptions(kafka.security);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const { consumer, producer } = kafka;
  return {
    kafka,
    send: { acks: producer.requiredAcks, timeout: producer.timeout, compression: producer.compression },
    batching: {
      flushFrequency: producer.flushFrequency,
      flushMessages: producer.flushMessages,
      batchSize: producer.batchSize,
      bufferSize: producer.bufferSize,
      maxInFlight: producer.maxInFlight,
    },
    security,
    requestTimeout: producer.timeout + REQUEST_TIMEOUT_MARGIN,
    defaultGroup: consumer.groupId,
    fromBeginning: consumer.autoOffsetReset === 'earliest',
    heartbeatInterval: consumer.heartbeatInterval,
    maxProcessingTime: consumer.maxProcessingTime,
    healthCheckInterval: kafka.healthCheckInterval,
  };
}
