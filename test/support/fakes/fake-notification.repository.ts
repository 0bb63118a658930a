import {
  Notification,
  type NotificationPrimitives,
} from '../../../src/domain/notifications/notification.aggregate';
import type { NotificationRepository } from '../../../src/domain/notifications/notification.repository.port';

/** In-memory, insertion-ordered: it returns notifications unsorted so callers must sort themselves. */
export class FakeNotificationRepository implements NotificationRepository {
  private readonly notifications = new Map<string, NotificationPrimitives>();

  save(notification: Notification): Promise<void> {
    this.notifications.set(notification.id.value, notification.toPrimitives());
    return Promise.resolve();
  }

  findByUserId(userId: string): Promise<Notification[]> {
    return Promise.resolve(
      this.savedNotifications
        .filter((notification) => notification.userId === userId)
        .map((notification) => Notification.fromPrimitives(notification)),
    );
  }

  /** Test helper: everything saved so far, as primitives. */
  get savedNotifications(): NotificationPrimitives[] {
    return [...this.notifications.values()];
  }
}
