import { CompressionTypes } from 'kafkajs';
import {
  ConfigError,
  getDefaultKafkaConfig,
  type EventBusConfig,
} from '../../../../../src/infrastructure/eventbus';
import { kafkaSettings } from '../../../../../src/infrastructure/eventbus/kafka/kafka-config-mapping';
import { kafkajsOptions } from '../../../../../src/infrastructure/eventbus/kafka/kafkajs/kafkajs-options';
import { silentLogger } from '../../../../../src/infrastructure/eventbus/logger';

const config = (adjust: (config: EventBusConfig) => void = () => undefined): EventBusConfig => {
  const value = getDefaultKafkaConfig(['127.0.0.1:9092']);
  adjust(value);
  return value;
};
const issueKeys = (adjust: (config: EventBusConfig) => void): string[] => {
  try {
    kafkaSettings(config(adjust));
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => issue.key);
    throw error;
  }
  return [];
};

const kafkajs = (value: EventBusConfig) => kafkajsOptions(kafkaSettings(value), silentLogger);

describe('kafkaSettings and kafkajsOptions (every kafka.* key -> kafkajs)', () => {
  it('maps producer, consumer and client keys', () => {
    const value = config((c) => {
      c.kafka!.producer = {
        ...c.kafka!.producer,
        requiredAcks: -1,
        compression: 'gzip',
        retryMax: 7,
        timeout: 2000,
      };
      c.kafka!.consumer = {
        ...c.kafka!.consumer,
        groupId: 'billing',
        autoOffsetReset: 'latest',
        sessionTimeout: 12_000,
        heartbeatInterval: 1_000,
        maxProcessingTime: 60_000,
        fetchMinBytes: 10,
        fetchMaxBytes: 2048,
        fetchMaxWait: 250,
      };
    });
    const settings = kafkaSettings(value);
    const options = kafkajs(value);
    expect(settings.send).toEqual({ acks: -1, timeout: 2000, compression: 'gzip' });
    expect(options.compression).toBe(CompressionTypes.GZIP);
    expect(options.client).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      requestTimeout: 7000,
      retry: { retries: 7 },
    });
    expect(options.producer).toMatchObject({ allowAutoTopicCreation: false, retry: { retries: 7 } });
    expect(settings.defaultGroup).toBe('billing');
    expect(settings.fromBeginning).toBe(false);
    expect(options.consumer('g')).toMatchObject({
      groupId: 'g',
      sessionTimeout: 12_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 60_000,
      minBytes: 10,
      maxBytes: 2048,
      maxBytesPerPartition: 2048,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    expect(settings.batching).toEqual({
      flushFrequency: 10,
      flushMessages: 500,
      batchSize: 262_144,
      bufferSize: 32_768,
      maxInFlight: 4,
    });
  });

  it.each([
    ['none', CompressionTypes.None],
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ] as const)('maps compression %s to the kafkajs codec type', (codec, type) => {
    expect(kafkajs(config((c) => (c.kafka!.producer.compression = codec))).compression).toBe(type);
  });

  it.each(['brotli', 'constructor'])(
    'rejects compression %s (a config built in code skips the schema), naming the key',
    (codec) => {
      const adjust = (c: EventBusConfig): void => {
        (c.kafka!.producer as { compression: string }).compression = codec;
      };
      expect(issueKeys(adjust)).toEqual(['eventbus.kafka.producer.compression']);
      expect(() => kafkaSettings(config(adjust))).toThrow(
        `must be one of none, gzip, snappy, lz4, zstd (got "${codec}")`,
      );
    },
  );

  it('rejects fetchMinBytes above fetchMaxBytes and a rebalance timeout below the session', () => {
    expect(
      issueKeys((c) => {
        c.kafka!.consumer.fetchMinBytes = 4096;
        c.kafka!.consumer.fetchMaxBytes = 1024;
        c.kafka!.consumer.maxProcessingTime = 1000;
      }),
    ).toEqual(['eventbus.kafka.consumer.fetchMinBytes', 'eventbus.kafka.consumer.maxProcessingTime']);
  });

  it('maps SASL mechanisms and TLS, and names unreadable TLS files and misplaced keys', () => {
    const sasl = kafkajs(
      config((c) => {
        c.kafka!.security = {
          enabled: true,
          protocol: 'SASL_SSL',
          mechanism: 'SCRAM-SHA-512',
          username: 'u',
          password: 'p',
        };
      }),
    );
    expect(sasl.client.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
    expect(sasl.client.ssl).toBe(true);

    expect(
      issueKeys((c) => {
        c.kafka!.security = { enabled: true, protocol: 'SSL', caFile: '/nonexistent/ca.pem' };
      }),
    ).toEqual(['eventbus.kafka.security.caFile']);
    expect(
      issueKeys((c) => {
        c.kafka!.security = { enabled: false, protocol: 'PLAINTEXT', mechanism: 'PLAIN', caFile: '/x' };
      }),
    ).toEqual(['eventbus.kafka.security.mechanism', 'eventbus.kafka.security.caFile']);
  });
});
