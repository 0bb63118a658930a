import {
  getDefaultKafkaConfig,
  getDefaultMemoryConfig,
  getDefaultNatsConfig,
} from '../../../../../src/infrastructure/eventbus/config/defaults';
import type { EventBusConfig } from '../../../../../src/infrastructure/eventbus/config/event-bus.config';
import {
  parseEventBusConfig,
  validateEventBusConfig,
} from '../../../../../src/infrastructure/eventbus/config/validate-event-bus-config';
import { issuesOf } from '../../../../support/config-issues';

const keysOf = (run: () => unknown): string[] => issuesOf(run).map((issue) => issue.key);
const kafka = (extra: Record<string, unknown> = {}) => ({ brokers: ['127.0.0.1:9092'], ...extra });

describe('parseEventBusConfig', () => {
  it('gives the memory defaults for an empty or missing section', () => {
    expect(parseEventBusConfig({})).toEqual(getDefaultMemoryConfig());
    expect(parseEventBusConfig(undefined)).toEqual(getDefaultMemoryConfig());
    expect(parseEventBusConfig(null)).toEqual(getDefaultMemoryConfig());
  });

  it('lays given keys over the defaults and converts durations to ms', () => {
    const config = parseEventBusConfig({
      type: 'kafka',
      kafka: { brokers: ['kafka:9092'], producer: { timeout: '5s', requiredAcks: -1 } },
      retry: { maxBackoff: '1m30s' },
      shutdownTimeout: 2500,
    });

    expect(config).toEqual({
      ...getDefaultKafkaConfig(['kafka:9092']),
      kafka: {
        ...getDefaultKafkaConfig(['kafka:9092']).kafka,
        producer: { ...getDefaultKafkaConfig([]).kafka!.producer, timeout: 5_000, requiredAcks: -1 },
      },
      retry: { ...getDefaultMemoryConfig().retry, maxBackoff: 90_000 },
      shutdownTimeout: 2_500,
    });
  });

  it('returns plain data, not schema instances', () => {
    const config = parseEventBusConfig({ type: 'nats', nats: { urls: ['nats://n:4222'] } });
    expect(Object.getPrototypeOf(config)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(config.nats!.jetstream)).toBe(Object.prototype);
  });

  it('treats a YAML null (`key:` with nothing after it) as "use the default"', () => {
    const config = parseEventBusConfig({ retry: null, metrics: { collectInterval: null } });
    expect(config.retry).toEqual(getDefaultMemoryConfig().retry);
    expect(config.metrics.collectInterval).toBe(30_000);
  });

  it('drops optional keys left empty instead of returning null', () => {
    const config = parseEventBusConfig({ type: 'memory', kafka: null, nats: null });
    expect(config).toEqual(getDefaultMemoryConfig());
    expect('kafka' in config || 'nats' in config).toBe(false);
    expect(issuesOf(() => parseEventBusConfig({ type: 'nats', nats: { urls: null } }))[0]!.key).toBe(
      'eventbus.nats.urls',
    );
    const sasl = parseEventBusConfig({
      type: 'kafka',
      kafka: { brokers: ['k:9092'], security: { mechanism: null } },
    });
    expect('mechanism' in sasl.kafka!.security).toBe(false);
  });

  it('accepts the seed nats.clusterId and keeps it as a no-op', () => {
    const config = parseEventBusConfig({
      type: 'nats',
      nats: { urls: ['nats://n:4222'], clusterId: 'jxt-cluster' },
    });
    expect(config.nats!.clusterId).toBe('jxt-cluster');
  });

  it('fills a non-selected backend section from its defaults without requiring its address', () => {
    const config = parseEventBusConfig({ type: 'memory', kafka: { clientId: 'x' } });
    expect(config.kafka!.clientId).toBe('x');
    expect(config.kafka!.brokers).toEqual([]);
    expect(config.kafka!.producer.batchSize).toBe(262_144);
  });

  describe('unknown keys', () => {
    it.each([
      [{ typo: 1 }, 'eventbus.typo'],
      [{ retry: { maxAttempt: 3 } }, 'eventbus.retry.maxAttempt'],
      [
        { type: 'kafka', kafka: kafka({ producer: { requiredAck: 1 } }) },
        'eventbus.kafka.producer.requiredAck',
      ],
      [{ type: 'nats', nats: { urls: ['n:4222'], auth: { tls: { ca: 'x' } } } }, 'eventbus.nats.auth.tls.ca'],
      [{ foo: null }, 'eventbus.foo'],
    ])('%j fails naming %s', (raw, key) => {
      expect(issuesOf(() => parseEventBusConfig(raw))).toEqual([{ key, message: 'unknown key' }]);
    });

    it('uses the given key prefix', () => {
      expect(keysOf(() => parseEventBusConfig({ retry: { x: 1 } }, 'bus'))).toEqual(['bus.retry.x']);
    });
  });

  describe('wrong types and values name the key', () => {
    it.each([
      [{ type: 'rabbit' }, 'eventbus.type', /must be one of memory, kafka, nats, got "rabbit"/],
      [{ retry: { maxAttempts: 0 } }, 'eventbus.retry.maxAttempts', /integer in 1\.\.100, got 0/],
      [{ retry: { maxAttempts: '3' } }, 'eventbus.retry.maxAttempts', /integer in 1\.\.100, got "3"/],
      [{ retry: { initialBackoff: '100' } }, 'eventbus.retry.initialBackoff', /duration .*got "100"/],
      [{ healthCheck: { interval: '0s' } }, 'eventbus.healthCheck.interval', /at least 100ms, got 0/],
      [{ deadLetter: { enabled: 'yes' } }, 'eventbus.deadLetter.enabled', /true or false, got "yes"/],
      [{ tracing: { sampleRate: 1.5 } }, 'eventbus.tracing.sampleRate', /number in 0\.\.1, got 1\.5/],
      [{ tracing: { sampleRate: -0.1 } }, 'eventbus.tracing.sampleRate', /number in 0\.\.1/],
      [{ subscriber: { concurrency: 2.5 } }, 'eventbus.subscriber.concurrency', /integer in 1\.\.10000/],
      [{ memory: { groupId: '' } }, 'eventbus.memory.groupId', /non-empty string/],
      [{ metrics: 'on' }, 'eventbus.metrics', /must be a mapping, got "on"/],
      [{ retry: [1, 2] }, 'eventbus.retry', /must be a mapping, got \[1,2\]/],
      [
        { type: 'kafka', kafka: kafka({ producer: { requiredAcks: 'all' } }) },
        'eventbus.kafka.producer.requiredAcks',
        /one of -1, 0, 1, got "all"/,
      ],
      [
        { type: 'kafka', kafka: kafka({ producer: { compression: 'brotli' } }) },
        'eventbus.kafka.producer.compression',
        /got "brotli"/,
      ],
      [
        { type: 'kafka', kafka: { brokers: ['127.0.0.1:9092', 'kafka'] } },
        'eventbus.kafka.brokers',
        /host:port, invalid: "kafka"/,
      ],
      [{ type: 'kafka', kafka: { brokers: '127.0.0.1:9092' } }, 'eventbus.kafka.brokers', /must be a list/],
      [
        { type: 'nats', nats: { urls: ['http://n:4222'] } },
        'eventbus.nats.urls',
        /invalid: "http:\/\/n:4222"/,
      ],
      [
        { type: 'nats', nats: { urls: ['n:4222'], maxReconnects: -2 } },
        'eventbus.nats.maxReconnects',
        /integer >= -1/,
      ],
      [
        { type: 'nats', nats: { urls: ['n:4222'], durableName: 'a.b' } },
        'eventbus.nats.durableName',
        /without '\.'/,
      ],
      [
        { type: 'nats', nats: { urls: ['n:4222'], jetstream: { replicas: 7 } } },
        'eventbus.nats.jetstream.replicas',
        /integer in 1\.\.5, got 7/,
      ],
    ])('%j fails at %s', (raw, key, message) => {
      const issues = issuesOf(() => parseEventBusConfig(raw));
      expect(issues).toHaveLength(1);
      expect(issues[0]!.key).toBe(key);
      expect(issues[0]!.message).toMatch(message);
    });

    it('accepts nats.maxReconnects -1 (forever) and jetstream.maxDeliver -1 (unlimited)', () => {
      const config = parseEventBusConfig({
        type: 'nats',
        nats: { urls: ['n:4222'], maxReconnects: -1, jetstream: { maxDeliver: -1 } },
      });
      expect(config.nats!.maxReconnects).toBe(-1);
      expect(config.nats!.jetstream.maxDeliver).toBe(-1);
    });

    it('rejects a section that is not a mapping', () => {
      expect(issuesOf(() => parseEventBusConfig('kafka'))).toEqual([
        { key: 'eventbus', message: 'must be a mapping, got "kafka"' },
      ]);
    });
  });

  it('collects every problem into one error', () => {
    const keys = keysOf(() =>
      parseEventBusConfig({
        type: 'kafka',
        kafka: { producer: { requiredAck: 1, timeout: 'soon' } },
        retry: { maxAttempts: 0 },
        tracing: { sampleRate: 2 },
      }),
    );
    expect(keys.sort()).toEqual(
      [
        'eventbus.kafka.brokers',
        'eventbus.kafka.producer.requiredAck',
        'eventbus.kafka.producer.timeout',
        'eventbus.retry.maxAttempts',
        'eventbus.tracing.sampleRate',
      ].sort(),
    );
  });

  describe('cross-field rules', () => {
    it('type kafka requires brokers', () => {
      expect(issuesOf(() => parseEventBusConfig({ type: 'kafka' }))).toEqual([
        {
          key: 'eventbus.kafka.brokers',
          message: expect.stringMatching(/required when type is kafka/) as string,
        },
      ]);
      expect(keysOf(() => parseEventBusConfig({ type: 'kafka', kafka: { brokers: [] } }))).toEqual([
        'eventbus.kafka.brokers',
      ]);
    });

    it('type nats requires urls', () => {
      expect(keysOf(() => parseEventBusConfig({ type: 'nats' }))).toEqual(['eventbus.nats.urls']);
    });

    it('retry.initialBackoff must not exceed retry.maxBackoff', () => {
      const issues = issuesOf(() =>
        parseEventBusConfig({ retry: { initialBackoff: '20s', maxBackoff: '1s' } }),
      );
      expect(issues).toEqual([
        { key: 'eventbus.retry.initialBackoff', message: expect.stringContaining('20s > 1s') as string },
      ]);
      expect(
        parseEventBusConfig({ retry: { initialBackoff: '1s', maxBackoff: '1s' } }).retry.initialBackoff,
      ).toBe(1_000);
    });

    it('kafka heartbeatInterval must be below sessionTimeout', () => {
      const raw = {
        type: 'kafka',
        kafka: kafka({ consumer: { heartbeatInterval: '30s', sessionTimeout: '30s' } }),
      };
      expect(keysOf(() => parseEventBusConfig(raw))).toEqual(['eventbus.kafka.consumer.heartbeatInterval']);
    });

    it('SASL without credentials fails naming each missing key', () => {
      const raw = { type: 'kafka', kafka: kafka({ security: { enabled: true, protocol: 'SASL_SSL' } }) };
      expect(keysOf(() => parseEventBusConfig(raw))).toEqual([
        'eventbus.kafka.security.mechanism',
        'eventbus.kafka.security.username',
        'eventbus.kafka.security.password',
      ]);
    });

    it('SASL with credentials passes, and the password is never echoed in messages', () => {
      const security = {
        enabled: true,
        protocol: 'SASL_SSL',
        mechanism: 'SCRAM-SHA-512',
        username: 'u',
        password: 'p',
      };
      expect(parseEventBusConfig({ type: 'kafka', kafka: kafka({ security }) }).kafka!.security).toEqual(
        security,
      );

      const wrong = { ...security, password: 12345678 };
      const issues = issuesOf(() =>
        parseEventBusConfig({ type: 'kafka', kafka: kafka({ security: wrong }) }),
      );
      expect(issues).toHaveLength(1);
      expect(issues[0]!.key).toBe('eventbus.kafka.security.password');
      expect(issues[0]!.message).not.toContain('12345678');
    });

    it('a secured protocol with security disabled fails', () => {
      const raw = { type: 'kafka', kafka: kafka({ security: { enabled: false, protocol: 'SSL' } }) };
      expect(keysOf(() => parseEventBusConfig(raw))).toEqual(['eventbus.kafka.security.enabled']);
    });

    it('nats user and password go together', () => {
      const raw = { type: 'nats', nats: { urls: ['n:4222'], auth: { user: 'u' } } };
      expect(keysOf(() => parseEventBusConfig(raw))).toEqual(['eventbus.nats.auth.password']);
    });
  });
});

