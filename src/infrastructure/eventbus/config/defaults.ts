import { HealthCheckTopic } from '../constants';
import type { EventBusConfig, KafkaConfig, NatsConfig } from './event-bus.config';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The sections every backend shares. A new object on each call, so callers may mutate it. */
function commonDefaults(): Omit<EventBusConfig, 'type'> {
  return {
    memory: { groupId: 'memory-group' },
    publisher: { maxMessageBytes: 1_048_576 },
    subscriber: { concurrency: 16 },
    retry: { maxAttempts: 5, initialBackoff: 100, maxBackoff: 10 * SECOND, multiplier: 2 },
    deadLetter: { enabled: true, topicSuffix: '.dlq' },
    healthCheck: {
      enabled: true,
      interval: 30 * SECOND,
      topic: HealthCheckTopic,
      maxMessageAge: 2 * MINUTE,
      timeout: 10 * SECOND,
    },
    metrics: { enabled: true, collectInterval: 30 * SECOND },
    tracing: { enabled: false, sampleRate: 0.1 },
    shutdownTimeout: 30 * SECOND,
  };
}

/**
 * Seed values, except: `compression: 'none'` (the seed says snappy; every codec works, but batches of
 * small events gain little from it, so it stays a choice) and `flushFrequency: 10ms` (the seed's
 * 500ms would add half a second of latency).
 * `requiredAcks: 1` is the seed's; production wants -1 (all in-sync replicas).
 */
export function defaultKafkaSection(brokers: string[]): KafkaConfig {
  return {
    brokers: [...brokers],
    client: 'kafkajs',
    clientId: 'eventbus',
    healthCheckInterval: 5 * MINUTE,
    producer: {
      requiredAcks: 1,
      compression: 'none',
      flushFrequency: 10,
      // Larger requests than the seed's (100 messages, 16 KB), several at a time: measured 1.5-2x
      // the publish rate on both clients, the same latency at low rates (flushFrequency still bounds it).
      flushMessages: 500,
      retryMax: 3,
      timeout: 10 * SECOND,
      batchSize: 262_144,
      bufferSize: 32_768,
      maxInFlight: 4,
    },
    consumer: {
      groupId: 'jxt-eventbus-group',
      autoOffsetReset: 'earliest',
      // The seed's 30 s is how long consumption pauses after a broker restart or a crashed member.
      sessionTimeout: 10 * SECOND,
      heartbeatInterval: 3 * SECOND,
      maxProcessingTime: 5 * MINUTE,
      fetchMinBytes: 1,
      fetchMaxBytes: 1_048_576,
      fetchMaxWait: 500,
      commitInterval: 1000,
    },
    security: { enabled: false, protocol: 'PLAINTEXT' },
    topics: { autoCreate: true, partitions: 3, replicationFactor: 1 },
  };
}

/** Seed values; `maxDeliver: 100` rather than unlimited so a poison message cannot loop forever. */
export function defaultNatsSection(urls: string[]): NatsConfig {
  return {
    urls: [...urls],
    clientId: 'jxt-client',
    durableName: 'jxt-durable',
    maxReconnects: 10,
    reconnectWait: 2 * SECOND,
    connectionTimeout: 10 * SECOND,
    pingInterval: 2 * SECOND,
    healthCheckInterval: 5 * MINUTE,
    prefetchMultiplier: 2,
    auth: {},
    jetstream: {
      storage: 'file',
      retention: 'limits',
      maxAge: 24 * HOUR,
      replicas: 1,
      duplicateWindow: 2 * MINUTE,
      ackWait: 30 * SECOND,
      maxDeliver: 100,
      maxAckPending: 1000,
    },
  };
}

export function getDefaultMemoryConfig(): EventBusConfig {
  return { type: 'memory', ...commonDefaults() };
}

export function getDefaultKafkaConfig(brokers: string[]): EventBusConfig {
  return { type: 'kafka', ...commonDefaults(), kafka: defaultKafkaSection(brokers) };
}

export function getDefaultNatsConfig(urls: string[]): EventBusConfig {
  return { type: 'nats', ...commonDefaults(), nats: defaultNatsSection(urls) };
}
