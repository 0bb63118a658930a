import { UserRegisteredDomainEvent } from '../../../../src/domain/users/user-registered.domain-event';
import { executionContext } from '../../../../src/infrastructure/context/execution-context';
import { EnvelopeHeader } from '../../../../src/infrastructure/eventbus';
import { DomainEventRegistry } from '../../../../src/infrastructure/messaging/domain-event-registry';
import { JsonDomainEventSerializer } from '../../../../src/infrastructure/messaging/json-domain-event.serializer';
import { toOutgoingMessage } from '../../../../src/infrastructure/messaging/outgoing-message';
import {
  FakeOrderPlacedDomainEvent,
  FakeUserNicknamedDomainEvent,
} from '../../../support/fakes/fake-domain-events';
import { UserRegisteredDomainEventMother } from '../../../support/mothers/users/user-registered-domain-event.mother';

describe('toOutgoingMessage', () => {
  const serializer = new JsonDomainEventSerializer(
    new DomainEventRegistry([
      UserRegisteredDomainEvent,
      FakeUserNicknamedDomainEvent,
      FakeOrderPlacedDomainEvent,
    ]),
  );

  it("addresses the event to its context's topic, keyed by tenant and aggregate, identified by the event id", () => {
    const event = UserRegisteredDomainEventMother.create();

    const message = toOutgoingMessage(event, serializer);

    expect(message).toMatchObject({
      eventId: event.eventId,
      eventName: 'users.user.registered',
      topic: 'users.events',
      tenantId: 'default',
      aggregateId: event.aggregateId,
      key: `default/${event.aggregateId}`,
    });
  });

  it('carries the tenant of the execution context in the key, the metadata and a header', () => {
    const event = UserRegisteredDomainEventMother.create();

    const message = executionContext.run({ correlationId: 'request-1', tenantId: 'acme' }, () =>
      toOutgoingMessage(event, serializer),
    );

    expect(message.tenantId).toBe('acme');
    expect(message.key).toBe(`acme/${event.aggregateId}`);
    expect(message.headers[EnvelopeHeader.tenant]).toBe('acme');
    expect(serializer.deserialize(message.payload).metadata.tenantId).toBe('acme');
  });

  it.each([
    ['users.events', () => new FakeUserNicknamedDomainEvent({ aggregateId: 'user-1', name: 'Grace' })],
    ['orders.events', () => new FakeOrderPlacedDomainEvent({ aggregateId: 'order-1' })],
  ])('sends each context to its own topic (%s)', (topic, create) => {
    const event = create();

    const message = toOutgoingMessage(event, serializer);

    expect(message.topic).toBe(topic);
    expect(message.key).toBe(`default/${event.aggregateId}`);
    expect(message.headers[EnvelopeHeader.type]).toBe(event.eventName);
  });

  it('carries a payload that deserializes back to the same event', () => {
    const event = new FakeUserNicknamedDomainEvent({ aggregateId: 'user-1', name: 'Grace' });

    const { event: rebuilt } = serializer.deserialize(toOutgoingMessage(event, serializer).payload);

    expect(rebuilt).toBeInstanceOf(FakeUserNicknamedDomainEvent);
    expect(rebuilt.toEnvelopePrimitives()).toEqual(event.toEnvelopePrimitives());
  });

  it('takes correlation and causation from the execution context', () => {
    const event = UserRegisteredDomainEventMother.create();

    const message = executionContext.run({ correlationId: 'request-42', causationId: 'command-7' }, () =>
      toOutgoingMessage(event, serializer),
    );

    expect(serializer.deserialize(message.payload).metadata).toEqual({
      correlationId: 'request-42',
      causationId: 'command-7',
      tenantId: 'default',
    });
    expect(message.headers).toEqual({
      [EnvelopeHeader.type]: 'users.user.registered',
      [EnvelopeHeader.trace]: 'request-42',
      [EnvelopeHeader.tenant]: 'default',
    });
  });

  it('starts a new correlation from the event id when no context is active', () => {
    const event = UserRegisteredDomainEventMother.create();

    const message = toOutgoingMessage(event, serializer);

    expect(executionContext.current()).toBeUndefined();
    expect(serializer.deserialize(message.payload).metadata).toEqual({
      correlationId: event.eventId,
      tenantId: 'default',
    });
    expect(message.headers).toEqual({
      [EnvelopeHeader.type]: 'users.user.registered',
      [EnvelopeHeader.trace]: event.eventId,
      [EnvelopeHeader.tenant]: 'default',
    });
  });
});
