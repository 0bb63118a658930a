import type { DomainEvent } from './domain-event';

/**
 * Announces events to other contexts. Correlation and causation ids are added by the adapter from
 * its async context; the domain does not know them.
 */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
