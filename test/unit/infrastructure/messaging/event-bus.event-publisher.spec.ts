import { UserRegisteredDomainEvent } from '../../../../src/domain/users/user-registered.domain-event';
import { executionContext } from '../../../../src/infrastructure/context/execution-context';
import { EnvelopeHeader, type MemoryEventBus } from '../../../../src/infrastructure/eventbus';
import { DomainEventRegistry } from '../../../../src/infrastructure/messaging/domain-event-registry';
import { EventBusEventPublisher } from '../../../../src/infrastructure/messaging/event-bus.event-publisher';
import { JsonDomainEventSerializer } from '../../../../src/infrastructure/messaging/json-domain-event.serializer';
import {
  FakeOrderPlacedDomainEvent,
  FakeUserRenamedDomainEvent,
} from '../../../support/fakes/fake-domain-events';
import { collectTopic, createTestMemoryBus, type ReceivedMessage } from '../../../support/memory-bus';
import { UserRegisteredDomainEventMother } from '../../../support/mothers/users/user-registered-domain-event.mother';
import { waitFor } from '../../../support/wait-for';

describe('EventBusEventPublisher', () => {
  const serializer = new JsonDomainEventSerializer(
    new DomainEventRegistry([
      UserRegisteredDomainEvent,
      FakeUserRenamedDomainEvent,
      FakeOrderPlacedDomainEvent,
    ]),
  );
  let bus: MemoryEventBus;
  let publisher: EventBusEventPublisher;
  let usersTopic: ReceivedMessage[];

  beforeEach(async () => {
    bus = createTestMemoryBus().bus;
    publisher = new EventBusEventPublisher(bus, serializer);
    usersTopic = await collectTopic(bus, 'users.events', 'probe');
  });

  afterEach(() => bus.close());

  it("publishes to the context's topic, keyed by aggregate, with the event id as message id", async () => {
    const event = UserRegisteredDomainEventMother.create();

    await publisher.publish([event]);

    await waitFor(() => usersTopic.length === 1);
    const [{ payload, context }] = usersTopic as [ReceivedMessage];
    expect(context.topic).toBe('users.events');
    expect(context.key).toBe(event.aggregateId);
    expect(context.messageId).toBe(event.eventId);
    expect(context.headers[EnvelopeHeader.type]).toBe('users.user.registered');
    expect(serializer.deserialize(payload).event.toEnvelopePrimitives()).toEqual(
      event.toEnvelopePrimitives(),
    );
  });

  it('takes correlation and causation from the execution context', async () => {
    const event = UserRegisteredDomainEventMother.create();

    await executionContext.run({ correlationId: 'request-42', causationId: 'command-7' }, () =>
      publisher.publish([event]),
    );

    await waitFor(() => usersTopic.length === 1);
    const [{ payload, context }] = usersTopic as [ReceivedMessage];
    expect(serializer.deserialize(payload).metadata).toEqual({
      correlationId: 'request-42',
      causationId: 'command-7',
    });
    expect(context.headers[EnvelopeHeader.trace]).toBe('request-42');
  });

  it('starts a new correlation from the event id when no context is active', async () => {
    const event = UserRegisteredDomainEventMother.create();

    await publisher.publish([event]);

    await waitFor(() => usersTopic.length === 1);
    const [{ payload, context }] = usersTopic as [ReceivedMessage];
    expect(serializer.deserialize(payload).metadata).toEqual({ correlationId: event.eventId });
    expect(context.headers[EnvelopeHeader.trace]).toBe(event.eventId);
  });

  it('publishes the events of one call in order', async () => {
    const registered = UserRegisteredDomainEventMother.create({ aggregateId: 'user-1' });
    const renamed = new FakeUserRenamedDomainEvent({ aggregateId: 'user-1', name: 'Grace' });

    await publisher.publish([registered, renamed]);

    await waitFor(() => usersTopic.length === 2);
    expect(usersTopic.map((message) => message.context.messageId)).toEqual([
      registered.eventId,
      renamed.eventId,
    ]);
  });

  it("sends another context's event to that context's topic", async () => {
    const ordersTopic = await collectTopic(bus, 'orders.events', 'probe');
    const placed = new FakeOrderPlacedDomainEvent({ aggregateId: 'order-1' });

    await publisher.publish([placed, UserRegisteredDomainEventMother.create()]);

    await waitFor(() => ordersTopic.length === 1 && usersTopic.length === 1);
    expect(ordersTopic[0]?.context.messageId).toBe(placed.eventId);
    expect(ordersTopic[0]?.context.headers[EnvelopeHeader.type]).toBe('orders.order.placed');
  });

  it('rejects when the bus refuses the message', async () => {
    await bus.close();

    await expect(publisher.publish([UserRegisteredDomainEventMother.create()])).rejects.toThrow(
      'event bus is closed',
    );
  });
});
