import type { DomainEventClass } from '../../../../src/domain/shared/domain-event';
import { InvalidEventPayloadError } from '../../../../src/domain/shared/domain-error';
import { UserRegisteredDomainEvent } from '../../../../src/domain/users/user-registered.domain-event';
import { UserRegisteredDomainEventMother } from '../../../support/mothers/users/user-registered-domain-event.mother';

// Compile-time proof that the class is usable by a serializer registry.
const eventClass: DomainEventClass<UserRegisteredDomainEvent> = UserRegisteredDomainEvent;

describe('UserRegisteredDomainEvent', () => {
  it('has a stable name and version, on the class and on instances', () => {
    const event = UserRegisteredDomainEventMother.create();

    expect(eventClass.EVENT_NAME).toBe('users.user.registered');
    expect(eventClass.VERSION).toBe(1);
    expect(event.eventName).toBe('users.user.registered');
    expect(event.version).toBe(1);
  });

  it('exposes only its own attributes in toPrimitives', () => {
    const event = UserRegisteredDomainEventMother.create({ email: 'ada@example.com', name: 'Ada' });

    expect(event.toPrimitives()).toEqual({ email: 'ada@example.com', name: 'Ada' });
  });

  it('survives a round trip through its envelope primitives', () => {
    const original = UserRegisteredDomainEventMother.create();
    const envelope = original.toEnvelopePrimitives();

    const rebuilt = eventClass.fromPrimitives({
      aggregateId: envelope.aggregateId,
      eventId: envelope.eventId,
      occurredOn: new Date(envelope.occurredOn),
      attributes: envelope.attributes,
    });

    expect(rebuilt).toBeInstanceOf(UserRegisteredDomainEvent);
    expect(rebuilt.toEnvelopePrimitives()).toEqual(envelope);
    expect(rebuilt.email).toBe(original.email);
    expect(rebuilt.name).toBe(original.name);
  });

  it.each([
    ['email missing', { name: 'Ada' }],
    ['name missing', { email: 'ada@example.com' }],
    ['email not a string', { email: 7, name: 'Ada' }],
    ['name not a string', { email: 'ada@example.com', name: ['Ada'] }],
  ])('rejects attributes with %s', (_case, attributes: Record<string, unknown>) => {
    const rebuild = (): UserRegisteredDomainEvent =>
      UserRegisteredDomainEvent.fromPrimitives({
        aggregateId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
        eventId: 'c1a7e9b2-1f4d-4e8a-9b3c-5d6e7f8a9b0c',
        occurredOn: new Date('2024-01-01T00:00:00.000Z'),
        attributes,
      });

    // The class carries the INVALID_EVENT_PAYLOAD code the messaging layer dead-letters on.
    expect(rebuild).toThrow(InvalidEventPayloadError);
  });
});
