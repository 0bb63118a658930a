import { Notification, type NotificationPrimitives } from '../../domain/notifications/notification.aggregate';
import type { NotificationRepository } from '../../domain/notifications/notification.repository.port';

/**
 * Keeps primitives so callers never share an instance with the store. Returns notifications in
 * insertion order; the use case sorts them itself, so it does not depend on a store's ordering.
 */
export class InMemoryNotificationRepository implements NotificationRepository {
  private readonly notifications = new Map<string, Readonly<NotificationPrimitives>>();

  save(notification: Notification): Promise<void> {
    const primitives = Object.freeze(notification.toPrimitives());
    this.notifications.set(primitives.id, primitives);
    return Promise.resolve();
  }

  findByUserId(userId: string): Promise<Notification[]> {
    const found = [...this.notifications.values()]
      .filter((notification) => notification.userId === userId)
      .map((notification) => Notification.fromPrimitives(notification));
    return Promise.resolve(found);
  }

  existsForSourceEvent(eventId: string): Promise<boolean> {
    return Promise.resolve([...this.notifications.values()].some((n) => n.sourceEventId === eventId));
  }
}
