import { type Container } from 'inversify';
import { DomainEventRegistry } from '../messaging/domain-event-registry';
import { DomainEventSubscriptions } from '../messaging/domain-event-subscriptions';
import { JsonDomainEventSerializer } from '../messaging/json-domain-event.serializer';
import { allOf, provide } from './token';
import { TOKENS } from './tokens';

/**
 * Domain events between the contexts: the registry of every event the service publishes or
 * subscribes to (derived, never listed by hand), the serializer, and the subscriptions that give
 * each subscriber its events through the bus.
 */
export function bindMessaging(container: Container): void {
  provide(
    container,
    TOKENS.DomainEventRegistry,
    [allOf(TOKENS.PublishedEvents), allOf(TOKENS.DomainEventSubscriber)],
    (published, subscribers) =>
      new DomainEventRegistry([
        ...published.flat(),
        ...subscribers.flatMap((subscriber) => subscriber.subscribedTo()),
      ]),
  );
  provide(
    container,
    TOKENS.DomainEventSerializer,
    [TOKENS.DomainEventRegistry],
    (registry) => new JsonDomainEventSerializer(registry),
  );
  provide(
    container,
    TOKENS.DomainEventSubscriptions,
    [
      TOKENS.AppConfig,
      TOKENS.EventBus,
      TOKENS.DomainEventRegistry,
      TOKENS.DomainEventSerializer,
      allOf(TOKENS.DomainEventSubscriber),
      TOKENS.Inbox,
      TOKENS.Logger,
    ],
    (config, bus, registry, serializer, subscribers, inbox, logger) =>
      new DomainEventSubscriptions(
        bus,
        registry,
        serializer,
        subscribers,
        inbox,
        logger.child({ component: 'subscriptions' }),
        { deadLetterSuffix: config.eventbus.deadLetter.topicSuffix, tenancy: config.service.tenancy },
      ),
  );
}
