import type { DomainEvent } from '../../src/domain/shared/domain-event';
import type { EventBus } from '../../src/infrastructure/eventbus';
import type { DomainEventSerializer } from '../../src/infrastructure/messaging/domain-event.serializer';
import { toOutgoingMessage } from '../../src/infrastructure/messaging/outgoing-message';

/** Puts events on the bus as the outbox relay does (same key, message id and headers), in order. */
export async function publishEvents(
  bus: EventBus,
  serializer: DomainEventSerializer,
  events: readonly DomainEvent[],
): Promise<void> {
  for (const event of events) {
    const message = toOutgoingMessage(event, serializer);
    await bus.publish(message.topic, message.payload, {
      key: message.key,
      messageId: message.eventId,
      headers: message.headers,
    });
  }
}
