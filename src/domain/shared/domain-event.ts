import { InvalidEventPayloadError } from './domain-error';

/** The full, serializable shape of an event: what serializers put on the wire. */
export interface DomainEventPrimitives {
  eventId: string;
  aggregateId: string;
  /** ISO-8601. */
  occurredOn: string;
  eventName: string;
  version: number;
  attributes: Record<string, unknown>;
}

export interface DomainEventProps {
  aggregateId: string;
  eventId?: string;
  occurredOn?: Date;
}

/** What `fromPrimitives` receives: the envelope already parsed, the attributes still untrusted. */
export interface DomainEventFromPrimitivesProps {
  aggregateId: string;
  eventId: string;
  occurredOn: Date;
  attributes: Record<string, unknown>;
}

/** Something that happened in the domain. Routed by `eventName`, never by class name. */
export abstract class DomainEvent {
  readonly eventId: string;
  readonly aggregateId: string;
  readonly occurredOn: Date;
  abstract readonly eventName: string;
  abstract readonly version: number;

  protected constructor(props: DomainEventProps) {
    this.aggregateId = props.aggregateId;
    this.eventId = props.eventId ?? crypto.randomUUID();
    // Copied so that mutating the caller's Date cannot rewrite history.
    this.occurredOn = props.occurredOn ? new Date(props.occurredOn.getTime()) : new Date();
  }

  /** The event-specific attributes only. */
  abstract toPrimitives(): Record<string, unknown>;

  toEnvelopePrimitives(): DomainEventPrimitives {
    return {
      eventId: this.eventId,
      aggregateId: this.aggregateId,
      occurredOn: this.occurredOn.toISOString(),
      eventName: this.eventName,
      version: this.version,
      attributes: this.toPrimitives(),
    };
  }
}

/** What a serializer registry needs to rebuild an event. */
export interface DomainEventClass<E extends DomainEvent = DomainEvent> {
  readonly EVENT_NAME: string;
  readonly VERSION: number;
  fromPrimitives(p: DomainEventFromPrimitivesProps): E;
}

/** For `fromPrimitives` implementations: attributes come off the wire, so their types are checked. */
export function readStringAttribute(
  attributes: Record<string, unknown>,
  key: string,
  eventName: string,
): string {
  const value = attributes[key];
  if (typeof value !== 'string') {
    throw new InvalidEventPayloadError(`${eventName}: attribute "${key}" must be a string`);
  }
  return value;
}
