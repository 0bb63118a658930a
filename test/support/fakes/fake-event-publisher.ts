import type { DomainEvent } from '../../../src/domain/shared/domain-event';
import type { EventPublisher } from '../../../src/domain/shared/event-publisher.port';

/** Records what was published; assertion helpers compare what identifies an event's meaning. */
export class FakeEventPublisher implements EventPublisher {
  private readonly batches: DomainEvent[][] = [];

  publish(events: readonly DomainEvent[]): Promise<void> {
    this.batches.push([...events]);
    return Promise.resolve();
  }

  /** Every event published so far, across calls, in order. */
  get publishedEvents(): DomainEvent[] {
    return this.batches.flat();
  }

  /**
   * The last `publish` call carried exactly these events. eventId and occurredOn are ignored because the
   * code under test generates them; class, name, version, aggregateId and attributes must match.
   */
  assertLastPublishedEvents(...expected: DomainEvent[]): void {
    const last = this.batches.at(-1);
    expect(last).toBeDefined();
    expect(last!.map(meaning)).toEqual(expected.map(meaning));
  }

  assertNothingPublished(): void {
    expect(this.publishedEvents).toEqual([]);
  }
}

function meaning(event: DomainEvent): Record<string, unknown> {
  return {
    type: event.constructor,
    eventName: event.eventName,
    version: event.version,
    aggregateId: event.aggregateId,
    attributes: event.toPrimitives(),
  };
}
