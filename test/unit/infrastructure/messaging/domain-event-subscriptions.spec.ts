import type { DomainEventSubscriber } from '../../../../src/application/shared/domain-event-subscriber';
import type { DomainEvent } from '../../../../src/domain/shared/domain-event';
import { UserRegisteredDomainEvent } from '../../../../src/domain/users/user-registered.domain-event';
import { executionContext } from '../../../../src/infrastructure/context/execution-context';
import {
  DeadLetterHeader,
  EnvelopeHeader,
  type EventBusMetrics,
  type MemoryEventBus,
} from '../../../../src/infrastructure/eventbus';
import { DomainEventRegistry } from '../../../../src/infrastructure/messaging/domain-event-registry';
import { DomainEventSubscriptions } from '../../../../src/infrastructure/messaging/domain-event-subscriptions';
import { JsonDomainEventSerializer } from '../../../../src/infrastructure/messaging/json-domain-event.serializer';
import { MessagingConfigurationError } from '../../../../src/infrastructure/messaging/messaging.errors';
import {
  FakeOrderPlacedDomainEvent,
  FakeUserNicknamedDomainEvent,
} from '../../../support/fakes/fake-domain-events';
import { FakeInbox } from '../../../support/fakes/fake-inbox';
import { RecordingDomainEventSubscriber } from '../../../support/fakes/recording-domain-event-subscriber';
import { RecordingEventBusLogger } from '../../../support/fakes/recording-event-bus-logger';
import { collectTopic, createTestMemoryBus, type ReceivedMessage } from '../../../support/memory-bus';
import { UserRegisteredDomainEventMother } from '../../../support/mothers/users/user-registered-domain-event.mother';
import { publishEvents } from '../../../support/publish-events';
import { waitFor } from '../../../support/wait-for';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const TOPIC = 'users.events';
const DLQ = 'users.events.dlq';

