import type { DomainEvent, DomainEventClass } from '../../domain/shared/domain-event';

/** One reaction to one or more events, named `<Action>On<Event>`. */
export interface DomainEventSubscriber<E extends DomainEvent = DomainEvent> {
  /** Stable name; the bus uses it as the consumer group, so each reaction gets every event once. */
  readonly subscriberName: string;
  subscribedTo(): readonly DomainEventClass[];
  on(event: E): Promise<void>;
}
