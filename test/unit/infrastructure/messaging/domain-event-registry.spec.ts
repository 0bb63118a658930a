import type { DomainEventClass } from '../../../../src/domain/shared/domain-event';
import { UserRegisteredDomainEvent } from '../../../../src/domain/users/user-registered.domain-event';
import { DomainEventRegistry } from '../../../../src/infrastructure/messaging/domain-event-registry';
import {
  InvalidEventNameError,
  MessagingConfigurationError,
} from '../../../../src/infrastructure/messaging/messaging.errors';
import {
  FakeOrderPlacedDomainEvent,
  FakeUserNicknamedDomainEvent,
} from '../../../support/fakes/fake-domain-events';

describe('DomainEventRegistry', () => {
  it('returns the class registered for an event name', () => {
    const registry = new DomainEventRegistry([UserRegisteredDomainEvent, FakeOrderPlacedDomainEvent]);

    expect(registry.get('users.user.registered')).toBe(UserRegisteredDomainEvent);
    expect(registry.get('orders.order.placed')).toBe(FakeOrderPlacedDomainEvent);
  });

  it('returns undefined for an unknown name', () => {
    const registry = new DomainEventRegistry([UserRegisteredDomainEvent]);

    expect(registry.get('users.user.deleted')).toBeUndefined();
    expect(registry.get('UserRegisteredDomainEvent')).toBeUndefined();
  });

  it('rejects two classes claiming the same event name', () => {
    const impostor: DomainEventClass = {
      EVENT_NAME: 'users.user.registered',
      DESCRIPTION: 'a test event',
      ATTRIBUTES: {},
      VERSION: 1,
      fromPrimitives: FakeUserNicknamedDomainEvent.fromPrimitives,
    };

    expect(() => new DomainEventRegistry([UserRegisteredDomainEvent, impostor])).toThrow(
      new MessagingConfigurationError(
        'event name "users.user.registered" is registered by two different classes',
      ),
    );
  });

  it('accepts the same class listed twice, as collecting subscribed events produces', () => {
    const registry = new DomainEventRegistry([UserRegisteredDomainEvent, UserRegisteredDomainEvent]);

    expect(registry.get('users.user.registered')).toBe(UserRegisteredDomainEvent);
  });

  it('rejects a name no topic can be derived from', () => {
    const unroutable: DomainEventClass = {
      EVENT_NAME: 'registered',
      DESCRIPTION: 'a test event',
      ATTRIBUTES: {},
      VERSION: 1,
      fromPrimitives: FakeOrderPlacedDomainEvent.fromPrimitives,
    };

    expect(() => new DomainEventRegistry([unroutable])).toThrow(InvalidEventNameError);
  });
});
