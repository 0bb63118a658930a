import pino from 'pino';
import { type AppConfig } from '../../src/infrastructure/config/app.config';
import { loadAppConfig } from '../../src/infrastructure/config/load-app-config';
import { createService, type Service } from '../../src/infrastructure/di/service';
import { type Database } from '../../src/infrastructure/persistence/database/database';
import { type Tracing } from '../../src/infrastructure/tracing/tracing';
import { createTestDatabase } from './database/test-databases';

/**
 * The real service, wired by the real container, on the backend of `file` (env overrides apply, as
 * in production). Health checks run often, and retries and the outbox relay are fast, so tests
 * observe them quickly. Its database is `database` when given, else a fresh in-memory PGlite copy of
 * a migrated one; the service closes it on stop. `tracing` replaces the tracing the config would start
 * (a test's in-memory exporter); the service shuts it down on stop.
 */
export async function startTestService(
  file = 'config/default.yaml',
  adjust: (config: AppConfig) => void = () => undefined,
  { database, tracing }: { database?: Database; tracing?: Tracing } = {},
): Promise<Service> {
  const config = loadAppConfig({ file });
  config.eventbus.healthCheck.interval = 200;
  config.eventbus.healthCheck.maxMessageAge = 5_000;
  config.eventbus.retry = { maxAttempts: 3, initialBackoff: 5, maxBackoff: 20, multiplier: 2 };
  config.outbox = { ...config.outbox, pollInterval: 200, initialBackoff: 50, maxBackoff: 1_000 };
  adjust(config);
  const service = await createService(config, {
    // TEST_LOG_LEVEL=debug shows the service's logs when a test needs explaining.
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    database: database ?? (await createTestDatabase('pglite')).database,
    tracing,
  });
  await service.start();
  return service;
}
