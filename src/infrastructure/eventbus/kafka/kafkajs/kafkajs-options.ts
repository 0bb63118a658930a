import {
  CompressionTypes,
  logLevel,
  Partitioners,
  type ConsumerConfig,
  type KafkaConfig as KafkaJsConfig,
  type logCreator,
  type ProducerConfig,
  type SASLOptions,
} from 'kafkajs';
import { type EventBusLogger } from '../../logger';
import { type KafkaCompression, type KafkaSettings } from '../kafka-config-mapping';
import { type KafkaSaslCredentials } from '../kafka-security';
import { subscriptionAwareAssigner } from './kafka-assigner';

export interface KafkajsOptions {
  readonly client: KafkaJsConfig;
  readonly producer: ProducerConfig;
  readonly compression: CompressionTypes;
  consumer(groupId: string): ConsumerConfig;
}

/** gzip is kafkajs's own; snappy, lz4 and zstd come from kafka-codecs.ts. */
const COMPRESSION: Record<KafkaCompression, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/**
 * The checked settings as kafkajs options: `retryMax` is every client's `retry.retries`,
 * `maxProcessingTime` the consumers' `rebalanceTimeout`, the fetch keys `minBytes`, `maxBytes`
 * (also per partition) and `maxWaitTimeInMs`; TLS and SASL become `ssl` and `sasl`.
 */
export function kafkajsOptions(settings: KafkaSettings, logger: EventBusLogger): KafkajsOptions {
  const { kafka, security } = settings;
  const retry = { retries: kafka.producer.retryMax };
  const { consumer } = kafka;
  return {
    client: {
      clientId: kafka.clientId,
      brokers: [...kafka.brokers],
      ...(security.tls ? { ssl: security.tls } : {}),
      ...(security.sasl ? { sasl: kafkajsSasl(security.sasl) } : {}),
      requestTimeout: settings.requestTimeout,
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
    compression: COMPRESSION[settings.send.compression],
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

function kafkajsSasl({ mechanism, username, password }: KafkaSaslCredentials): SASLOptions {
  switch (mechanism) {
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username, password };
    default:
      return { mechanism: 'plain', username, password };
  }
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
