import {
  EventBusMetrics,
  getDefaultNatsConfig,
  NatsEventBus,
  type EventBusConfig,
  type EventBusLogger,
} from '../../../src/infrastructure/eventbus';

/**
 * A NatsEventBus on `urls` with test-friendly settings (short shutdown, unexported metrics unless
 * `metrics` is given); `adjust` changes the config before connecting.
 */
export function connectTestNatsBus(
  urls: string[],
  adjust: (config: EventBusConfig) => void = () => undefined,
  logger?: EventBusLogger,
  metrics: EventBusMetrics = new EventBusMetrics(null),
): Promise<NatsEventBus> {
  const config = getDefaultNatsConfig(urls);
  config.shutdownTimeout = 5_000;
  config.nats!.connectionTimeout = 5_000;
  config.nats!.reconnectWait = 200;
  adjust(config);
  return NatsEventBus.connect(config, { metrics, ...(logger ? { logger } : {}) });
}
