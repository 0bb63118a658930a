import { type EventBusConfig } from './config/event-bus.config';
import { validateEventBusConfig } from './config/validate-event-bus-config';
import { type EventBus } from './event-bus';
import { KafkaEventBus } from './kafka/kafka-event-bus';
import { type EventBusDependencies } from './dependencies';
import { MemoryEventBus } from './memory/memory-event-bus';
import { NatsEventBus } from './nats/nats-event-bus';

/** The seed's `NewFactory(cfg).CreateEventBus()`: validates the config, then builds its backend. */
export class EventBusFactory {
  constructor(
    private readonly config: EventBusConfig,
    private readonly dependencies: EventBusDependencies = {},
  ) {}

  /** Resolves with a bus ready to publish (a broker backend has connected by then). */
  async createEventBus(): Promise<EventBus> {
    const config = validateEventBusConfig(this.config);
    switch (config.type) {
      case 'memory':
        return new MemoryEventBus(config, this.dependencies);
      case 'kafka':
        return KafkaEventBus.connect(config, this.dependencies);
      case 'nats':
        return NatsEventBus.connect(config, this.dependencies);
    }
  }
}

export function createEventBus(
  config: EventBusConfig,
  dependencies?: EventBusDependencies,
): Promise<EventBus> {
  return new EventBusFactory(config, dependencies).createEventBus();
}
