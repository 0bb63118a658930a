import {
  DomainEvent,
  readStringAttribute,
  type DomainEventFromPrimitivesProps,
  type DomainEventProps,
} from '../../../src/domain/shared/domain-event';

/**
 * Test-only events: a second event of the users context (same topic as UserRegistered, so filtering
 * by subscriber can be shown) and one of another context (another topic).
 */
export class FakeUserNicknamedDomainEvent extends DomainEvent {
  static readonly EVENT_NAME = 'users.user.nicknamed';
  static readonly VERSION = 2;
  static readonly DESCRIPTION = 'A test event of the users context, at its second version.';
  static readonly ATTRIBUTES = { name: { type: 'string', description: 'The nickname' } } as const;
  /** v1 called the attribute `nickname`. */
  static readonly UPCASTERS = {
    1: ({ nickname, ...rest }: Record<string, unknown>) => ({ ...rest, name: nickname }),
  };

  readonly eventName = FakeUserNicknamedDomainEvent.EVENT_NAME;
  readonly version = FakeUserNicknamedDomainEvent.VERSION;
  readonly name: string;

  constructor(props: DomainEventProps & { name: string }) {
    super(props);
    this.name = props.name;
  }

  static fromPrimitives({
    attributes,
    ...props
  }: DomainEventFromPrimitivesProps): FakeUserNicknamedDomainEvent {
    return new FakeUserNicknamedDomainEvent({
      ...props,
      name: readStringAttribute(attributes, 'name', FakeUserNicknamedDomainEvent.EVENT_NAME),
    });
  }

  toPrimitives(): { name: string } {
    return { name: this.name };
  }
}

export class FakeOrderPlacedDomainEvent extends DomainEvent {
  static readonly EVENT_NAME = 'orders.order.placed';
  static readonly VERSION = 1;
  static readonly DESCRIPTION = 'A test event of another context, without attributes.';
  static readonly ATTRIBUTES = {};

  readonly eventName = FakeOrderPlacedDomainEvent.EVENT_NAME;
  readonly version = FakeOrderPlacedDomainEvent.VERSION;

  constructor(props: DomainEventProps) {
    super(props);
  }

  static fromPrimitives(props: DomainEventFromPrimitivesProps): FakeOrderPlacedDomainEvent {
    return new FakeOrderPlacedDomainEvent(props);
  }

  toPrimitives(): Record<string, unknown> {
    return {};
  }
}
