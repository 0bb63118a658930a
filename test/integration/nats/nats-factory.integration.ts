import {
  closeGlobal,
  createEventBus,
  EventBusMetrics,
  getDefaultNatsConfig,
  getGlobal,
  initializeFromConfig,
  NatsEventBus,
} from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';

jest.setTimeout(15_000);

describeWithBroker('nats', 'the factory and the global bus with eventbus.type nats', (urls) => {
  const dependencies = { metrics: new EventBusMetrics(null) };

  it('builds a connected NatsEventBus from the default NATS config', async () => {
    const bus = await createEventBus(getDefaultNatsConfig(urls()), dependencies);
    try {
      expect(bus).toBeInstanceOf(NatsEventBus);
      expect(bus.kind).toBe('nats');
      await expect(bus.healthCheck()).resolves.toBeUndefined();
    } finally {
      await bus.close();
    }
  });

  it('initializes and closes the global bus on NATS', async () => {
    const bus = await initializeFromConfig(getDefaultNatsConfig(urls()), dependencies);
    expect(getGlobal()).toBe(bus);
    await closeGlobal();
    await expect(bus.healthCheck()).rejects.toThrow(/closed/);
  });
});
