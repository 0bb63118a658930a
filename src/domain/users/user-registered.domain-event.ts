import {
  DomainEvent,
  readStringAttribute,
  type DomainEventFromPrimitivesProps,
  type DomainEventProps,
} from '../shared/domain-event';

export type UserRegisteredAttributes = { email: string; name: string };

export class UserRegisteredDomainEvent extends DomainEvent {
  static readonly EVENT_NAME = 'users.user.registered';
  static readonly VERSION = 1;
  static readonly DESCRIPTION = 'A user registered: the account exists from now on.';
  static readonly ATTRIBUTES = {
    email: { type: 'string', description: 'The address the user registered with, lower-cased' },
    name: { type: 'string', description: 'The name the user gave' },
  } as const;

  readonly eventName = UserRegisteredDomainEvent.EVENT_NAME;
  readonly version = UserRegisteredDomainEvent.VERSION;
  readonly email: string;
  readonly name: string;

  constructor(props: DomainEventProps & UserRegisteredAttributes) {
    super(props);
    this.email = props.email;
    this.name = props.name;
  }

  // Only types are checked, not today's Email/UserName rules: an event is a past fact, and tightening a
  // rule must not make already-published events unreadable.
  static fromPrimitives({
    aggregateId,
    eventId,
    occurredOn,
    attributes,
  }: DomainEventFromPrimitivesProps): UserRegisteredDomainEvent {
    return new UserRegisteredDomainEvent({
      aggregateId,
      eventId,
      occurredOn,
      email: readStringAttribute(attributes, 'email', UserRegisteredDomainEvent.EVENT_NAME),
      name: readStringAttribute(attributes, 'name', UserRegisteredDomainEvent.EVENT_NAME),
    });
  }

  toPrimitives(): UserRegisteredAttributes {
    return { email: this.email, name: this.name };
  }
}
