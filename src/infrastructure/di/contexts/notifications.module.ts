import { type Container } from 'inversify';
import { ListUserNotificationsUseCase } from '../../../application/notifications/list-user-notifications.use-case';
import { SendNameChangeNotificationOnUserRenamed } from '../../../application/notifications/send-name-change-notification-on-user-renamed.subscriber';
import { SendWelcomeNotificationOnUserRegistered } from '../../../application/notifications/send-welcome-notification-on-user-registered.subscriber';
import { type NotificationRepository } from '../../../domain/notifications/notification.repository.port';
import {
  createNotificationsRouter,
  NOTIFICATIONS_ROUTE_DOCS,
} from '../../../interfaces/http/notifications/notifications.controller';
import { PostgresNotificationRepository } from '../../persistence/notifications/postgres-notification.repository';
import { provideUseCase } from '../provide-use-case';
import { provide, token } from '../token';
import { TOKENS } from '../tokens';

/** The notifications context's own identifiers. */
export const NOTIFICATIONS = {
  NotificationRepository: token<NotificationRepository>('NotificationRepository'),
  ListUserNotificationsUseCase: token<ListUserNotificationsUseCase>('ListUserNotificationsUseCase'),
} as const;

/** The notifications context: its repository, its reactions to other contexts' events, its query and route. */
export function bindNotificationsContext(container: Container): void {
  provide(
    container,
    NOTIFICATIONS.NotificationRepository,
    [TOKENS.Database],
    (database) => new PostgresNotificationRepository(database),
  );

  // One binding per reaction; the subscriptions subscribe each to the events it names.
  provide(
    container,
    TOKENS.DomainEventSubscriber,
    [NOTIFICATIONS.NotificationRepository, TOKENS.AppConfig],
    (notifications, config) =>
      new SendWelcomeNotificationOnUserRegistered(notifications, config.service.notifications),
  );

  provide(
    container,
    TOKENS.DomainEventSubscriber,
    [NOTIFICATIONS.NotificationRepository, TOKENS.AppConfig],
    (notifications, config) =>
      new SendNameChangeNotificationOnUserRenamed(notifications, config.service.notifications),
  );

  provideUseCase(
    container,
    NOTIFICATIONS.ListUserNotificationsUseCase,
    [NOTIFICATIONS.NotificationRepository],
    (notifications) => new ListUserNotificationsUseCase(notifications),
  );
  provide(
    container,
    TOKENS.HttpRoute,
    [NOTIFICATIONS.ListUserNotificationsUseCase],
    (listUserNotifications) => ({
      path: '/notifications',
      router: createNotificationsRouter({ listUserNotifications }),
      docs: NOTIFICATIONS_ROUTE_DOCS,
    }),
  );
}
