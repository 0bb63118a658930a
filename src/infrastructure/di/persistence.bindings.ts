import { type Container } from 'inversify';
import { type Database } from '../persistence/database/database';
import { openDatabase } from '../persistence/database/open-database';
import { DatabaseUnitOfWork } from '../persistence/database-unit-of-work';
import { DatabaseInbox } from '../persistence/inbox/database.inbox';
import { migrate } from '../persistence/migrations/migrate';
import { OutboxEventPublisher } from '../persistence/outbox/outbox.event-publisher';
import { OutboxMetrics } from '../persistence/outbox/outbox-metrics';
import { OutboxRelay } from '../persistence/outbox/outbox-relay';
import { OutboxStore } from '../persistence/outbox/outbox-store';
import { RetentionCleanup } from '../persistence/retention-cleanup';
import { provide } from './token';
import { TOKENS } from './tokens';

/**
 * The database (PostgreSQL when `database.url` is set, else embedded PGlite), migrated before
 * anything uses it; the unit of work, the outbox and its relay, and the inbox. Each context binds
 * its own repositories.
 */
export function bindPersistence(container: Container, database?: Database): void {
  if (database) container.bind(TOKENS.Database).toConstantValue(database);
  else bindDatabase(container);
  provide(container, TOKENS.UnitOfWork, [TOKENS.Database], (database) => new DatabaseUnitOfWork(database));
  provide(
    container,
    TOKENS.EventPublisher,
    [TOKENS.Database, TOKENS.DomainEventSerializer],
    (database, serializer) => new OutboxEventPublisher(database, serializer),
  );
  provide(container, TOKENS.Inbox, [TOKENS.Database], (database) => new DatabaseInbox(database));
  provide(container, TOKENS.OutboxStore, [TOKENS.Database], (database) => new OutboxStore(database));
  provide(
    container,
    TOKENS.OutboxRelay,
    [
      TOKENS.AppConfig,
      TOKENS.Database,
      TOKENS.OutboxStore,
      TOKENS.EventBus,
      TOKENS.MetricsRegistry,
      TOKENS.InstanceId,
      TOKENS.Logger,
    ],
    (config, database, store, bus, registry, instanceId, logger) =>
      new OutboxRelay(
        database,
        store,
        bus,
        { ...config.outbox, relayId: instanceId },
        new OutboxMetrics(registry, () => store.counts()),
        logger.child({ component: 'outbox-relay' }),
      ),
  );
  provide(
    container,
    TOKENS.RetentionCleanup,
    [TOKENS.AppConfig, TOKENS.OutboxStore, TOKENS.Inbox, TOKENS.Logger],
    (config, store, inbox, logger) =>
      new RetentionCleanup(
        store,
        inbox,
        {
          interval: config.outbox.cleanupInterval,
          outboxRetention: config.outbox.retention,
          inboxRetention: config.inbox.retention,
        },
        logger.child({ component: 'retention-cleanup' }),
      ),
  );
}

/** Opened from `config.database` and migrated before anything uses it. */
function bindDatabase(container: Container): void {
  provide(container, TOKENS.Database, [TOKENS.AppConfig, TOKENS.Logger], async (config, logger) => {
    const database = await openDatabase(config.database, logger.child({ component: 'database' }));
    try {
      const applied = await migrate(database);
      if (applied.length > 0) logger.info({ applied, driver: database.driver }, 'database migrated');
    } catch (error) {
      await database.close();
      throw error;
    }
    return database;
  });
}
