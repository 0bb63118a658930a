import { type EventBusConfig } from './config/event-bus.config';
import { validateEventBusConfig } from './config/validate-event-bus-config';
import { type EventBus } from './event-bus';
import { KafkaEventBus } from './kafka/kafka-event-bus';
import { type EventBusDependencies } from './dependencies';
import { MemoryEventBus } from './memory/memory-event-bus';
import { NatsEventBus } from './nats/nats-event-bus';
import { BusTracing } from './tracing/bus-tracing';
import { TracingEventBus } from './tracing/tracing-event-bus';

/** The seed's `NewFactory(cfg).CreateEventBus()`: validates the config, then builds its backend. */
export class EventBusFactory {
  constructor(
    private readonly config: EventBusConfig,
    private readonly dependencies: EventBusDependencies = {},
  ) {}

  /** Resolves with a bus ready to publish (a broker backend has connected by then). */
  async createEventBus(): Promise<EventBus> {
    const config = validateEventBusConfig(this.config);
    const bus = await this.createBackend(config);
    const tracing = BusTracing.create(config.tracing, config.type, this.dependencies.tracer);
    // Tracing off: the backend itself, so publishing pays nothing for it.
    return tracing.enabled ? new TracingEventBus(bus, tracing) : bus;
  }

  private createBackend(config: EventBusConfig): Promise<EventBus> | EventBus {
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
