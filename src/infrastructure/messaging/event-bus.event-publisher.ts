import type { DomainEvent } from '../../domain/shared/domain-event';
import type { EventPublisher } from '../../domain/shared/event-publisher.port';
import { executionContext } from '../context/execution-context';
import { EnvelopeHeader, type EventBus } from '../eventbus';
import type { DomainEventSerializer } from './domain-event.serializer';
import { topicForEvent } from './topic-naming';

/** The domain's EventPublisher port over whichever EventBus backend is configured. */
export class EventBusEventPublisher implements EventPublisher {
  constructor(
    private readonly bus: EventBus,
    private readonly serializer: DomainEventSerializer,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    const context = executionContext.current();
    // One at a time, in order: events of one call usually share an aggregate, hence a key and its order.
    for (const event of events) {
      // Without a request or event behind it, an event starts its own chain.
      const correlationId = context?.correlationId ?? event.eventId;
      const message = this.serializer.serialize(event, { correlationId, causationId: context?.causationId });
      await this.bus.publish(topicForEvent(event), message, {
        // Per-aggregate order: every backend keeps order per key.
        key: event.aggregateId,
        // The event id, so broker de-duplication (JetStream Nats-Msg-Id) drops a re-published event.
        messageId: event.eventId,
        headers: { [EnvelopeHeader.type]: event.eventName, [EnvelopeHeader.trace]: correlationId },
      });
    }
  }
}
