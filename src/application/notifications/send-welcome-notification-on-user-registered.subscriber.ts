import { Notification } from '../../domain/notifications/notification.aggregate';
import type { NotificationRepository } from '../../domain/notifications/notification.repository.port';
import type { DomainEventClass } from '../../domain/shared/domain-event';
import { UserRegisteredDomainEvent } from '../../domain/users/user-registered.domain-event';
import type { DomainEventSubscriber } from '../shared/domain-event-subscriber';
import { awaitDeliveryProvider, type NotificationDeliveryOptions } from './notification-delivery';

export class SendWelcomeNotificationOnUserRegistered implements DomainEventSubscriber<UserRegisteredDomainEvent> {
  readonly subscriberName = 'notifications.send-welcome-notification-on-user-registered';

  constructor(
    private readonly notificationRepository: NotificationRepository,
    private readonly delivery: NotificationDeliveryOptions = {},
  ) {}

  subscribedTo(): readonly DomainEventClass[] {
    return [UserRegisteredDomainEvent];
  }

  // No duplicate check here: every subscriber runs once per event in effect, because its writes and
  // the record that it handled the event commit in one transaction (see DomainEventSubscriber).
  async on(event: UserRegisteredDomainEvent): Promise<void> {
    const notification = Notification.compose({
      kind: 'welcome',
      userId: event.aggregateId,
      recipient: event.email,
      message: `Welcome, ${event.name}! Your account is ready.`,
      sourceEventId: event.eventId,
    });
    await awaitDeliveryProvider(this.delivery);
    await this.notificationRepository.save(notification);
  }
}
