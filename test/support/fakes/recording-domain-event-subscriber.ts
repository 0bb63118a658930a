import type { DomainEventSubscriber } from '../../../src/application/shared/domain-event-subscriber';
import type { DomainEvent, DomainEventClass } from '../../../src/domain/shared/domain-event';
import {
  executionContext,
  type ExecutionContext,
} from '../../../src/infrastructure/context/execution-context';

export interface RecordedDelivery {
  readonly event: DomainEvent;
  /** The execution context `on` ran in: what events it publishes would be correlated with. */
  readonly context: ExecutionContext | undefined;
}

/** Records every call of `on` (retries included), then runs an optional reaction that may throw or publish. */
export class RecordingDomainEventSubscriber implements DomainEventSubscriber {
  readonly deliveries: RecordedDelivery[] = [];

  constructor(
    readonly subscriberName: string,
    private readonly eventClasses: readonly DomainEventClass[],
    private readonly reaction: (event: DomainEvent) => Promise<void> = () => Promise.resolve(),
  ) {}

  subscribedTo(): readonly DomainEventClass[] {
    return this.eventClasses;
  }

  async on(event: DomainEvent): Promise<void> {
    this.deliveries.push({ event, context: executionContext.current() });
    await this.reaction(event);
  }

  get receivedEventIds(): string[] {
    return this.deliveries.map((delivery) => delivery.event.eventId);
  }
}