describe('DomainEventSubscriptions', () => {
  const registry = new DomainEventRegistry([
    UserRegisteredDomainEvent,
    FakeUserNicknamedDomainEvent,
    FakeOrderPlacedDomainEvent,
  ]);
  const serializer = new JsonDomainEventSerializer(registry);
  let bus: MemoryEventBus;
  let metrics: EventBusMetrics;
  let inbox: FakeInbox;
  let logger: RecordingEventBusLogger;
  let subscriptions: DomainEventSubscriptions | undefined;

  beforeEach(() => {
    ({ bus, metrics } = createTestMemoryBus());
    inbox = new FakeInbox();
    logger = new RecordingEventBusLogger();
  });

  afterEach(async () => {
    await subscriptions?.stop();
    subscriptions = undefined;
    await bus.close();
  });

  async function start(...subscribers: DomainEventSubscriber[]): Promise<DomainEventSubscriptions> {
    subscriptions = new DomainEventSubscriptions(bus, registry, serializer, subscribers, inbox, logger);
    await subscriptions.start();
    return subscriptions;
  }

  /** Puts events on the bus the way the outbox relay does. */
  const publish = (events: readonly DomainEvent[]): Promise<void> => publishEvents(bus, serializer, events);

  /** What one subscriber's consumer group did on a topic, as the bus counted it. */
  const groupStats = (group: string, topic = TOPIC) => metrics.consume('memory', topic, group);

  it('delivers each event only to the subscribers that declared it', async () => {
    const onRegistered = new RecordingDomainEventSubscriber('test.on-registered', [
      UserRegisteredDomainEvent,
    ]);
    const onRenamed = new RecordingDomainEventSubscriber('test.on-renamed', [FakeUserNicknamedDomainEvent]);
    await start(onRegistered, onRenamed);
    const renamed = new FakeUserNicknamedDomainEvent({ aggregateId: 'user-1', name: 'Grace' });
    const registered = UserRegisteredDomainEventMother.create({ aggregateId: 'user-1' });

    await publish([renamed, registered]);

    // Both messages share a key, so once a group handled both, it has seen (and skipped) the other one.
    await waitFor(() => groupStats(onRegistered.subscriberName).consumed === 2);
    await waitFor(() => groupStats(onRenamed.subscriberName).consumed === 2);
    expect(onRegistered.receivedEventIds).toEqual([registered.eventId]);
    expect(onRenamed.receivedEventIds).toEqual([renamed.eventId]);
    expect(onRegistered.deliveries[0]?.event).toBeInstanceOf(UserRegisteredDomainEvent);
  });

  it('delivers an event to every subscriber that declared it (one group each)', async () => {
    const first = new RecordingDomainEventSubscriber('test.first', [UserRegisteredDomainEvent]);
    const second = new RecordingDomainEventSubscriber('test.second', [UserRegisteredDomainEvent]);
    await start(first, second);
    const event = UserRegisteredDomainEventMother.create();

    await publish([event]);

    await waitFor(() => first.deliveries.length === 1 && second.deliveries.length === 1);
    expect(first.receivedEventIds).toEqual([event.eventId]);
    expect(second.receivedEventIds).toEqual([event.eventId]);
  });

  describe('through the inbox', () => {
    it('lets a redelivered event reach the subscriber once, and records (subscriber, event)', async () => {
      const subscriber = new RecordingDomainEventSubscriber('test.on-registered', [
        UserRegisteredDomainEvent,
      ]);
      await start(subscriber);
      const event = UserRegisteredDomainEventMother.create();

      await publish([event]);
      await publish([event]);

      // Both copies were handled as far as the bus is concerned: the inbox skipped the second.
      await waitFor(() => groupStats(subscriber.subscriberName).consumed === 2);
      expect(subscriber.receivedEventIds).toEqual([event.eventId]);
      expect(inbox.handledKeys).toEqual([{ consumer: subscriber.subscriberName, eventId: event.eventId }]);
    });

    it('keeps its records per subscriber, so each one handles the same event once', async () => {
      const first = new RecordingDomainEventSubscriber('test.first', [UserRegisteredDomainEvent]);
      const second = new RecordingDomainEventSubscriber('test.second', [UserRegisteredDomainEvent]);
      await start(first, second);
      const event = UserRegisteredDomainEventMother.create();

      await publish([event]);
      await publish([event]);

      await waitFor(
        () =>
          groupStats(first.subscriberName).consumed === 2 && groupStats(second.subscriberName).consumed === 2,
      );
      expect(first.receivedEventIds).toEqual([event.eventId]);
      expect(second.receivedEventIds).toEqual([event.eventId]);
      expect(inbox.handledKeys).toEqual(
        expect.arrayContaining([
          { consumer: 'test.first', eventId: event.eventId },
          { consumer: 'test.second', eventId: event.eventId },
        ]),
      );
      expect(inbox.handledKeys).toHaveLength(2);
    });

    it('lets the retry of a failed attempt run, since the failure left no record', async () => {
      let attempts = 0;
      const flaky = new RecordingDomainEventSubscriber('test.flaky', [UserRegisteredDomainEvent], () => {
        attempts += 1;
        return attempts === 1 ? Promise.reject(new Error('database hiccup')) : Promise.resolve();
      });
      await start(flaky);
      const event = UserRegisteredDomainEventMother.create();

      await publish([event]);

      await waitFor(() => groupStats(flaky.subscriberName).consumed === 1);
      expect(flaky.receivedEventIds).toEqual([event.eventId, event.eventId]);
      expect(groupStats(flaky.subscriberName)).toMatchObject({ errors: 1, retried: 1, deadLettered: 0 });
      expect(inbox.handledKeys).toEqual([{ consumer: 'test.flaky', eventId: event.eventId }]);
    });
  });

  it('subscribes a subscriber of several contexts to each context topic', async () => {
    const subscriber = new RecordingDomainEventSubscriber('test.multi', [
      UserRegisteredDomainEvent,
      FakeOrderPlacedDomainEvent,
    ]);
    await start(subscriber);
    const placed = new FakeOrderPlacedDomainEvent({ aggregateId: 'order-1' });
    const registered = UserRegisteredDomainEventMother.create();

    await publish([placed, registered]);

    await waitFor(() => subscriber.deliveries.length === 2);
    expect(new Set(subscriber.receivedEventIds)).toEqual(new Set([placed.eventId, registered.eventId]));
  });

  it('runs the subscriber in a context that correlates the events it publishes', async () => {
    const renamer = new RecordingDomainEventSubscriber(
      'test.rename-on-registered',
      [UserRegisteredDomainEvent],
      (event) =>
        publish([new FakeUserNicknamedDomainEvent({ aggregateId: event.aggregateId, name: 'Renamed' })]),
    );
    const onRenamed = new RecordingDomainEventSubscriber('test.on-renamed', [FakeUserNicknamedDomainEvent]);
    await start(renamer, onRenamed);
    const wire = await collectTopic(bus, TOPIC, 'probe');
    const registered = UserRegisteredDomainEventMother.create();

    await executionContext.run({ correlationId: 'request-42' }, () => publish([registered]));

    await waitFor(() => onRenamed.deliveries.length === 1 && wire.length === 2);
    expect(renamer.deliveries[0]?.context).toEqual({
      correlationId: 'request-42',
      causationId: registered.eventId,
      tenantId: 'default',
    });
    const renamedMessage = wire.find(
      (m) => m.context.headers[EnvelopeHeader.type] === 'users.user.nicknamed',
    );
    const renamedOnWire = serializer.deserialize(renamedMessage!.payload);
    expect(renamedOnWire.event).toBeInstanceOf(FakeUserNicknamedDomainEvent);
    expect(renamedOnWire.metadata).toEqual({
      correlationId: 'request-42',
      causationId: registered.eventId,
      tenantId: 'default',
    });
    expect(renamedMessage!.context.headers[EnvelopeHeader.trace]).toBe('request-42');
    expect(onRenamed.deliveries[0]?.context).toEqual({
      correlationId: 'request-42',
      causationId: renamedOnWire.event.eventId,
      tenantId: 'default',
    });
  });

  describe('a message that cannot become an event', () => {
    const validEnvelope = (): Record<string, unknown> =>
      JSON.parse(
        decoder.decode(
          serializer.serialize(UserRegisteredDomainEventMother.create(), { correlationId: 'c' }),
        ),
      ) as Record<string, unknown>;

    it.each([
      [
        'malformed JSON',
        () => encoder.encode('{"eventName":'),
        'MalformedEventMessageError: message is not valid JSON',
      ],
      [
        'an unknown event name',
        () => encoder.encode(JSON.stringify({ ...validEnvelope(), eventName: 'users.user.deleted' })),
        'UnknownEventNameError: no event class is registered for "users.user.deleted"',
      ],
      [
        'a bad payload',
        () => encoder.encode(JSON.stringify({ ...validEnvelope(), attributes: { name: 'Ada' } })),
        'InvalidEventPayloadError: users.user.registered: attribute "email" must be a string',
      ],
      [
        'an unsupported version',
        () => encoder.encode(JSON.stringify({ ...validEnvelope(), version: 9 })),
        'UnsupportedEventVersionError: "users.user.registered" version 9 is newer than the supported version 1',
      ],
    ])(
      'with %s is dead-lettered once, with the reason, and the next message flows',
      async (_case, poison, reason) => {
        const subscriber = new RecordingDomainEventSubscriber('test.on-registered', [
          UserRegisteredDomainEvent,
        ]);
        await start(subscriber);
        const deadLetters = await collectTopic(bus, DLQ, 'dlq-probe');
        const payload = poison();
        const good = UserRegisteredDomainEventMother.create({ aggregateId: 'user-1' });

        // The key the good event gets too (tenant/aggregate), so the two are handled in order.
        await bus.publish(TOPIC, payload, {
          key: 'default/user-1',
          headers: { 'x-origin': 'legacy-producer' },
        });
        await publish([good]);

        await waitFor(() => subscriber.deliveries.length === 1 && deadLetters.length === 1);
        expect(subscriber.receivedEventIds).toEqual([good.eventId]);
        const [{ payload: deadPayload, context }] = deadLetters as [ReceivedMessage];
        expect(deadPayload).toEqual(payload);
        expect(context.key).toBe('default/user-1');
        expect(context.headers).toMatchObject({
          'x-origin': 'legacy-producer',
          [DeadLetterHeader.originalTopic]: TOPIC,
          [DeadLetterHeader.group]: 'test.on-registered',
          [DeadLetterHeader.error]: reason,
          [DeadLetterHeader.attempts]: '1',
        });
        expect(Number.isNaN(Date.parse(context.headers[DeadLetterHeader.failedAt]!))).toBe(false);
        // Handled once: the handler resolved, so the bus neither retried nor dead-lettered it itself.
        expect(groupStats('test.on-registered')).toMatchObject({
          consumed: 2,
          errors: 0,
          retried: 0,
          deadLettered: 0,
        });
        expect(logger.messages('warn')).toEqual(['undecodable event message dead-lettered']);
      },
    );
  });

  describe('tenancy', () => {
    async function startWith(tenancy: 'optional' | 'required', subscriber: RecordingDomainEventSubscriber) {
      subscriptions = new DomainEventSubscriptions(bus, registry, serializer, [subscriber], inbox, logger, {
        tenancy,
      });
      await subscriptions.start();
    }

    /** An event as a producer without tenancy (or with a bad tenant) would have written it. */
    function envelopeWithTenant(tenantId: unknown): Uint8Array {
      const event = UserRegisteredDomainEventMother.create({ aggregateId: 'user-1' });
      const envelope = JSON.parse(
        decoder.decode(serializer.serialize(event, { correlationId: 'request-1' })),
      ) as { metadata: Record<string, unknown> };
      if (tenantId !== undefined) envelope.metadata.tenantId = tenantId;
      return encoder.encode(JSON.stringify(envelope));
    }

    it("runs the subscriber in the event's tenant, so its writes land there", async () => {
      const subscriber = new RecordingDomainEventSubscriber('test.on-registered', [
        UserRegisteredDomainEvent,
      ]);
      await startWith('required', subscriber);

      await executionContext.run({ correlationId: 'request-1', tenantId: 'acme' }, () =>
        publish([UserRegisteredDomainEventMother.create()]),
      );

      await waitFor(() => subscriber.deliveries.length === 1);
      expect(subscriber.deliveries[0]?.context?.tenantId).toBe('acme');
      expect(inbox.handledKeys).toHaveLength(1);
    });

    it('optional: an event without a tenant belongs to the default tenant', async () => {
      const subscriber = new RecordingDomainEventSubscriber('test.on-registered', [
        UserRegisteredDomainEvent,
      ]);
      await startWith('optional', subscriber);

      await bus.publish(TOPIC, envelopeWithTenant(undefined), { key: 'default/user-1' });

      await waitFor(() => subscriber.deliveries.length === 1);
      expect(subscriber.deliveries[0]?.context?.tenantId).toBe('default');
    });

    it.each([
      ['required', undefined, 'InvalidEventTenantError: event .+: a tenant id is required'],
      [
        'optional',
        'acme corp',
        'InvalidEventTenantError: event .+: invalid tenant id: a tenant id is 1 to 64',
      ],
      ['required', 42, 'MalformedEventMessageError: field "metadata.tenantId" must be a string when present'],
    ] as const)(
      '%s: an event whose tenant is %p is dead-lettered at once with the reason',
      async (mode, tenant, reason) => {
        const subscriber = new RecordingDomainEventSubscriber('test.on-registered', [
          UserRegisteredDomainEvent,
        ]);
        await startWith(mode, subscriber);
        const deadLetters = await collectTopic(bus, DLQ, 'dlq-probe');

        await bus.publish(TOPIC, envelopeWithTenant(tenant), { key: 'default/user-1' });

        await waitFor(() => deadLetters.length === 1);
        expect(deadLetters[0]!.context.headers[DeadLetterHeader.error]).toMatch(new RegExp(`^${reason}`));
        expect(deadLetters[0]!.context.headers[DeadLetterHeader.attempts]).toBe('1');
        expect(subscriber.deliveries).toEqual([]);
        expect(inbox.handledKeys).toEqual([]);
      },
    );
  });

  it('retries a subscriber that throws, then lets the bus dead-letter the event', async () => {
    const failing = new RecordingDomainEventSubscriber('test.failing', [UserRegisteredDomainEvent], () =>
      Promise.reject(new Error('smtp is down')),
    );
    await start(failing);
    const deadLetters = await collectTopic(bus, DLQ, 'dlq-probe');
    const event = UserRegisteredDomainEventMother.create();

    await publish([event]);

    await waitFor(() => deadLetters.length === 1);
    expect(failing.receivedEventIds).toEqual([event.eventId, event.eventId, event.eventId]);
    expect(deadLetters[0]?.context.headers).toMatchObject({
      [DeadLetterHeader.originalTopic]: TOPIC,
      [DeadLetterHeader.group]: 'test.failing',
      [DeadLetterHeader.attempts]: '3',
      [DeadLetterHeader.error]: 'Error: smtp is down',
    });
    expect(serializer.deserialize(deadLetters[0]!.payload).event.eventId).toBe(event.eventId);
    expect(inbox.handledKeys).toEqual([]);
  });

  it('stops delivering after stop()', async () => {
    const subscriber = new RecordingDomainEventSubscriber('test.on-registered', [UserRegisteredDomainEvent]);
    const started = await start(subscriber);
    const wire = await collectTopic(bus, TOPIC, 'probe');
    expect(started.running).toBe(true);

    await started.stop();
    await publish([UserRegisteredDomainEventMother.create()]);

    // The probe's group got the message, so the bus delivered it to every group still subscribed.
    await waitFor(() => wire.length === 1);
    expect(started.running).toBe(false);
    expect(subscriber.deliveries).toEqual([]);
  });

  it('is not running before start()', () => {
    subscriptions = new DomainEventSubscriptions(bus, registry, serializer, [], inbox, logger);

    expect(subscriptions.running).toBe(false);
  });

  describe('start-up wiring errors', () => {
    it('rejects a subscriber of an event missing from the registry, and subscribes nothing', async () => {
      const known = new RecordingDomainEventSubscriber('test.known', [UserRegisteredDomainEvent]);
      const unknown = new RecordingDomainEventSubscriber('test.unknown', [FakeOrderPlacedDomainEvent]);
      subscriptions = new DomainEventSubscriptions(
        bus,
        new DomainEventRegistry([UserRegisteredDomainEvent]),
        serializer,
        [known, unknown],
        inbox,
        logger,
      );

      await expect(subscriptions.start()).rejects.toThrow(
        new MessagingConfigurationError(
          'subscriber "test.unknown" handles "orders.order.placed", which is not in the event registry',
        ),
      );
      expect(subscriptions.running).toBe(false);
    });

    it('rejects two subscribers with the same name (they would compete in one group)', async () => {
      const a = new RecordingDomainEventSubscriber('test.same', [UserRegisteredDomainEvent]);
      const b = new RecordingDomainEventSubscriber('test.same', [FakeUserNicknamedDomainEvent]);
      subscriptions = new DomainEventSubscriptions(bus, registry, serializer, [a, b], inbox, logger);

      await expect(subscriptions.start()).rejects.toThrow('two subscribers are named "test.same"');
    });

    it('rejects a subscriber that declares no event', async () => {
      subscriptions = new DomainEventSubscriptions(
        bus,
        registry,
        serializer,
        [new RecordingDomainEventSubscriber('test.idle', [])],
        inbox,
        logger,
      );

      await expect(subscriptions.start()).rejects.toThrow('subscriber "test.idle" handles no event');
    });
  });

  it('dead-letters to the configured suffix', async () => {
    subscriptions = new DomainEventSubscriptions(
      bus,
      registry,
      serializer,
      [new RecordingDomainEventSubscriber('test.on-registered', [UserRegisteredDomainEvent])],
      inbox,
      logger,
      { deadLetterSuffix: '.poison' },
    );
    await subscriptions.start();
    const deadLetters = await collectTopic(bus, `${TOPIC}.poison`, 'dlq-probe');

    await bus.publish(TOPIC, 'not json');

    await waitFor(() => deadLetters.length === 1);
    expect(deadLetters[0]?.context.headers[DeadLetterHeader.originalTopic]).toBe(TOPIC);
  });
});
