import {
  ConfigError,
  EventBusFactory,
  EventBusMetrics,
  MemoryEventBus,
  closeGlobal,
  createEventBus,
  getDefaultKafkaConfig,
  getDefaultMemoryConfig,
  getDefaultNatsConfig,
  getGlobal,
  initializeFromConfig,
  runtime,
} from '../../../../src/infrastructure/eventbus';

const dependencies = { metrics: new EventBusMetrics(null) };

describe('createEventBus / EventBusFactory', () => {
  it('builds a memory bus from the default memory config', async () => {
    const bus = await new EventBusFactory(getDefaultMemoryConfig(), dependencies).createEventBus();
    expect(bus).toBeInstanceOf(MemoryEventBus);
    await bus.close();
  });

  it('checks the kafka keys before connecting: an inconsistent value fails naming its key', async () => {
    const config = getDefaultKafkaConfig(['127.0.0.1:9092']);
    config.kafka!.consumer.fetchMinBytes = 4096;
    config.kafka!.consumer.fetchMaxBytes = 1024;
    await expect(createEventBus(config, dependencies)).rejects.toThrow(
      'eventbus.kafka.consumer.fetchMinBytes',
    );
  });

  it('checks the nats keys before connecting: an invalid value fails naming its key', async () => {
    const config = getDefaultNatsConfig(['nats://127.0.0.1:4222']);
    config.nats!.durableName = 'has.dot';
    await expect(createEventBus(config, dependencies)).rejects.toThrow('eventbus.nats.durableName');
  });

  it('rejects an invalid programmatic config naming the key', async () => {
    const config = getDefaultMemoryConfig();
    config.retry.maxAttempts = 0;
    await expect(createEventBus(config, dependencies)).rejects.toBeInstanceOf(ConfigError);
    await expect(createEventBus(config, dependencies)).rejects.toThrow('eventbus.retry.maxAttempts');
  });
});

describe('global bus and runtime holder', () => {
  afterEach(() => closeGlobal());

  it('initializes, returns and closes the global bus', async () => {
    expect(() => getGlobal()).toThrow(/not initialized/);
    const bus = await initializeFromConfig(getDefaultMemoryConfig(), dependencies);
    expect(getGlobal()).toBe(bus);
    await expect(initializeFromConfig(getDefaultMemoryConfig(), dependencies)).rejects.toThrow(
      /already initialized/,
    );
    await closeGlobal();
    await expect(bus.healthCheck()).rejects.toThrow(/closed/);
    expect(() => getGlobal()).toThrow(/not initialized/);
  });

  it('holds the bus a framework parks on the runtime', async () => {
    const bus = await createEventBus(getDefaultMemoryConfig(), dependencies);
    runtime.setEventBus(bus);
    expect(runtime.getEventBus()).toBe(bus);
    await bus.close();
  });
});
