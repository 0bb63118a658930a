import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from '../../../../src/infrastructure/config/load-app-config';
import {
  getDefaultDatabaseConfig,
  getDefaultInboxConfig,
  getDefaultOutboxConfig,
} from '../../../../src/infrastructure/config/persistence.config';
import {
  getDefaultKafkaConfig,
  getDefaultMemoryConfig,
  getDefaultNatsConfig,
} from '../../../../src/infrastructure/eventbus/config/defaults';
import { issuesOf, repoConfig } from '../../../support/config-issues';

describe('loadAppConfig', () => {
  let dir: string;
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'app-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('the shipped YAML files', () => {
    it('config/default.yaml: memory bus with the default values', () => {
      const config = loadAppConfig({ file: repoConfig('default.yaml'), env: {} });

      expect(config.service).toEqual({
        name: 'user-service',
        port: 3000,
        bodyLimit: '100kb',
        logLevel: 'info',
        tenancy: 'off',
        requestTimeout: 30_000,
        headersTimeout: 10_000,
        maxConnections: 1_000,
        healthDetails: false,
        notifications: { deliveryLatency: 0 },
      });
      expect(config.eventbus.type).toBe('memory');
      const { kafka, nats, ...common } = config.eventbus;
      expect(common).toEqual(getDefaultMemoryConfig());
      // The broker sections are there for EVENTBUS_TYPE switches and hold the defaults.
      expect(kafka).toEqual(getDefaultKafkaConfig(['127.0.0.1:9092']).kafka);
      expect(nats).toEqual(getDefaultNatsConfig(['nats://127.0.0.1:4222']).nats);
    });

    it('config/kafka.yaml: kafka bus on 127.0.0.1:9092 with the default values', () => {
      const config = loadAppConfig({ file: repoConfig('kafka.yaml'), env: {} });
      expect(config.eventbus).toEqual(getDefaultKafkaConfig(['127.0.0.1:9092']));
    });

    it('config/nats.yaml: nats bus on 127.0.0.1:4222, clusterId kept as a no-op', () => {
      const config = loadAppConfig({ file: repoConfig('nats.yaml'), env: {} });
      const expected = getDefaultNatsConfig(['nats://127.0.0.1:4222']);
      expect(config.eventbus).toEqual({ ...expected, nats: { ...expected.nats, clusterId: 'jxt-cluster' } });
    });

    it.each(['default.yaml', 'kafka.yaml', 'nats.yaml'])(
      'config/%s: database, outbox and inbox with the default values',
      (file) => {
        const config = loadAppConfig({ file: repoConfig(file), env: {} });

        expect(config.database).toEqual(getDefaultDatabaseConfig());
        expect(config.outbox).toEqual(getDefaultOutboxConfig());
        expect(config.inbox).toEqual(getDefaultInboxConfig());
      },
    );
  });

  it('reads config/default.yaml under the working directory when nothing names a file', () => {
    const cwd = jest.spyOn(process, 'cwd').mockReturnValue(dir);
    try {
      expect(issuesOf(() => loadAppConfig({ env: {} }))[0]!.key).toBe(join(dir, 'config', 'default.yaml'));
      mkdirSync(join(dir, 'config'));
      write('config/default.yaml', 'service:\n  name: cwd-default\n');
      expect(loadAppConfig({ env: {} }).service.name).toBe('cwd-default');
    } finally {
      cwd.mockRestore();
    }
  });

  it('fills a file with only some keys from the defaults', () => {
    const file = write('partial.yaml', 'service:\n  port: 8080\neventbus:\n  retry:\n    maxAttempts: 2\n');
    const config = loadAppConfig({ file, env: {} });

    expect(config.service).toEqual({
      name: 'user-service',
      port: 8080,
      bodyLimit: '100kb',
      logLevel: 'info',
      tenancy: 'off',
      requestTimeout: 30_000,
      headersTimeout: 10_000,
      maxConnections: 1_000,
      healthDetails: false,
      notifications: { deliveryLatency: 0 },
    });
    expect(config.eventbus).toEqual({
      ...getDefaultMemoryConfig(),
      retry: { ...getDefaultMemoryConfig().retry, maxAttempts: 2 },
    });
  });

  it('treats an empty file as all defaults', () => {
    const config = loadAppConfig({ file: write('empty.yaml', ''), env: {} });
    expect(config.eventbus).toEqual(getDefaultMemoryConfig());
    expect(config.service.port).toBe(3000);
    expect(config.database).toEqual(getDefaultDatabaseConfig());
    expect(config.outbox).toEqual(getDefaultOutboxConfig());
    expect(config.inbox).toEqual(getDefaultInboxConfig());
  });

  it('reads the persistence sections over their defaults, durations as milliseconds', () => {
    const file = write(
      'persistence.yaml',
      [
        'database:',
        '  url: postgres://app@db.internal:5432/users',
        '  poolSize: 4',
        '  connectionTimeout: 2s',
        'outbox:',
        '  pollInterval: 30s',
        '  leaseDuration: 1m30s',
        '  publishTimeout: 500ms',
        'inbox:',
        '  retention: 48h',
        '',
      ].join('\n'),
    );

    const config = loadAppConfig({ file, env: {} });

    expect(config.database).toEqual({
      ...getDefaultDatabaseConfig(),
      url: 'postgres://app@db.internal:5432/users',
      poolSize: 4,
      connectionTimeout: 2_000,
    });
    expect(config.outbox).toEqual({
      ...getDefaultOutboxConfig(),
      pollInterval: 30_000,
      leaseDuration: 90_000,
      publishTimeout: 500,
    });
    expect(config.inbox).toEqual({ retention: 48 * 3_600_000 });
  });

  it('reads service.notifications.deliveryLatency as milliseconds, keeping the other service keys', () => {
    const file = write('latency.yaml', 'service:\n  notifications:\n    deliveryLatency: 75ms\n');
    const config = loadAppConfig({ file, env: {} });
    expect(config.service.notifications).toEqual({ deliveryLatency: 75 });
    expect(config.service.port).toBe(3000);
  });

  it('takes the file from CONFIG_FILE, relative to the working directory', () => {
    write('custom.yaml', 'service:\n  name: from-env\n');
    const cwd = jest.spyOn(process, 'cwd').mockReturnValue(dir);
    try {
      expect(loadAppConfig({ env: { CONFIG_FILE: 'custom.yaml' } }).service.name).toBe('from-env');
    } finally {
      cwd.mockRestore();
    }
  });

  it('prefers the file option over CONFIG_FILE', () => {
    const file = write('option.yaml', 'service:\n  name: from-option\n');
    const config = loadAppConfig({ file, env: { CONFIG_FILE: join(dir, 'missing.yaml') } });
    expect(config.service.name).toBe('from-option');
  });

  describe('file errors name the file', () => {
    it('missing file', () => {
      const file = join(dir, 'nope.yaml');
      const issues = issuesOf(() => loadAppConfig({ env: { CONFIG_FILE: file } }));
      expect(issues).toHaveLength(1);
      expect(issues[0]!.key).toBe(file);
      expect(issues[0]!.message).toMatch(/cannot read config file: .*ENOENT.*\(CONFIG_FILE\)/);
    });

    it('malformed YAML', () => {
      const file = write('bad.yaml', 'eventbus:\n  type: [memory\n');
      const issues = issuesOf(() => loadAppConfig({ file, env: {} }));
      expect(issues).toEqual([{ key: file, message: expect.stringMatching(/^invalid YAML: /) as string }]);
    });

    it('duplicate keys', () => {
      const file = write('dup.yaml', 'service:\n  port: 1\n  port: 2\n');
      expect(issuesOf(() => loadAppConfig({ file, env: {} }))[0]!.key).toBe(file);
    });

    it('a "billion laughs" file of nested aliases', () => {
      const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (const [prev, name] of [
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'd'],
        ['d', 'e'],
        ['e', 'f'],
        ['f', 'g'],
      ]) {
        levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
      }
      const file = write('laughs.yaml', levels.join('\n') + '\n');
      const issues = issuesOf(() => loadAppConfig({ file, env: {} }));
      expect(issues).toEqual([
        { key: file, message: expect.stringMatching(/^invalid YAML: .*alias/) as string },
      ]);
    });

    it.each(['__proto__', 'constructor'])('a %s key anywhere', (key) => {
      const file = write('proto.yaml', `service:\n  ${key}:\n    port: 1\n`);
      const issues = issuesOf(() => loadAppConfig({ file, env: {} }));
      expect(issues).toEqual([
        { key: file, message: expect.stringContaining(`key "service.${key}" is not allowed`) as string },
      ]);
    });

    it('a top level that is not a mapping', () => {
      const file = write('list.yaml', '- a\n- b\n');
      const issues = issuesOf(() => loadAppConfig({ file, env: {} }));
      expect(issues).toEqual([
        { key: file, message: expect.stringMatching(/top level must be a mapping/) as string },
      ]);
    });
  });

  describe('validation names the key', () => {
    it('unknown top-level and service keys', () => {
      const file = write('unknown.yaml', 'services:\n  port: 1\nservice:\n  prot: 3000\n');
      const keys = issuesOf(() => loadAppConfig({ file, env: {} })).map((issue) => issue.key);
      expect(keys.sort()).toEqual(['service.prot', 'services']);
    });

    it.each([
      ['database:\n  dataDri: /var/lib/app\n', 'database.dataDri'],
      ['outbox:\n  batchSze: 10\n', 'outbox.batchSze'],
      ['inbox:\n  retension: 1h\n', 'inbox.retension'],
    ])('unknown persistence key %j is reported as %s', (yaml, key) => {
      expect(issuesOf(() => loadAppConfig({ file: write('c.yaml', yaml), env: {} }))).toEqual([
        { key, message: 'unknown key' },
      ]);
    });

    it('unknown event bus key deep in the tree', () => {
      const file = write(
        'typo.yaml',
        'eventbus:\n  type: kafka\n  kafka:\n    brokers: [127.0.0.1:9092]\n    producer:\n      requiredAck: 1\n',
      );
      expect(issuesOf(() => loadAppConfig({ file, env: {} }))).toEqual([
        { key: 'eventbus.kafka.producer.requiredAck', message: 'unknown key' },
      ]);
    });

    it.each([
      ['service:\n  port: http\n', 'service.port', /integer in 1\.\.65535, got "http"/],
      ['service:\n  port: 70000\n', 'service.port', /got 70000/],
      ['service:\n  bodyLimit: lots\n', 'service.bodyLimit', /size like 100kb/],
      ['service:\n  logLevel: verbose\n', 'service.logLevel', /one of fatal, error/],
      ['service:\n  name: ""\n', 'service.name', /non-empty/],
      ['service: 3000\n', 'service', /must be a mapping/],
      ['database:\n  poolSize: 0\n', 'database.poolSize', /integer in 1\.\.1000, got 0/],
      ['outbox: []\n', 'outbox', /must be a mapping/],
      ['outbox:\n  pollInterval: soon\n', 'outbox.pollInterval', /duration .*got "soon"/],
      ['outbox:\n  batchSize: 0\n', 'outbox.batchSize', /got 0/],
      ['outbox:\n  concurrency: 65\n', 'outbox.concurrency', /integer in 1\.\.64, got 65/],
      ['service:\n  bodyLimit: 100000gb\n', 'service.bodyLimit', /at most 10mb/],
      ['service:\n  bodyLimit: 11mb\n', 'service.bodyLimit', /at most 10mb/],
      ['service:\n  requestTimeout: 0\n', 'service.requestTimeout', /above 0/],
      ['service:\n  maxConnections: 0\n', 'service.maxConnections', /integer in 1\.\.1000000/],
      [
        'service:\n  notifications:\n    deliveryLatency: 2m\n',
        'service.notifications.deliveryLatency',
        /at most 1m, got 120000/,
      ],
      [
        'service:\n  notifications:\n    deliveryLatency: -5ms\n',
        'service.notifications.deliveryLatency',
        /duration/,
      ],
      ['service:\n  notifications:\n    latency: 5ms\n', 'service.notifications.latency', /unknown key/],
      ['eventbus:\n  retry:\n    maxAttempts: 1e9\n', 'eventbus.retry.maxAttempts', /integer in 1\.\.100/],
      [
        'eventbus:\n  subscriber:\n    concurrency: 1000000\n',
        'eventbus.subscriber.concurrency',
        /1\.\.10000/,
      ],
      ['eventbus:\n  shutdownTimeout: 0\n', 'eventbus.shutdownTimeout', /at least 100ms and at most 10m/],
      ['eventbus:\n  healthCheck:\n    interval: 1ms\n', 'eventbus.healthCheck.interval', /at least 100ms/],
      ['inbox:\n  retention: 0\n', 'inbox.retention', /above 0, got 0/],
      [
        'eventbus:\n  metrics:\n    collectInterval: often\n',
        'eventbus.metrics.collectInterval',
        /got "often"/,
      ],
    ])('%j fails at %s', (yaml, key, message) => {
      const issues = issuesOf(() => loadAppConfig({ file: write('c.yaml', yaml), env: {} }));
      expect(issues).toEqual([{ key, message: expect.stringMatching(message) as string }]);
    });

    it.each([
      ['equal to', '1m', '1m'],
      ['longer than', '2m', '1m'],
    ])(
      'outbox.publishTimeout %s outbox.leaseDuration is reported',
      (_case, publishTimeout, leaseDuration) => {
        const file = write(
          'lease.yaml',
          `outbox:\n  publishTimeout: ${publishTimeout}\n  leaseDuration: ${leaseDuration}\n`,
        );
        expect(issuesOf(() => loadAppConfig({ file, env: {} }))).toEqual([
          { key: 'outbox.publishTimeout', message: 'must be shorter than outbox.leaseDuration' },
        ]);
      },
    );

    it('does not echo a bad database.url (it may hold a password)', () => {
      const file = write('db.yaml', 'database:\n  url: mysql://app:hunter2@db/users\n');
      const issues = issuesOf(() => loadAppConfig({ file, env: {} }));
      expect(issues).toEqual([{ key: 'database.url', message: 'must be a postgres:// connection string' }]);
    });

    it('reports service, event bus and env problems together', () => {
      const file = write('many.yaml', 'service:\n  port: 0\neventbus:\n  type: kafka\n');
      const keys = issuesOf(() => loadAppConfig({ file, env: { LOG_LEVEL: 'loud' } })).map(
        (issue) => issue.key,
      );
      expect(keys.sort()).toEqual(['LOG_LEVEL', 'eventbus.kafka.brokers', 'service.port']);
    });
  });
});
