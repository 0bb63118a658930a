import { applyEnvOverrides } from '../../../../src/infrastructure/config/env-overrides';
import { loadAppConfig } from '../../../../src/infrastructure/config/load-app-config';
import { ConfigError } from '../../../../src/infrastructure/eventbus/config/config-error';
import { issuesOf, repoConfig } from '../../../support/config-issues';

describe('env overrides through loadAppConfig', () => {
  const load = (file: string, env: NodeJS.ProcessEnv) => loadAppConfig({ file: repoConfig(file), env });

  it('EVENTBUS_TYPE selects the backend', () => {
    expect(load('default.yaml', { EVENTBUS_TYPE: 'nats' }).eventbus.type).toBe('nats');
  });

  it('EVENTBUS_TYPE=kafka with KAFKA_BROKERS works on a file without a kafka section', () => {
    const config = load('nats.yaml', { EVENTBUS_TYPE: 'kafka', KAFKA_BROKERS: 'k1:9092, k2:9093' });
    expect(config.eventbus.type).toBe('kafka');
    expect(config.eventbus.kafka!.brokers).toEqual(['k1:9092', 'k2:9093']);
    expect(config.eventbus.kafka!.consumer.groupId).toBe('jxt-eventbus-group');
  });

  it('EVENTBUS_TYPE=nats with NATS_URL works on a file without a nats section', () => {
    const config = load('kafka.yaml', { EVENTBUS_TYPE: 'nats', NATS_URL: 'nats://n1:4222,tls://n2:4223' });
    expect(config.eventbus.type).toBe('nats');
    expect(config.eventbus.nats!.urls).toEqual(['nats://n1:4222', 'tls://n2:4223']);
    expect(config.eventbus.nats!.durableName).toBe('jxt-durable');
  });

  it('EVENTBUS_TYPE=kafka without any brokers fails naming the key', () => {
    const issues = issuesOf(() => load('nats.yaml', { EVENTBUS_TYPE: 'kafka' }));
    expect(issues.map((issue) => issue.key)).toEqual(['eventbus.kafka.brokers']);
  });

  it('KAFKA_BROKERS replaces the file brokers', () => {
    expect(load('kafka.yaml', { KAFKA_BROKERS: 'broker:19092' }).eventbus.kafka!.brokers).toEqual([
      'broker:19092',
    ]);
  });

  it('NATS_URL replaces the file urls', () => {
    expect(load('nats.yaml', { NATS_URL: 'nats://other:4222' }).eventbus.nats!.urls).toEqual([
      'nats://other:4222',
    ]);
  });

  it('PORT sets service.port as a number', () => {
    expect(load('default.yaml', { PORT: '8081' }).service.port).toBe(8081);
  });

  it('LOG_LEVEL sets service.logLevel, case-insensitively', () => {
    expect(load('default.yaml', { LOG_LEVEL: 'DEBUG' }).service.logLevel).toBe('debug');
  });

  it.each(['postgres://u:p@h:5432/db', 'postgresql://u:p@h:5432/db?sslmode=require'])(
    'DATABASE_URL=%s sets database.url',
    (url) => {
      expect(load('default.yaml', { DATABASE_URL: url }).database.url).toBe(url);
    },
  );

  it('leaves database.url unset without DATABASE_URL (the embedded database)', () => {
    expect(load('default.yaml', {}).database.url).toBeUndefined();
  });

  it.each(['mysql://app:hunter2@db:3306/users', 'postgres://', 'postgres://app:hunter2@db /users'])(
    'a bad DATABASE_URL (%s) is reported under its name without echoing the value',
    (url) => {
      const issues = issuesOf(() => load('default.yaml', { DATABASE_URL: url }));
      expect(issues).toEqual([{ key: 'DATABASE_URL', message: 'must be a postgres:// connection string' }]);
      expect(JSON.stringify(issues)).not.toContain('hunter2');
    },
  );

  it('empty variables count as unset', () => {
    const config = load('kafka.yaml', {
      EVENTBUS_TYPE: '',
      KAFKA_BROKERS: ' ',
      PORT: '',
      LOG_LEVEL: '',
      CONFIG_FILE: '',
      DATABASE_URL: ' ',
    });
    expect(config.eventbus.type).toBe('kafka');
    expect(config.eventbus.kafka!.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.service.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc', 'PORT: must be an integer 1..65535, got "abc"'],
    ['PORT', '0', 'PORT: must be an integer 1..65535, got "0"'],
    ['PORT', '3000.5', 'PORT: must be an integer 1..65535, got "3000.5"'],
    ['PORT', '65536', 'PORT: must be an integer 1..65535, got "65536"'],
    ['EVENTBUS_TYPE', 'rabbitmq', 'EVENTBUS_TYPE: must be one of memory, kafka, nats, got "rabbitmq"'],
    ['KAFKA_BROKERS', 'kafka', 'KAFKA_BROKERS: must be comma-separated host:port entries, got "kafka"'],
    ['KAFKA_BROKERS', ',', 'KAFKA_BROKERS: must be comma-separated host:port entries, got ","'],
    [
      'NATS_URL',
      'http://n:4222',
      'NATS_URL: must be comma-separated nats://host:port entries, got "http://n:4222"',
    ],
    [
      'LOG_LEVEL',
      'loud',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
  ])('a bad %s is reported under its own name', (name, value, line) => {
    let caught: unknown;
    try {
      load('default.yaml', { [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toBe(line);
  });
});

describe('applyEnvOverrides', () => {
  it('does not modify the object it is given', () => {
    const raw = { service: { port: 1 } };
    const { config, issues } = applyEnvOverrides(raw, { PORT: '2', EVENTBUS_TYPE: 'nats' });
    expect(issues).toEqual([]);
    expect(config).toEqual({ service: { port: 2 }, eventbus: { type: 'nats' } });
    expect(raw).toEqual({ service: { port: 1 } });
  });

  it('leaves a non-mapping section in place for validation to report', () => {
    const { config } = applyEnvOverrides({ eventbus: 'kafka' }, { EVENTBUS_TYPE: 'nats' });
    expect(config).toEqual({ eventbus: 'kafka' });
  });

  it('ignores unrelated variables', () => {
    const { config, issues } = applyEnvOverrides({}, { HOME: '/root', NODE_ENV: 'test' });
    expect(config).toEqual({});
    expect(issues).toEqual([]);
  });
});
