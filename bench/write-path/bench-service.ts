import { type Server } from 'node:http';
import { type Container } from 'inversify';
import pino, { type Logger } from 'pino';
import { SendWelcomeNotificationOnUserRegistered } from '../../src/application/notifications/send-welcome-notification-on-user-registered.subscriber';
import { type NotificationRepository } from '../../src/domain/notifications/notification.repository.port';
import { type AppConfig } from '../../src/infrastructure/config/app.config';
import { createContainer } from '../../src/infrastructure/di/container';
import { NOTIFICATIONS } from '../../src/infrastructure/di/contexts/notifications.module';
import { resolve, resolveAll } from '../../src/infrastructure/di/token';
import { TOKENS } from '../../src/infrastructure/di/tokens';
import { createEventBus, type EventBus, type EventBusMetrics } from '../../src/infrastructure/eventbus';
import { type DomainEventSerializer } from '../../src/infrastructure/messaging/domain-event.serializer';
import { type Database } from '../../src/infrastructure/persistence/database/database';
import { DatabaseInbox } from '../../src/infrastructure/persistence/inbox/database.inbox';
import { createHealthProbes } from '../../src/interfaces/http/health/health-probes';
import { createHttpApp } from '../../src/interfaces/http/http-app';
import { CompletionLog, LoggedInbox, LoggedSubscriber } from './completion-log';
import { DirectBusEventPublisher } from './direct-bus.event-publisher';
import { NamespacedEventBus } from './namespaced-event-bus';

/** `outbox`: the service as built (events go through the outbox and its relay). `direct`: the bus inside the transaction. */
export type WritePathVariant = 'outbox' | 'direct';

export interface BenchService {
  readonly port: number;
  readonly completions: CompletionLog;
  /** Every topic this service published or subscribed to, for the caller to delete. */
  readonly topics: readonly string[];
  /** Every consumer group it joined. */
  readonly groups: readonly string[];
  stop(): Promise<void>;
}

/**
 * The service from the real composition root with four bench-only changes: topics and groups under
 * `prefix`, a subscriber and inbox that timestamp each committed notification, no health checkers or
 * retention cleanup (not on the write path), and for `direct` the pre-outbox EventPublisher.
 */
export async function startBenchService(
  config: AppConfig,
  variant: WritePathVariant,
  prefix: string,
): Promise<BenchService> {
  const completions = new CompletionLog();
  const logger = pino({ level: 'silent' });
  const container = createContainer(config, { logger });
  rebindForBench(container, variant, prefix, completions);
  // Rebound above to a NamespacedEventBus.
  const bus = (await resolve(container, TOKENS.EventBus)) as NamespacedEventBus;
  const database = await resolve(container, TOKENS.Database);
  const relay = await resolve(container, TOKENS.OutboxRelay);
  const subscriptions = await resolve(container, TOKENS.DomainEventSubscriptions);
  const [subscriber] = await resolveAll(container, TOKENS.DomainEventSubscriber);
  const app = createHttpApp({
    routes: await resolveAll(container, TOKENS.HttpRoute),
    metrics: await resolve(container, TOKENS.MetricsRegistry),
    logger,
    health: createHealthProbes({ eventBus: bus, readiness: { database: () => database.healthCheck() } }),
  });

  await subscriptions.start();
  // The design without an outbox had no relay; its outbox table stays empty.
  if (variant === 'outbox') await relay.start();
  const server = await listen(app);

  return {
    port: (server.address() as { port: number }).port,
    completions,
    topics: ['users.events', 'users.events.dlq'].map((topic) => bus.topic(topic)),
    groups: [bus.topic(subscriber!.subscriberName)],
    async stop() {
      const closing = closeServer(server);
      await relay.stop();
      await bus.close();
      await subscriptions.stop();
      await closing;
      await database.close();
    },
  };
}

function rebindForBench(
  container: Container,
  variant: WritePathVariant,
  prefix: string,
  completions: CompletionLog,
): void {
  container
    .rebindSync(TOKENS.EventBus)
    .toResolvedValue(
      async (config: AppConfig, metrics: EventBusMetrics, logger: Logger) =>
        new NamespacedEventBus(
          await createEventBus(config.eventbus, { metrics, logger: logger.child({ component: 'eventbus' }) }),
          prefix,
        ),
      [TOKENS.AppConfig, TOKENS.EventBusMetrics, TOKENS.Logger],
    )
    .inSingletonScope();
  container
    .rebindSync(TOKENS.Inbox)
    .toResolvedValue(
      (database: Database) => new LoggedInbox(new DatabaseInbox(database), completions),
      [TOKENS.Database],
    )
    .inSingletonScope();
  container
    .rebindSync(TOKENS.DomainEventSubscriber)
    .toResolvedValue(
      (notifications: NotificationRepository) =>
        new LoggedSubscriber(new SendWelcomeNotificationOnUserRegistered(notifications), completions),
      [NOTIFICATIONS.NotificationRepository],
    )
    .inSingletonScope();
  if (variant === 'direct') {
    container
      .rebindSync(TOKENS.EventPublisher)
      .toResolvedValue(
        (bus: EventBus, serializer: DomainEventSerializer) => new DirectBusEventPublisher(bus, serializer),
        [TOKENS.EventBus, TOKENS.DomainEventSerializer],
      )
      .inSingletonScope();
  }
}

/** On a free port of 127.0.0.1; idle keep-alive sockets are kept between rounds (no reconnect races). */
function listen(app: ReturnType<typeof createHttpApp>): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(server)));
    server.keepAliveTimeout = 60_000;
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
