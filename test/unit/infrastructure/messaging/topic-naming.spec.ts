import { InvalidEventNameError } from '../../../../src/infrastructure/messaging/messaging.errors';
import { topicForEvent, topicForEventName } from '../../../../src/infrastructure/messaging/topic-naming';
import { FakeOrderPlacedDomainEvent } from '../../../support/fakes/fake-domain-events';
import { UserRegisteredDomainEventMother } from '../../../support/mothers/users/user-registered-domain-event.mother';

describe('topic naming: one topic per bounded context', () => {
  it.each([
    ['users.user.registered', 'users.events'],
    ['users.user.renamed', 'users.events'],
    ['orders.order.placed', 'orders.events'],
    ['billing-v2.invoice.paid', 'billing-v2.events'],
  ])('routes %s to %s', (eventName, topic) => {
    expect(topicForEventName(eventName)).toBe(topic);
  });

  it("routes an event by its name's context", () => {
    expect(topicForEvent(UserRegisteredDomainEventMother.create())).toBe('users.events');
    expect(topicForEvent(new FakeOrderPlacedDomainEvent({ aggregateId: 'order-1' }))).toBe('orders.events');
  });

  it.each(['registered', '.user.registered', 'users.', '', 'us ers.user.registered'])(
    'rejects "%s", which has no usable context segment',
    (eventName) => {
      expect(() => topicForEventName(eventName)).toThrow(InvalidEventNameError);
      expect(() => topicForEventName(eventName)).toThrow(`event name "${eventName}" must start with`);
    },
  );
});
