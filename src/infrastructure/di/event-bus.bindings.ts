import { type Container } from 'inversify';
import { type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type AppConfig } from '../config/app.config';
import {
  createEventBus,
  EventBusMetrics,
  PublisherHealthChecker,
  SubscriberHealthChecker,
  TRACER_NAME as EVENTBUS_TRACER_NAME,
  type EventBus,
} from '../eventbus';
import { type Tracing } from '../tracing/tracing';
import { TOKENS } from './tokens';

/** Metrics, the bus (backend chosen by `eventbus.type`) and its health checkers. */
export function bindEventBus(container: Container): void {
  container
    .bind(TOKENS.MetricsRegistry)
    .toResolvedValue(() => {
      const registry = new Registry();
      collectDefaultMetrics({ register: registry });
      return registry;
    })
    .inSingletonScope();
  container
    .bind(TOKENS.EventBusMetrics)
    .toResolvedValue(
      (config: AppConfig, registry: Registry) =>
        new EventBusMetrics(config.eventbus.metrics.enabled ? registry : null),
      [TOKENS.AppConfig, TOKENS.MetricsRegistry],
    )
    .inSingletonScope();
  container
    .bind(TOKENS.EventBus)
    .toResolvedValue(
      (config: AppConfig, metrics: EventBusMetrics, logger: Logger, tracing: Tracing) =>
        createEventBus(
          // OTEL_SDK_DISABLED may have turned tracing off although the config asks for it.
          { ...config.eventbus, tracing: { ...config.eventbus.tracing, enabled: tracing.enabled } },
          {
            metrics,
            logger: logger.child({ component: 'eventbus' }),
            tracer: tracing.tracer(EVENTBUS_TRACER_NAME),
          },
        ),
      [TOKENS.AppConfig, TOKENS.EventBusMetrics, TOKENS.Logger, TOKENS.Tracing],
    )
    .inSingletonScope();
  container
    .bind(TOKENS.PublisherHealthChecker)
    .toResolvedValue(
      (config: AppConfig, bus: EventBus, instanceId: string, logger: Logger) =>
        new PublisherHealthChecker(bus, {
          instanceId,
          interval: config.eventbus.healthCheck.interval,
          timeout: config.eventbus.healthCheck.timeout,
          topic: config.eventbus.healthCheck.topic,
          logger: logger.child({ component: 'publisher-health-checker' }),
        }),
      [TOKENS.AppConfig, TOKENS.EventBus, TOKENS.InstanceId, TOKENS.Logger],
    )
    .inSingletonScope();
  container
    .bind(TOKENS.SubscriberHealthChecker)
    .toResolvedValue(
      (config: AppConfig, bus: EventBus, instanceId: string) =>
        new SubscriberHealthChecker(bus, {
          instanceId,
          maxMessageAge: config.eventbus.healthCheck.maxMessageAge,
          timeout: config.eventbus.healthCheck.timeout,
          topic: config.eventbus.healthCheck.topic,
        }),
      [TOKENS.AppConfig, TOKENS.EventBus, TOKENS.InstanceId],
    )
    .inSingletonScope();
}
