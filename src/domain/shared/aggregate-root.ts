import type { DomainEvent } from './domain-event';

/**
 * Aggregates only record what happened; the use case saves them and then publishes the pulled
 * events, so nothing is announced before it is persisted and no global dispatcher is needed.
 */
export abstract class AggregateRoot {
  private domainEvents: DomainEvent[] = [];

  protected record(event: DomainEvent): void {
    this.domainEvents.push(event);
  }

  /** Returns the recorded events and forgets them, so a second pull cannot publish them twice. */
  pullDomainEvents(): DomainEvent[] {
    const events = this.domainEvents;
    this.domainEvents = [];
    return events;
  }
}
