import 'reflect-metadata';
import { loadAppConfig } from './infrastructure/config/load-app-config';
import { createService, type Service } from './infrastructure/di/service';
import { ConfigError } from './infrastructure/eventbus';
import { createLogger } from './infrastructure/logging/create-logger';
import { MigrationError } from './infrastructure/persistence/migrations/migrate';
import { startTracing } from './infrastructure/tracing/tracing';

/** Bootstrap: config (fail fast, naming the key), the service, HTTP, and graceful shutdown. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Invalid configuration:\n${error.message}\n`);
    process.exit(1);
  }

  const tracing = startTracing(config.eventbus.tracing, { serviceName: config.service.name });
  const logger = createLogger(config.service, { traceIds: tracing.enabled });
  const service = await createService(config, { logger, tracing });
  // Listening before the consumers start: a write needs only the database (its events wait in the
  // outbox), while joining a Kafka group can take a whole session timeout after a crash. Readiness
  // answers 503 until the consumers run.
  try {
    const port = await service.listen(config.service.port);
    logger.info({ port, bus: config.eventbus.type }, 'listening');
    handleShutdownSignals(service, logger);
    await service.start();
  } catch (error) {
    // A half-started instance must not keep a consumer group membership or connections behind it.
    await service.stop().catch(() => undefined);
    throw error;
  }
}

function handleShutdownSignals(service: Service, logger: ReturnType<typeof createLogger>): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      logger.warn({ signal }, 'second signal: forcing exit');
      process.exit(1);
    }
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${describeStartFailure(error)}\n`);
  process.exit(1);
});

/** A failed migration is explained by its message (it names the file); anything else shows its stack. */
function describeStartFailure(error: unknown): string {
  if (error instanceof MigrationError) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
