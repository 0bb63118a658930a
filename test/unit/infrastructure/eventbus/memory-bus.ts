import { EventBusMetrics, MemoryEventBus, getDefaultMemoryConfig } from '../../../../src/infrastructure/eventbus';

/** A real memory bus with fast retries and unexported metrics, for tests of code built on the bus. */
export function testMemoryBus(metrics = new EventBusMetrics(null)): MemoryEventBus {
  const config = getDefaultMemoryConfig();
  config.retry = { maxAttempts: 3, initialBackoff: 1, maxBackoff: 5, multiplier: 2 };
  config.shutdownTimeout = 2000;
  return new MemoryEventBus(config, { metrics });
}
