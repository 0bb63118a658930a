import { MemoryEventBus, EventBusMetrics, getDefaultMemoryConfig } from '../../src/infrastructure/eventbus';
import { describeEventBusContract } from './event-bus.contract-suite';

describeEventBusContract(
  'memory',
  (options) => {
    const config = getDefaultMemoryConfig();
    config.retry = options.retry;
    config.publisher.maxMessageBytes = options.maxMessageBytes;
    config.memory.groupId = options.defaultGroup;
    config.shutdownTimeout = 5000;
    return Promise.resolve(new MemoryEventBus(config, { metrics: new EventBusMetrics(null) }));
  },
  { persistent: false, deliveryTimeout: 5000 },
);
