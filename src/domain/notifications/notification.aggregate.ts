import { NotificationId } from './notification-id.value-object';

export interface NotificationPrimitives {
  id: string;
  userId: string;
  /** What the notification is about, e.g. `welcome`; each subscriber that sends one names its kind. */
  kind: string;
  recipient: string;
  message: string;
  sourceEventId: string;
  /** ISO-8601. */
  createdAt: string;
}

interface NotificationProps {
  id: NotificationId;
  // Plain strings: this context keeps its own view of users instead of importing their value objects.
  userId: string;
  kind: string;
  recipient: string;
  message: string;
  /** The event that caused this notification; it makes redelivered events detectable. */
  sourceEventId: string;
  createdAt: Date;
}

/**
 * A message to a user, sent because of an event in another context. It records no events of its
 * own (nothing reacts to it yet), so it needs no AggregateRoot: an aggregate that starts announcing
 * something extends it then.
 */
export class Notification {
  private constructor(private readonly props: NotificationProps) {}

  /** A new notification, written now; the subscriber that reacts to `sourceEventId` words it. */
  static compose(props: Omit<NotificationProps, 'id' | 'createdAt'>): Notification {
    return new Notification({ ...props, id: NotificationId.generate(), createdAt: new Date() });
  }

  static fromPrimitives(primitives: NotificationPrimitives): Notification {
    return new Notification({
      ...primitives,
      id: new NotificationId(primitives.id),
      createdAt: new Date(primitives.createdAt),
    });
  }

  get id(): NotificationId {
    return this.props.id;
  }

  get userId(): string {
    return this.props.userId;
  }

  get kind(): string {
    return this.props.kind;
  }

  get recipient(): string {
    return this.props.recipient;
  }

  get message(): string {
    return this.props.message;
  }

  get sourceEventId(): string {
    return this.props.sourceEventId;
  }

  get createdAt(): Date {
    return new Date(this.props.createdAt.getTime());
  }

  toPrimitives(): NotificationPrimitives {
    return {
      id: this.props.id.value,
      userId: this.props.userId,
      kind: this.props.kind,
      recipient: this.props.recipient,
      message: this.props.message,
      sourceEventId: this.props.sourceEventId,
      createdAt: this.props.createdAt.toISOString(),
    };
  }
}
