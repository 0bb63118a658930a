import { type Server } from 'node:http';
import { type Express } from 'express';
import { type Container } from 'inversify';
import { type Registry } from 'prom-client';
import { type ListUserNotificationsUseCase } from '../../application/notifications/list-user-notifications.use-case';
import { type GetUserUseCase } from '../../application/users/get-user.use-case';
import { type RegisterUserUseCase } from '../../application/users/register-user.use-case';
import { createHealthProbes } from '../../interfaces/http/health/health-probes';
import { createHttpApp } from '../../interfaces/http/http-app';
import { type AppConfig } from '../config/app.config';
import { type EventBus, type PublisherHealthChecker, type SubscriberHealthChecker } from '../eventbus';
import { type DomainEventSubscriptions } from '../messaging/domain-event-subscriptions';
import { createContainer, type ContainerOptions } from './container';
import { TOKENS } from './tokens';

/** The running service: its HTTP app and the lifecycle of everything behind it. */
export interface Service {
  readonly app: Express;
  readonly container: Container;
  readonly bus: EventBus;
  /** Subscribes the domain event subscribers and starts the health checkers. */
  start(): Promise<void>;
  /** Listens on `port` (0 picks a free one); resolves with the bound port. */
  listen(port: number): Promise<number>;
  /** Stops taking requests and health checks, drains the bus (in-flight handlers finish). Idempotent. */
  stop(): Promise<void>;
}

export async function createService(config: AppConfig, options: ContainerOptions): Promise<Service> {
  const container = createContainer(config, options);
  const get = <T>(token: symbol): Promise<T> => container.getAsync<T>(token);
  const bus = await get<EventBus>(TOKENS.EventBus);
  const subscriptions = await get<DomainEventSubscriptions>(TOKENS.DomainEventSubscriptions);
  const publisherHealth = await get<PublisherHealthChecker>(TOKENS.PublisherHealthChecker);
  const subscriberHealth = await get<SubscriberHealthChecker>(TOKENS.SubscriberHealthChecker);
  const healthCheck = config.eventbus.healthCheck;
  const logger = options.logger;

  const app = createHttpApp({
    registerUser: await get<RegisterUserUseCase>(TOKENS.RegisterUserUseCase),
    getUser: await get<GetUserUseCase>(TOKENS.GetUserUseCase),
    listUserNotifications: await get<ListUserNotificationsUseCase>(TOKENS.ListUserNotificationsUseCase),
    metrics: await get<Registry>(TOKENS.MetricsRegistry),
    logger,
    bodyLimit: config.service.bodyLimit,
    health: createHealthProbes({
      eventBus: bus,
      readiness: {
        consumers: async () => {
          if (!subscriptions.running) throw new Error('domain event consumers are not running');
        },
        ...(healthCheck.enabled ? { subscriberHealthChecker: () => subscriberHealth.check() } : {}),
      },
    }),
  });

  let server: Server | undefined;
  let stopping: Promise<void> | undefined;

  const stop = async (): Promise<void> => {
    const closingServer = server ? closeServer(server) : Promise.resolve();
    await publisherHealth.stop();
    await subscriberHealth.stop();
    // Closing the bus first lets queued and in-flight events finish; then the subscriptions are done.
    await bus.close();
    await subscriptions.stop();
    await closingServer;
    logger.info('service stopped');
  };

  return {
    app,
    container,
    bus,
    async start() {
      await subscriptions.start();
      if (healthCheck.enabled) {
        await subscriberHealth.start();
        publisherHealth.start();
      }
      logger.info({ bus: bus.kind }, 'service started');
    },
    listen(port) {
      return new Promise((resolve, reject) => {
        const listening = app.listen(port, (error?: Error) => {
          if (error) return reject(error);
          const address = listening.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
        server = listening;
      });
    },
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}

/** Stops accepting connections, lets requests in progress finish, and drops idle keep-alive sockets. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
