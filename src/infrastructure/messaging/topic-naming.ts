import type { DomainEvent } from '../../domain/shared/domain-event';
import { InvalidEventNameError } from './messaging.errors';

/**
 * ONE TOPIC PER BOUNDED CONTEXT: `<context>.events`, where the context is the first segment of the
 * event name (`users.user.registered` -> `users.events`).
 *
 * Why not one topic per event type: ordering is per key within a topic, so only a shared topic keeps
 * the events of one aggregate (registered, then renamed) in order. It also keeps the topic count
 * small on brokers. The cost: a subscriber receives its context's other events and skips them.
 */
const CONTEXT_PATTERN = /^[A-Za-z0-9_-]+$/;

export function topicForEventName(eventName: string): string {
  const separator = eventName.indexOf('.');
  const context = eventName.slice(0, separator);
  if (separator <= 0 || separator === eventName.length - 1 || !CONTEXT_PATTERN.test(context)) {
    throw new InvalidEventNameError(
      `event name "${eventName}" must start with a bounded-context segment, e.g. "users.user.registered"`,
    );
  }
  return `${context}.events`;
}

export function topicForEvent(event: DomainEvent): string {
  return topicForEventName(event.eventName);
}
