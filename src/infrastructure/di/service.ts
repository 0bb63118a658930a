import { readFileSync } from 'node:fs';
import { type Server } from 'node:http';
import { join } from 'node:path';
import { type Express } from 'express';
import { type Container } from 'inversify';
import { createHealthProbes } from '../../interfaces/http/health/health-probes';
import { createHttpApp } from '../../interfaces/http/http-app';
import { createLimitedHttpServer } from '../../interfaces/http/http-server-limits';
import { type AppConfig } from '../config/app.config';
import { type EventBus } from '../eventbus';
import { buildEventCatalogue } from '../messaging/event-catalogue';
import { type Database } from '../persistence/database/database';
import { createContainer, type ContainerOptions } from './container';
import { SERVICE_TRACER_NAME } from './provide-use-case';
import { resolve, resolveAll, type Token } from './token';
import { TOKENS } from './tokens';

/** The version in package.json, at the root above src/ and dist/ alike. */
const SERVICE_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

/** The running service: its HTTP app and the lifecycle of everything behind it. */
export interface Service {
  readonly app: Express;
  readonly container: Container;
  readonly bus: EventBus;
  readonly database: Database;
  /** Subscribes the domain event subscribers, starts the outbox relay and the health checkers. */
  start(): Promise<void>;
  /** Listens on `port` (0 picks a free one); resolves with the bound port. */
  listen(port: number): Promise<number>;
  /**
   * Stops taking requests and health checks, stops the relay (its batch in flight finishes), drains
   * the bus (in-flight handlers finish), then closes the database. Idempotent.
   */
  stop(): Promise<void>;
}

export async function createService(config: AppConfig, options: ContainerOptions): Promise<Service> {
  const container = createContainer(config, options);
  const get = <T>(id: Token<T>): Promise<T> => resolve(container, id);
  const bus = await get(TOKENS.EventBus);
  const database = await get(TOKENS.Database);
  const relay = await get(TOKENS.OutboxRelay);
  const cleanup = await get(TOKENS.RetentionCleanup);
  const subscriptions = await get(TOKENS.DomainEventSubscriptions);
  const publisherHealth = await get(TOKENS.PublisherHealthChecker);
  const subscriberHealth = await get(TOKENS.SubscriberHealthChecker);
  const healthCheck = config.eventbus.healthCheck;
  const logger = options.logger;
  const tracing = await get(TOKENS.Tracing);
  // Set on stop(): readiness turns 503 at once and data routes refuse new requests.
  let draining = false;

  const app = createHttpApp({
    routes: await resolveAll(container, TOKENS.HttpRoute),
    catalogue: {
      title: config.service.name,
      version: SERVICE_VERSION,
      asyncapi: buildEventCatalogue({
        title: `${config.service.name} events`,
        version: SERVICE_VERSION,
        published: (await resolveAll(container, TOKENS.PublishedEvents)).flat(),
        subscribers: await resolveAll(container, TOKENS.DomainEventSubscriber),
      }),
    },
    metrics: await get(TOKENS.MetricsRegistry),
    logger,
    tracer: tracing.tracer(SERVICE_TRACER_NAME),
    tenancy: config.service.tenancy,
    draining: () => draining,
    healthDetails: config.service.healthDetails,
    health: createHealthProbes({
      eventBus: bus,
      readiness: {
        shutdown: async () => {
          if (draining) throw new Error('the service is shutting down');
        },
        database: () => database.healthCheck(),
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
    draining = true;
    // HTTP first: requests in flight finish (within requestTimeout) while everything they need runs.
    if (server) await closeServer(server, config.service.requestTimeout);
    await publisherHealth.stop();
    await subscriberHealth.stop();
    // Committed events not yet published stay in the outbox for the next start (or another instance).
    await relay.stop();
    await cleanup.stop();
    // Closing the bus first lets queued and in-flight events finish; then the subscriptions are done.
    await bus.close();
    await subscriptions.stop();
    await database.close();
    // Last, so the spans of everything above are exported.
    await tracing.shutdown();
    logger.info('service stopped');
  };

  return {
    app,
    container,
    bus,
    database,
    async start() {
      await subscriptions.start();
      await relay.start();
      cleanup.start();
      if (healthCheck.enabled) {
        await subscriberHealth.start();
        publisherHealth.start();
      }
      logger.info({ bus: bus.kind, database: database.driver }, 'service started');
    },
    listen(port) {
      return new Promise((resolve, reject) => {
        const listening = createLimitedHttpServer(app, config.service);
        listening.once('error', reject);
        listening.listen(port, () => {
          listening.off('error', reject);
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

/**
 * Stops accepting connections, drops idle keep-alive sockets, and lets requests in progress finish
 * for up to `graceMs`; then closes whatever is still open.
 */
async function closeServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A kept-alive connection still takes requests after close(); each one that falls idle is closed
  // as soon as it does (and the shutdown gate refuses what arrives on it meanwhile).
  server.closeIdleConnections();
  const sweeper = setInterval(() => server.closeIdleConnections(), 50);
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([closed, grace]);
  clearInterval(sweeper);
  clearTimeout(timer);
  server.closeAllConnections();
  await closed;
}
