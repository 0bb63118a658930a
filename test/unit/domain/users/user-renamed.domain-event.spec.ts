import type { DomainEventClass } from '../../../../src/domain/shared/domain-event';
import { InvalidEventPayloadError } from '../../../../src/domain/shared/domain-error';
import { UserRenamedDomainEvent } from '../../../../src/domain/users/user-renamed.domain-event';

const eventClass: DomainEventClass<UserRenamedDomainEvent> = UserRenamedDomainEvent;

function renamed(): UserRenamedDomainEvent {
  return new UserRenamedDomainEvent({
    aggregateId: crypto.randomUUID(),
    name: 'Ada King',
    previousName: 'Ada Lovelace',
    email: 'ada@example.com',
  });
}

describe('UserRenamedDomainEvent', () => {
  it('is users.user.renamed v1', () => {
    expect([eventClass.EVENT_NAME, eventClass.VERSION]).toEqual(['users.user.renamed', 1]);
    expect([renamed().eventName, renamed().version]).toEqual(['users.user.renamed', 1]);
  });

  it('survives a round trip through its envelope primitives', () => {
    const envelope = renamed().toEnvelopePrimitives();

    const rebuilt = eventClass.fromPrimitives({
      aggregateId: envelope.aggregateId,
      eventId: envelope.eventId,
      occurredOn: new Date(envelope.occurredOn),
      attributes: envelope.attributes,
    });

    expect(rebuilt.toEnvelopePrimitives()).toEqual(envelope);
  });

  it('refuses attributes of the wrong type, naming the event and the attribute', () => {
    const { attributes, ...envelope } = renamed().toEnvelopePrimitives();

    expect(() =>
      eventClass.fromPrimitives({
        ...envelope,
        occurredOn: new Date(envelope.occurredOn),
        attributes: { ...attributes, previousName: 42 },
      }),
    ).toThrow(new InvalidEventPayloadError('users.user.renamed: attribute "previousName" must be a string'));
  });
});
