import { InvalidEventPayloadError } from '../../../../src/domain/shared/domain-error';
import type { DomainEvent, DomainEventClass } from '../../../../src/domain/shared/domain-event';
import { UserRenamedDomainEvent } from '../../../../src/domain/users/user-renamed.domain-event';
import { UserRegisteredDomainEvent } from '../../../../src/domain/users/user-registered.domain-event';
import { DomainEventRegistry } from '../../../../src/infrastructure/messaging/domain-event-registry';
import { JsonDomainEventSerializer } from '../../../../src/infrastructure/messaging/json-domain-event.serializer';
import {
  MalformedEventMessageError,
  MissingUpcasterError,
  UnknownEventNameError,
  UnsupportedEventVersionError,
} from '../../../../src/infrastructure/messaging/messaging.errors';
import { FakeUserNicknamedDomainEvent } from '../../../support/fakes/fake-domain-events';
import { UserRegisteredDomainEventMother } from '../../../support/mothers/users/user-registered-domain-event.mother';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe('JsonDomainEventSerializer', () => {
  const serializer = new JsonDomainEventSerializer(
    new DomainEventRegistry([UserRegisteredDomainEvent, FakeUserNicknamedDomainEvent]),
  );

  /** A valid envelope as a plain object, for tests that break one field of it. */
  function envelopeOf(
    event: DomainEvent = UserRegisteredDomainEventMother.create(),
  ): Record<string, unknown> {
    return JSON.parse(
      decoder.decode(serializer.serialize(event, { correlationId: 'corr-1', causationId: 'cause-1' })),
    ) as Record<string, unknown>;
  }

  const bytesOf = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

  function expectMalformed(bytes: Uint8Array, message: string): void {
    expect(() => serializer.deserialize(bytes)).toThrow(MalformedEventMessageError);
    expect(() => serializer.deserialize(bytes)).toThrow(message);
  }

  describe('serialize', () => {
    it('writes the shared JSON envelope', () => {
      const event = UserRegisteredDomainEventMother.create({
        email: 'ada@example.com',
        name: 'Ada Lovelace',
      });

      const json: unknown = JSON.parse(
        decoder.decode(serializer.serialize(event, { correlationId: 'corr-1', causationId: 'cause-1' })),
      );

      expect(json).toEqual({
        eventId: event.eventId,
        eventName: 'users.user.registered',
        version: 1,
        aggregateId: event.aggregateId,
        occurredOn: event.occurredOn.toISOString(),
        attributes: { email: 'ada@example.com', name: 'Ada Lovelace' },
        metadata: { correlationId: 'corr-1', causationId: 'cause-1' },
      });
    });

    it('writes an absent causation as null, so every message has the same shape', () => {
      const json = JSON.parse(
        decoder.decode(
          serializer.serialize(UserRegisteredDomainEventMother.create(), { correlationId: 'c' }),
        ),
      ) as { metadata: unknown };

      expect(json.metadata).toEqual({ correlationId: 'c', causationId: null });
    });
  });

  describe('deserialize', () => {
    it('rebuilds the event and its metadata (round trip)', () => {
      const event = UserRegisteredDomainEventMother.create();

      const { event: rebuilt, metadata } = serializer.deserialize(
        serializer.serialize(event, { correlationId: 'corr-1', causationId: 'cause-1' }),
      );

      expect(rebuilt).toBeInstanceOf(UserRegisteredDomainEvent);
      expect(rebuilt.toEnvelopePrimitives()).toEqual(event.toEnvelopePrimitives());
      expect(rebuilt.occurredOn).toEqual(event.occurredOn);
      expect(metadata).toEqual({ correlationId: 'corr-1', causationId: 'cause-1' });
    });

    it('leaves causation out of the metadata when the message has none', () => {
      const bytes = serializer.serialize(UserRegisteredDomainEventMother.create(), { correlationId: 'c' });

      expect(serializer.deserialize(bytes).metadata).toEqual({ correlationId: 'c' });
    });

    it('upcasts an older version to the current one before the event class reads it', () => {
      const envelope = envelopeOf(new FakeUserNicknamedDomainEvent({ aggregateId: 'u-1', name: 'Grace' }));

      const { event } = serializer.deserialize(
        bytesOf({ ...envelope, version: 1, attributes: { nickname: 'Grace' } }),
      );

      expect(event).toBeInstanceOf(FakeUserNicknamedDomainEvent);
      expect((event as FakeUserNicknamedDomainEvent).name).toBe('Grace');
    });

    it.each([
      ['not JSON', encoder.encode('{"eventId": '), 'message is not valid JSON'],
      ['not UTF-8', Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d), 'message is not valid UTF-8'],
      ['a JSON array', encoder.encode('[]'), 'message must be a JSON object'],
      ['JSON null', encoder.encode('null'), 'message must be a JSON object'],
    ])('rejects a message that is %s', (_case, bytes, message) => {
      expectMalformed(bytes, message);
    });

    it.each([
      ['eventId', { eventId: undefined }, 'field "eventId" must be a non-empty string'],
      ['eventName', { eventName: 42 }, 'field "eventName" must be a non-empty string'],
      ['version', { version: '1' }, 'field "version" must be a positive integer'],
      ['version', { version: 0 }, 'field "version" must be a positive integer'],
      ['aggregateId', { aggregateId: '' }, 'field "aggregateId" must be a non-empty string'],
      [
        'occurredOn',
        { occurredOn: '2024-01-01 10:00' },
        'field "occurredOn" must be an ISO-8601 date-time with a time zone',
      ],
      ['attributes', { attributes: ['email'] }, 'field "attributes" must be an object'],
      ['metadata', { metadata: undefined }, 'field "metadata" must be an object'],
      [
        'metadata.correlationId',
        { metadata: { causationId: 'x' } },
        'field "metadata.correlationId" must be a non-empty string',
      ],
      [
        'metadata.causationId',
        { metadata: { correlationId: 'c', causationId: 7 } },
        'field "metadata.causationId" must be a non-empty string or null',
      ],
    ])('rejects an envelope whose %s is missing or mistyped', (_field, override, message) => {
      expectMalformed(bytesOf({ ...envelopeOf(), ...override }), message);
    });

    it('rejects an event name it has no class for', () => {
      const bytes = bytesOf({ ...envelopeOf(), eventName: 'users.user.deleted' });

      expect(() => serializer.deserialize(bytes)).toThrow(UnknownEventNameError);
      expect(() => serializer.deserialize(bytes)).toThrow(
        'no event class is registered for "users.user.deleted"',
      );
    });

    it('rejects a version newer than the registered class knows', () => {
      const bytes = bytesOf({ ...envelopeOf(), version: 2 });

      expect(() => serializer.deserialize(bytes)).toThrow(UnsupportedEventVersionError);
      expect(() => serializer.deserialize(bytes)).toThrow(
        '"users.user.registered" version 2 is newer than the supported version 1',
      );
    });

    it("lets the event's own payload error through when attributes are wrong", () => {
      const bytes = bytesOf({ ...envelopeOf(), attributes: { email: 42, name: 'Ada' } });

      expect(() => serializer.deserialize(bytes)).toThrow(InvalidEventPayloadError);
      expect(() => serializer.deserialize(bytes)).toThrow(
        'users.user.registered: attribute "email" must be a string',
      );
    });
  });

  describe('reading older versions of an event', () => {
    /** users.user.renamed as it would be after a change of shape: v2 says who made the change. */
    function renamedAt(version: number, upcasters: DomainEventClass['UPCASTERS']) {
      const read: Record<string, unknown>[] = [];
      const eventClass: DomainEventClass = {
        EVENT_NAME: UserRenamedDomainEvent.EVENT_NAME,
        DESCRIPTION: 'a test event',
        ATTRIBUTES: {},
        VERSION: version,
        UPCASTERS: upcasters,
        fromPrimitives: (props) => {
          read.push(props.attributes);
          return UserRenamedDomainEvent.fromPrimitives(props);
        },
      };
      return { serializer: new JsonDomainEventSerializer(new DomainEventRegistry([eventClass])), read };
    }
    // v1 did not record who changed the name; reading it as v2 must not invent someone.
    const v1ToV2 = (attributes: Record<string, unknown>) => ({ ...attributes, changedBy: 'unknown' });

    const v1Message = (): Uint8Array =>
      serializer.serialize(
        new UserRenamedDomainEvent({
          aggregateId: 'u-1',
          name: 'Ada King',
          previousName: 'Ada',
          email: 'a@example.com',
        }),
        { correlationId: 'corr-1' },
      );

    it('upcasts a stored v1 message to the current version before fromPrimitives reads it', () => {
      const v2 = renamedAt(2, { 1: v1ToV2 });

      v2.serializer.deserialize(v1Message());

      expect(v2.read).toEqual([
        { name: 'Ada King', previousName: 'Ada', email: 'a@example.com', changedBy: 'unknown' },
      ]);
    });

    it('refuses an older version it has no upcaster for, naming the version', () => {
      const v3 = renamedAt(3, { 1: v1ToV2 });

      expect(() => v3.serializer.deserialize(v1Message())).toThrow(MissingUpcasterError);
      expect(() => v3.serializer.deserialize(v1Message())).toThrow(
        '"users.user.renamed" version 2 cannot be read: no upcaster from version 2',
      );
    });
  });
});
