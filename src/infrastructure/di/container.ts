import { hostname } from 'node:os';
import { Container } from 'inversify';
import { type Logger } from 'pino';
import { type AppConfig } from '../config/app.config';
import { bindApplication } from './application.bindings';
import { bindEventBus } from './event-bus.bindings';
import { bindPersistence } from './persistence.bindings';
import { TOKENS } from './tokens';

export interface ContainerOptions {
  readonly logger: Logger;
  /** Distinguishes this instance's health messages from its siblings' on a shared broker. */
  readonly instanceId?: string;
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
    .bind(TOKENS.InstanceId)
    .toConstantValue(options.instanceId ?? `${hostname()}-${process.pid}-${crypto.randomUUID().slice(0, 8)}`);
  bindEventBus(container);
  bindPersistence(container);
  bindApplication(container);
  return container;
}
