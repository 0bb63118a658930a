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

/**
 * An event's attributes as its consumers see them: the event catalogue (AsyncAPI) is built from
 * this, and a test checks every event against it (what `toPrimitives` writes, `fromPrimitives` reads).
 */
export type EventAttributes = Readonly<
  Record<string, { readonly type: 'string' | 'number' | 'integer' | 'boolean'; readonly description: string }>
>;

/** Turns the attributes of one version of an event into those of the next. */
export type EventUpcaster = (attributes: Record<string, unknown>) => Record<string, unknown>;

/** What a serializer registry needs to rebuild an event. */
export interface DomainEventClass<E extends DomainEvent = DomainEvent> {
  readonly EVENT_NAME: string;
  readonly VERSION: number;
  /** What the event means, for the catalogue. */
  readonly DESCRIPTION: string;
  readonly ATTRIBUTES: EventAttributes;
  /**
   * From each older version to the next (`{ 1: v1 => v2 }`), so messages written before a change of
   * shape (in the outbox, the broker, a dead-letter topic) are still read: `fromPrimitives` then
   * only ever sees the current shape.
   */
  readonly UPCASTERS?: Readonly<Record<number, EventUpcaster>>;
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
