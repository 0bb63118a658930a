import { type Container } from 'inversify';
import { type Logger } from 'pino';
import { type Registry } from 'prom-client';
import { type AppConfig } from '../config/app.config';
import { type EventBus } from '../eventbus';
import { type DomainEventSerializer } from '../messaging/domain-event.serializer';
import { type Database } from '../persistence/database/database';
import { openDatabase } from '../persistence/database/open-database';
import { DatabaseUnitOfWork } from '../persistence/database-unit-of-work';
import { DatabaseInbox } from '../persistence/inbox/database.inbox';
import { migrate } from '../persistence/migrations/migrate';
import { PostgresNotificationRepository } from '../persistence/notifications/postgres-notification.repository';
import { OutboxEventPublisher } from '../persistence/outbox/outbox.event-publisher';
import { OutboxMetrics } from '../persistence/outbox/outbox-metrics';
import { OutboxRelay } from '../persistence/outbox/outbox-relay';
import { OutboxStore } from '../persistence/outbox/outbox-store';
import { RetentionCleanup } from '../persistence/retention-cleanup';
import { PostgresUserRepository } from '../persistence/users/postgres-user.repository';
import { TOKENS } from './tokens';

/**
 * The database (PostgreSQL when `database.url` is set, else embedded PGlite), migrated before
 * anything uses it; repositories, the unit of work, the outbox and its relay, and the inbox.
 */
export function bindPersistence(container: Container, database?: Database): void {
  if (database) container.bind(TOKENS.Database).toConstantValue(database);
  else bindDatabase(container);
  container
    .bind(TOKENS.UnitOfWork)
    .toResolvedValue((database: Database) => new DatabaseUnitOfWork(database), [TOKENS.Database])
    .inSingletonScope();
  container
    .bind(TOKENS.UserRepository)
    .toResolvedValue((database: Database) => new PostgresUserRepository(database), [TOKENS.Database])
    .inSingletonScope();
  container
    .bind(TOKENS.NotificationRepository)
    .toResolvedValue((database: Database) => new PostgresNotificationRepository(database), [TOKENS.Database])
    .inSingletonScope();
  container
    .bind(TOKENS.EventPublisher)
    .toResolvedValue(
      (database: Database, serializer: DomainEventSerializer) =>
        new OutboxEventPublisher(database, serializer),
      [TOKENS.Database, TOKENS.DomainEventSerializer],
    )
    .inSingletonScope();
  container
    .bind(TOKENS.Inbox)
    .toResolvedValue((database: Database) => new DatabaseInbox(database), [TOKENS.Database])
    .inSingletonScope();
  container
    .bind(TOKENS.OutboxStore)
    .toResolvedValue((database: Database) => new OutboxStore(database), [TOKENS.Database])
    .inSingletonScope();
  container
    .bind(TOKENS.OutboxRelay)
    .toResolvedValue(
      (
        config: AppConfig,
        database: Database,
        store: OutboxStore,
        bus: EventBus,
        registry: Registry,
        instanceId: string,
        logger: Logger,
      ) =>
        new OutboxRelay(
          database,
          store,
          bus,
          { ...config.outbox, relayId: instanceId },
          new OutboxMetrics(registry, () => store.counts()),
          logger.child({ component: 'outbox-relay' }),
        ),
      [
        TOKENS.AppConfig,
        TOKENS.Database,
        TOKENS.OutboxStore,
        TOKENS.EventBus,
        TOKENS.MetricsRegistry,
        TOKENS.InstanceId,
        TOKENS.Logger,
      ],
    )
    .inSingletonScope();
  container
    .bind(TOKENS.RetentionCleanup)
    .toResolvedValue(
      (config: AppConfig, store: OutboxStore, inbox: DatabaseInbox, logger: Logger) =>
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
      [TOKENS.AppConfig, TOKENS.OutboxStore, TOKENS.Inbox, TOKENS.Logger],
    )
    .inSingletonScope();
}

/** Opened from `config.database` and migrated before anything uses it. */
function bindDatabase(container: Container): void {
  container
    .bind(TOKENS.Database)
    .toResolvedValue(
      async (config: AppConfig, logger: Logger) => {
        const database = await openDatabase(config.database, logger.child({ component: 'database' }));
        try {
          const applied = await migrate(database);
          if (applied.length > 0) logger.info({ applied, driver: database.driver }, 'database migrated');
        } catch (error) {
          await database.close();
          throw error;
        }
        return database;
      },
      [TOKENS.AppConfig, TOKENS.Logger],
    )
    .inSingletonScope();
}
