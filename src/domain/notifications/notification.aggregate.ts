import { AggregateRoot } from '../shared/aggregate-root';
import { NotificationId } from './notification-id.value-object';

export type NotificationKind = 'welcome';

export interface NotificationPrimitives {
  id: string;
  userId: string;
  kind: NotificationKind;
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
  kind: NotificationKind;
  recipient: string;
  message: string;
  /** The event that caused this notification; it makes redelivered events detectable. */
  sourceEventId: string;
  createdAt: Date;
}

export class Notification extends AggregateRoot {
  private constructor(private readonly props: NotificationProps) {
    super();
  }

  static welcome({
    userId,
    recipient,
    userName,
    sourceEventId,
  }: {
    userId: string;
    recipient: string;
    userName: string;
    sourceEventId: string;
  }): Notification {
    return new Notification({
      id: NotificationId.generate(),
      userId,
      kind: 'welcome',
      recipient,
      message: `Welcome, ${userName}! Your account is ready.`,
      sourceEventId,
      createdAt: new Date(),
    });
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

  get kind(): NotificationKind {
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
