import type { DomainEvent } from '../../domain/shared/domain-event';
import type { EventMetadata } from './domain-event-envelope';

export interface DeserializedDomainEvent {
  readonly event: DomainEvent;
  readonly metadata: EventMetadata;
}

/**
 * Turns events into message bytes and back; the publisher and the subscriptions depend on this, not
 * on the JSON format. `deserialize` throws a typed error for any message it cannot rebuild.
 */
export interface DomainEventSerializer {
  serialize(event: DomainEvent, metadata: EventMetadata): Uint8Array;
  deserialize(message: Uint8Array): DeserializedDomainEvent;
}
