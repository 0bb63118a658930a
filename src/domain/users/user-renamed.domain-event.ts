import {
  DomainEvent,
  readStringAttribute,
  type DomainEventFromPrimitivesProps,
  type DomainEventProps,
} from '../shared/domain-event';

/**
 * The change itself (old and new name) and the address to tell about it: a subscriber can react
 * from the event alone, with no call back into this context, and the event stays true forever
 * (it says what the name was then, not what it is now).
 */
export type UserRenamedAttributes = { name: string; previousName: string; email: string };

export class UserRenamedDomainEvent extends DomainEvent {
  static readonly EVENT_NAME = 'users.user.renamed';
  static readonly VERSION = 1;
  static readonly DESCRIPTION = 'A user changed their name.';
  static readonly ATTRIBUTES = {
    name: { type: 'string', description: 'The new name' },
    previousName: { type: 'string', description: 'The name before the change' },
    email: { type: 'string', description: 'The address to tell about the change' },
  } as const;

  readonly eventName = UserRenamedDomainEvent.EVENT_NAME;
  readonly version = UserRenamedDomainEvent.VERSION;
  readonly name: string;
  readonly previousName: string;
  readonly email: string;

  constructor(props: DomainEventProps & UserRenamedAttributes) {
    super(props);
    this.name = props.name;
    this.previousName = props.previousName;
    this.email = props.email;
  }

  static fromPrimitives({
    aggregateId,
    eventId,
    occurredOn,
    attributes,
  }: DomainEventFromPrimitivesProps): UserRenamedDomainEvent {
    const read = (key: string): string =>
      readStringAttribute(attributes, key, UserRenamedDomainEvent.EVENT_NAME);
    return new UserRenamedDomainEvent({
      aggregateId,
      eventId,
      occurredOn,
      name: read('name'),
      previousName: read('previousName'),
      email: read('email'),
    });
  }

  toPrimitives(): UserRenamedAttributes {
    return { name: this.name, previousName: this.previousName, email: this.email };
  }
}
