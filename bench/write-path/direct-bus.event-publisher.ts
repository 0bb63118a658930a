import type { DomainEvent } from '../../src/domain/shared/domain-event';
import type { EventPublisher } from '../../src/domain/shared/event-publisher.port';
import type { EventBus } from '../../src/infrastructure/eventbus';
import type { DomainEventSerializer } from '../../src/infrastructure/messaging/domain-event.serializer';
import { toOutgoingMessage } from '../../src/infrastructure/messaging/outgoing-message';

/**
 * The design without an outbox, as the baseline of the write-path bench: each event goes to the bus
 * inside the use case's transaction (which stays open until the broker acks), with the same topic,
 * key, message id, headers and payload the relay would publish.
 */
export class DirectBusEventPublisher implements EventPublisher {
  constructor(
    private readonly bus: EventBus,
    private readonly serializer: DomainEventSerializer,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    // One at a time, in order: the events of one call share an aggregate, hence a key and its order.
    for (const event of events) {
      const message = toOutgoingMessage(event, this.serializer);
      await this.bus.publish(message.topic, message.payload, {
        key: message.key,
        messageId: message.eventId,
        headers: message.headers,
      });
    }
  }
}
