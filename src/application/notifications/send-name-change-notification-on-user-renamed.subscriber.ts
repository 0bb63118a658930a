import { Notification } from '../../domain/notifications/notification.aggregate';
import type { NotificationRepository } from '../../domain/notifications/notification.repository.port';
import type { DomainEventClass } from '../../domain/shared/domain-event';
import { UserRenamedDomainEvent } from '../../domain/users/user-renamed.domain-event';
import type { DomainEventSubscriber } from '../shared/domain-event-subscriber';
import { awaitDeliveryProvider, type NotificationDeliveryOptions } from './notification-delivery';

/** Tells the user that their name changed, so a change they did not make does not go unnoticed. */
export class SendNameChangeNotificationOnUserRenamed implements DomainEventSubscriber<UserRenamedDomainEvent> {
  readonly subscriberName = 'notifications.send-name-change-notification-on-user-renamed';

  constructor(
    private readonly notificationRepository: NotificationRepository,
    private readonly delivery: NotificationDeliveryOptions = {},
  ) {}

  subscribedTo(): readonly DomainEventClass[] {
    return [UserRenamedDomainEvent];
  }

  async on(event: UserRenamedDomainEvent): Promise<void> {
    const notification = Notification.compose({
      kind: 'name-changed',
      userId: event.aggregateId,
      recipient: event.email,
      message: `Your name was changed from "${event.previousName}" to "${event.name}".`,
      sourceEventId: event.eventId,
    });
    await awaitDeliveryProvider(this.delivery);
    await this.notificationRepository.save(notification);
  }
}
