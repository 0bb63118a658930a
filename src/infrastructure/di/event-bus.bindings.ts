import { type Container } from 'inversify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import {
  createEventBus,
  EventBusMetrics,
  PublisherHealthChecker,
  SubscriberHealthChecker,
  TRACER_NAME as EVENTBUS_TRACER_NAME,
} from '../eventbus';
import { provide } from './token';
import { TOKENS } from './tokens';

/** Metrics, the bus (backend chosen by `eventbus.type`) and its health checkers. */
export function bindEventBus(container: Container): void {
  provide(container, TOKENS.MetricsRegistry, [], () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    return registry;
  });
  provide(
    container,
    TOKENS.EventBusMetrics,
    [TOKENS.AppConfig, TOKENS.MetricsRegistry],
    (config, registry) => new EventBusMetrics(config.eventbus.metrics.enabled ? registry : null),
  );
  provide(
    container,
    TOKENS.EventBus,
    [TOKENS.AppConfig, TOKENS.EventBusMetrics, TOKENS.Logger, TOKENS.Tracing],
    (config, metrics, logger, tracing) =>
      createEventBus(
        // OTEL_SDK_DISABLED may have turned tracing off although the config asks for it.
        { ...config.eventbus, tracing: { ...config.eventbus.tracing, enabled: tracing.enabled } },
        {
          metrics,
          logger: logger.child({ component: 'eventbus' }),
          tracer: tracing.tracer(EVENTBUS_TRACER_NAME),
        },
      ),
  );
  provide(
    container,
    TOKENS.PublisherHealthChecker,
    [TOKENS.AppConfig, TOKENS.EventBus, TOKENS.InstanceId, TOKENS.Logger],
    (config, bus, instanceId, logger) =>
      new PublisherHealthChecker(bus, {
        instanceId,
        interval: config.eventbus.healthCheck.interval,
        timeout: config.eventbus.healthCheck.timeout,
        topic: config.eventbus.healthCheck.topic,
        logger: logger.child({ component: 'publisher-health-checker' }),
      }),
  );
  provide(
    container,
    TOKENS.SubscriberHealthChecker,
    [TOKENS.AppConfig, TOKENS.EventBus, TOKENS.InstanceId],
    (config, bus, instanceId) =>
      new SubscriberHealthChecker(bus, {
        instanceId,
        maxMessageAge: config.eventbus.healthCheck.maxMessageAge,
        timeout: config.eventbus.healthCheck.timeout,
        topic: config.eventbus.healthCheck.topic,
      }),
  );
}
