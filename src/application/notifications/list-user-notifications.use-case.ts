import type { NotificationPrimitives } from '../../domain/notifications/notification.aggregate';
import type { NotificationRepository } from '../../domain/notifications/notification.repository.port';
import type { UseCase } from '../shared/use-case';

export interface ListUserNotificationsQuery {
  userId: string;
}

/** What a caller sees of a notification: all of it, as stored. */
export type NotificationView = NotificationPrimitives;

export class ListUserNotificationsUseCase implements UseCase<ListUserNotificationsQuery, NotificationView[]> {
  constructor(private readonly notificationRepository: NotificationRepository) {}

  async execute(query: ListUserNotificationsQuery): Promise<NotificationView[]> {
    // User ids are UUIDs, stored lower-cased (as GET /users/:id reads them): case does not matter.
    const notifications = await this.notificationRepository.findByUserId(query.userId.toLowerCase());
    // Oldest first, whatever order the store returns.
    return notifications
      .toSorted((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((notification) => notification.toPrimitives());
  }
}
