import { hostname } from 'node:os';
import { Container } from 'inversify';
import { type Logger } from 'pino';
import { type AppConfig } from '../config/app.config';
import { type Database } from '../persistence/database/database';
import { startTracing, type Tracing } from '../tracing/tracing';
import { bindNotificationsContext } from './contexts/notifications.module';
import { bindUsersContext } from './contexts/users.module';
import { bindEventBus } from './event-bus.bindings';
import { bindMessaging } from './messaging.bindings';
import { bindPersistence } from './persistence.bindings';
import { TOKENS } from './tokens';

export interface ContainerOptions {
  readonly logger: Logger;
  /** Distinguishes this instance's health messages and outbox leases from its siblings'. */
  readonly instanceId?: string;
  /**
   * An open, migrated database to use instead of opening `config.database` (an embedding host or a
   * test that shares one). The service still closes it on stop.
   */
  readonly database?: Database;
  /** Tracing already started (main, to put trace ids in its logs; a test, with its exporter). Default: per config. */
  readonly tracing?: Tracing;
}

/**
 * The composition root: the only place that knows every layer. Domain and application classes stay
 * free of inversify; they are built here by factories that name their dependencies.
 */
export function createContainer(config: AppConfig, options: ContainerOptions): Container {
  const container = new Container();
  container.bind(TOKENS.AppConfig).toConstantValue(config);
  container.bind(TOKENS.Logger).toConstantValue(options.logger);
  container
    .bind(TOKENS.Tracing)
    .toConstantValue(
      options.tracing ?? startTracing(config.eventbus.tracing, { serviceName: config.service.name }),
    );
  container
    .bind(TOKENS.InstanceId)
    .toConstantValue(options.instanceId ?? `${hostname()}-${process.pid}-${crypto.randomUUID().slice(0, 8)}`);
  bindEventBus(container);
  bindPersistence(container, options.database);
  bindMessaging(container);
  // The bounded contexts: a new context is one more module here.
  bindUsersContext(container);
  bindNotificationsContext(container);
  return container;
}
