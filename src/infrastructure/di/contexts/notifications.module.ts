import { type Container } from 'inversify';
import { ListUserNotificationsUseCase } from '../../../application/notifications/list-user-notifications.use-case';
import { SendWelcomeNotificationOnUserRegistered } from '../../../application/notifications/send-welcome-notification-on-user-registered.subscriber';
import { createNotificationsRouter } from '../../../interfaces/http/notifications/notifications.controller';
import { PostgresNotificationRepository } from '../../persistence/notifications/postgres-notification.repository';
import { provideUseCase } from '../provide-use-case';
import { provide } from '../token';
import { TOKENS } from '../tokens';

/** The notifications context: its repository, its reactions to other contexts' events, its query and route. */
export function bindNotificationsContext(container: Container): void {
  provide(
    container,
    TOKENS.NotificationRepository,
    [TOKENS.Database],
    (database) => new PostgresNotificationRepository(database),
  );

  // One binding per reaction; the subscriptions subscribe each to the events it names.
  provide(
    container,
    TOKENS.DomainEventSubscriber,
    [TOKENS.NotificationRepository],
    (notifications) => new SendWelcomeNotificationOnUserRegistered(notifications),
  );

  provideUseCase(
    container,
    TOKENS.ListUserNotificationsUseCase,
    [TOKENS.NotificationRepository],
    (notifications) => new ListUserNotificationsUseCase(notifications),
  );
  provide(container, TOKENS.HttpRoute, [TOKENS.ListUserNotificationsUseCase], (listUserNotifications) => ({
    path: '/notifications',
    router: createNotificationsRouter({ listUserNotifications }),
  }));
}
