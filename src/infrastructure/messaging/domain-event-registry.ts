import type { DomainEventClass } from '../../domain/shared/domain-event';
import { MessagingConfigurationError } from './messaging.errors';
import { topicForEventName } from './topic-naming';

/** Maps wire names to the classes that rebuild them: events are routed by name, never by class name. */
export class DomainEventRegistry {
  private readonly classes = new Map<string, DomainEventClass>();

  /** Listing one class twice is harmless; two classes claiming one name would make decoding ambiguous. */
  constructor(eventClasses: readonly DomainEventClass[]) {
    for (const eventClass of eventClasses) {
      const name = eventClass.EVENT_NAME;
      // Fails at start-up for a name no topic can be derived from, not at the first publish.
      topicForEventName(name);
      const registered = this.classes.get(name);
      if (registered && registered !== eventClass) {
        throw new MessagingConfigurationError(`event name "${name}" is registered by two different classes`);
      }
      this.classes.set(name, eventClass);
    }
  }

  get(eventName: string): DomainEventClass | undefined {
    return this.classes.get(eventName);
  }
}
