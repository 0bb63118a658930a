import {
  getDefaultKafkaConfig,
  getDefaultMemoryConfig,
  getDefaultNatsConfig,
} from '../../../../../src/infrastructure/eventbus/config/defaults';
import { validateEventBusConfig } from '../../../../../src/infrastructure/eventbus/config/validate-event-bus-config';

describe('event bus defaults', () => {
  it('memory: brief values, no broker section, and valid', () => {
    const config = getDefaultMemoryConfig();

    expect(config).toEqual({
      type: 'memory',
      memory: { groupId: 'memory-group' },
      publisher: { maxMessageBytes: 1_048_576 },
      subscriber: { concurrency: 16 },
      retry: { maxAttempts: 5, initialBackoff: 100, maxBackoff: 10_000, multiplier: 2 },
      deadLetter: { enabled: true, topicSuffix: '.dlq' },
      healthCheck: {
        enabled: true,
        interval: 30_000,
        topic: 'health_check_topic',
        maxMessageAge: 120_000,
        timeout: 10_000,
      },
      metrics: { enabled: true, collectInterval: 30_000 },
      tracing: { enabled: false, sampleRate: 0.1 },
      shutdownTimeout: 30_000,
    });
    expect('kafka' in config).toBe(false);
    expect('nats' in config).toBe(false);
    expect(validateEventBusConfig(config)).toEqual(config);
  });

  it('kafka: seed values with our documented deviations, and valid', () => {
    const config = getDefaultKafkaConfig(['127.0.0.1:9092']);

    expect(config.type).toBe('kafka');
    expect(config.nats).toBeUndefined();
    expect(config.kafka).toEqual({
      brokers: ['127.0.0.1:9092'],
      client: 'kafkajs',
      clientId: 'eventbus',
      healthCheckInterval: 300_000,
      producer: {
        requiredAcks: 1,
        compression: 'none',
        flushFrequency: 10,
        flushMessages: 500,
        retryMax: 3,
        timeout: 10_000,
        batchSize: 262_144,
        bufferSize: 32_768,
        maxInFlight: 4,
      },
      consumer: {
        groupId: 'jxt-eventbus-group',
        autoOffsetReset: 'earliest',
        sessionTimeout: 10_000,
        heartbeatInterval: 3_000,
        maxProcessingTime: 300_000,
        fetchMinBytes: 1,
        fetchMaxBytes: 1_048_576,
        fetchMaxWait: 500,
        commitInterval: 1000,
      },
      security: { enabled: false, protocol: 'PLAINTEXT' },
      topics: { autoCreate: true, partitions: 3, replicationFactor: 1 },
    });
    expect(validateEventBusConfig(config)).toEqual(config);
  });

  it('nats: seed values, and valid', () => {
    const config = getDefaultNatsConfig(['nats://127.0.0.1:4222']);

    expect(config.type).toBe('nats');
    expect(config.kafka).toBeUndefined();
    expect(config.nats).toEqual({
      urls: ['nats://127.0.0.1:4222'],
      clientId: 'jxt-client',
      durableName: 'jxt-durable',
      maxReconnects: 10,
      reconnectWait: 2_000,
      pingInterval: 2_000,
      connectionTimeout: 10_000,
      healthCheckInterval: 300_000,
      prefetchMultiplier: 2,
      auth: {},
      jetstream: {
        storage: 'file',
        retention: 'limits',
        maxAge: 86_400_000,
        replicas: 1,
        duplicateWindow: 120_000,
        ackWait: 30_000,
        maxDeliver: 100,
        maxAckPending: 1000,
      },
    });
    expect(validateEventBusConfig(config)).toEqual(config);
  });

  it('returns a fresh object on every call', () => {
    const brokers = ['127.0.0.1:9092'];
    const first = getDefaultKafkaConfig(brokers);
    first.retry.maxAttempts = 99;
    first.kafka!.brokers.push('other:9092');

    expect(getDefaultKafkaConfig(brokers).retry.maxAttempts).toBe(5);
    expect(getDefaultMemoryConfig().retry.maxAttempts).toBe(5);
    expect(brokers).toEqual(['127.0.0.1:9092']);
  });
});
