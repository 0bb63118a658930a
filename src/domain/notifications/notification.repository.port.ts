import type { Notification } from './notification.aggregate';

export interface NotificationRepository {
  save(notification: Notification): Promise<void>;
  findByUserId(userId: string): Promise<Notification[]>;
}
