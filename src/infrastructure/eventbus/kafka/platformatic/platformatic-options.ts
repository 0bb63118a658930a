import type { BaseOptions, ConsumerOptions, ProducerOptions, SASLOptions } from '@platformatic/kafka' with {
  'resolution-mode': 'import',
};
import { type KafkaSettings } from '../kafka-config-mapping';
import { type KafkaSaslCredentials } from '../kafka-security';
import { subscriptionAwareAssigner } from './platformatic-assigner';
import { type PlatformaticKafka } from './platformatic-module';

/** Keys, values and header values stay Buffers: the adapter encodes and decodes them itself. */
export interface PlatformaticOptions {
  readonly base: BaseOptions;
  readonly producer: ProducerOptions<Buffer, Buffer, Buffer, Buffer>;
  consumer(groupId: string): ConsumerOptions<Buffer, Buffer, Buffer, Buffer>;
}

/**
 * The checked settings as @platformatic/kafka options: `retryMax` is every client's `retries`, the
 * request timeout its `timeout`, `maxProcessingTime` the consumers' `rebalanceTimeout`, the fetch
 * keys `minBytes`, `maxBytes` (also per partition) and `maxWaitTime`. Keys are partitioned with
 * murmur2 as the Java client (and kafkajs) do, so a key lands on the same partition from any client.
 */
export function platformaticOptions(settings: KafkaSettings, client: PlatformaticKafka): PlatformaticOptions {
  const { kafka, security } = settings;
  const base: BaseOptions = {
    clientId: kafka.clientId,
    bootstrapBrokers: [...kafka.brokers],
    timeout: settings.requestTimeout,
    retries: kafka.producer.retryMax,
    // Topics are created (or checked) by the adapter per kafka.topics, never implicitly by the broker.
    autocreateTopics: false,
    ...(security.tls ? { tls: security.tls === true ? {} : security.tls } : {}),
    ...(security.sasl ? { sasl: platformaticSasl(security.sasl) } : {}),
  };
  const { consumer } = kafka;
  return {
    base,
    producer: {
      ...base,
      acks: settings.send.acks,
      compression: settings.send.compression,
      partitioner: client.compatibilityPartitioner,
    },
    consumer: (groupId) => ({
      ...base,
      groupId,
      sessionTimeout: consumer.sessionTimeout,
      heartbeatInterval: consumer.heartbeatInterval,
      // Like Java's max.poll.interval.ms: how long the group waits for a busy member to rejoin.
      rebalanceTimeout: consumer.maxProcessingTime,
      minBytes: consumer.fetchMinBytes,
      maxBytes: consumer.fetchMaxBytes,
      maxBytesPerPartition: consumer.fetchMaxBytes,
      maxWaitTime: consumer.fetchMaxWait,
      partitionAssigner: subscriptionAwareAssigner,
      autocommit: false,
    }),
  };
}

function platformaticSasl({ mechanism, username, password }: KafkaSaslCredentials): SASLOptions {
  return { mechanism, username, password };
}
