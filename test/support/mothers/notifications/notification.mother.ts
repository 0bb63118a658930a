import { Notification } from '../../../../src/domain/notifications/notification.aggregate';
import { randomFullName, randomUuid } from '../random';
import { EmailMother } from '../users/email.mother';

export class NotificationMother {
  /** A stored welcome notification with an explicit creation time, for ordering tests. */
  static welcome(overrides: { userId?: string; createdAt?: Date } = {}): Notification {
    return Notification.fromPrimitives({
      id: randomUuid(),
      userId: overrides.userId ?? randomUuid(),
      kind: 'welcome',
      recipient: EmailMother.randomValue(),
      message: `Welcome, ${randomFullName()}! Your account is ready.`,
      sourceEventId: randomUuid(),
      createdAt: (overrides.createdAt ?? new Date('2024-01-15T10:00:00.000Z')).toISOString(),
    });
  }
}
