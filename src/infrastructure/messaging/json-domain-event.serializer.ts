import type { DomainEvent } from '../../domain/shared/domain-event';
import type { DomainEventRegistry } from './domain-event-registry';
import { parseEnvelope, toEnvelope, type EventMetadata } from './domain-event-envelope';
import type { DeserializedDomainEvent, DomainEventSerializer } from './domain-event.serializer';
import {
  MalformedEventMessageError,
  UnknownEventNameError,
  UnsupportedEventVersionError,
} from './messaging.errors';

const encoder = new TextEncoder();
// Fatal: a payload that is not UTF-8 is malformed, not silently repaired with replacement characters.
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The JSON envelope (see `DomainEventEnvelope`) shared by every bus backend. */
export class JsonDomainEventSerializer implements DomainEventSerializer {
  constructor(private readonly registry: DomainEventRegistry) {}

  serialize(event: DomainEvent, metadata: EventMetadata): Uint8Array {
    return encoder.encode(JSON.stringify(toEnvelope(event, metadata)));
  }

  /** Throws MalformedEventMessageError, UnknownEventNameError, UnsupportedEventVersionError, or the event's InvalidEventPayloadError. */
  deserialize(message: Uint8Array): DeserializedDomainEvent {
    const envelope = parseEnvelope(parseJson(message));
    const eventClass = this.registry.get(envelope.eventName);
    if (!eventClass) throw new UnknownEventNameError(envelope.eventName);
    // Older versions go to fromPrimitives, which may upcast them; a newer one has fields we would drop.
    if (envelope.version > eventClass.VERSION) {
      throw new UnsupportedEventVersionError(envelope.eventName, envelope.version, eventClass.VERSION);
    }
    const event = eventClass.fromPrimitives({
      eventId: envelope.eventId,
      aggregateId: envelope.aggregateId,
      occurredOn: new Date(envelope.occurredOn),
      attributes: envelope.attributes,
    });
    const { correlationId, causationId, tenantId } = envelope.metadata;
    return {
      event,
      metadata: {
        correlationId,
        ...(causationId !== null ? { causationId } : {}),
        ...(tenantId !== undefined ? { tenantId } : {}),
      },
    };
  }
}

function parseJson(message: Uint8Array): unknown {
  let text: string;
  try {
    text = decoder.decode(message);
  } catch {
    throw new MalformedEventMessageError('message is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedEventMessageError('message is not valid JSON');
  }
}
