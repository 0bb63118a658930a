import type { DomainEvent } from './domain-event';

/**
 * Announces events to other contexts. Called inside the use case's unit of work: the adapter
 * records the events in the same transaction as the aggregate's changes (a transactional outbox),
 * and they reach the bus after the commit, so no event announces a change that was rolled back
 * and no committed change loses its event. Correlation and causation ids are added by the adapter.
 */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}
