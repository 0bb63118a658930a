import { Notification } from '../../domain/notifications/notification.aggregate';
import type { NotificationRepository } from '../../domain/notifications/notification.repository.port';
import type { DomainEventClass } from '../../domain/shared/domain-event';
import { UserRegisteredDomainEvent } from '../../domain/users/user-registered.domain-event';
import type { DomainEventSubscriber } from '../shared/domain-event-subscriber';

export class SendWelcomeNotificationOnUserRegistered implements DomainEventSubscriber<UserRegisteredDomainEvent> {
  readonly subscriberName = 'notifications.send-welcome-notification-on-user-registered';

  constructor(private readonly notificationRepository: NotificationRepository) {}

  subscribedTo(): readonly DomainEventClass[] {
    return [UserRegisteredDomainEvent];
  }

  async on(event: UserRegisteredDomainEvent): Promise<void> {
    // Delivery is at-least-once, so the same event can arrive again. This check makes sequential
    // redeliveries harmless; two copies handled at the same instant could both pass it, which only a
    // unique constraint on sourceEventId in the store would prevent.
    if (await this.notificationRepository.existsForSourceEvent(event.eventId)) {
      return;
    }
    await this.notificationRepository.save(
      Notification.welcome({
        userId: event.aggregateId,
        recipient: event.email,
        userName: event.name,
        sourceEventId: event.eventId,
      }),
    );
  }
}