describe('validateEventBusConfig', () => {
  it('checks a programmatic config by the same rules', () => {
    const config: EventBusConfig = {
      ...getDefaultMemoryConfig(),
      retry: { ...getDefaultMemoryConfig().retry },
    };
    config.retry.maxAttempts = 0;
    expect(keysOf(() => validateEventBusConfig(config))).toEqual(['eventbus.retry.maxAttempts']);
  });

  it('requires the backend section of the selected type', () => {
    const config: EventBusConfig = { ...getDefaultMemoryConfig(), type: 'kafka' };
    expect(issuesOf(() => validateEventBusConfig(config))).toEqual([
      { key: 'eventbus.kafka', message: 'is required when type is kafka' },
    ]);
    const nullKafka = {
      ...getDefaultMemoryConfig(),
      type: 'kafka',
      kafka: null,
    } as unknown as EventBusConfig;
    expect(keysOf(() => validateEventBusConfig(nullKafka))).toEqual(['eventbus.kafka']);
    expect(keysOf(() => validateEventBusConfig({ ...getDefaultMemoryConfig(), type: 'nats' }))).toEqual([
      'eventbus.nats',
    ]);
  });

  it('does not fill in defaults: a missing key is required', () => {
    const config: Partial<EventBusConfig> = getDefaultMemoryConfig();
    delete config.retry;
    const issues = issuesOf(() => validateEventBusConfig(config as EventBusConfig));
    expect(issues).toEqual([{ key: 'eventbus.retry', message: 'is required' }]);
  });

  it('rejects keys the type does not have', () => {
    const config = { ...getDefaultNatsConfig(['n:4222']), extra: true } as EventBusConfig;
    expect(keysOf(() => validateEventBusConfig(config))).toEqual(['eventbus.extra']);
  });

  it('returns an equal plain copy and leaves the input alone', () => {
    const config = getDefaultKafkaConfig(['127.0.0.1:9092']);
    const result = validateEventBusConfig(config);
    expect(result).toEqual(config);
    expect(result).not.toBe(config);
  });
});
