import type { DomainEvent, DomainEventClass } from '../../domain/shared/domain-event';

/**
 * One reaction to one or more events, named `<Action>On<Event>`.
 *
 * Delivery is at-least-once, but effects happen once: `on` runs inside a transaction together with
 * a record of (subscriberName, eventId), so a redelivered event is skipped and a failed one leaves
 * nothing behind. Effects outside the database (an email, an HTTP call) get no such guarantee and
 * must be idempotent on their own.
 */
export interface DomainEventSubscriber<E extends DomainEvent = DomainEvent> {
  /** Stable name; the bus uses it as the consumer group, so each reaction gets every event once. */
  readonly subscriberName: string;
  subscribedTo(): readonly DomainEventClass[];
  on(event: E): Promise<void>;
}
