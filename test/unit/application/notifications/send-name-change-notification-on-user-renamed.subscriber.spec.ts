import { SendNameChangeNotificationOnUserRenamed } from '../../../../src/application/notifications/send-name-change-notification-on-user-renamed.subscriber';
import { UserRenamedDomainEvent } from '../../../../src/domain/users/user-renamed.domain-event';
import { FakeNotificationRepository } from '../../../support/fakes/fake-notification.repository';

describe('SendNameChangeNotificationOnUserRenamed', () => {
  it('declares a stable name and the event it handles', () => {
    const subscriber = new SendNameChangeNotificationOnUserRenamed(new FakeNotificationRepository());

    expect(subscriber.subscriberName).toBe('notifications.send-name-change-notification-on-user-renamed');
    expect(subscriber.subscribedTo()).toEqual([UserRenamedDomainEvent]);
  });

  it('tells the user, at the address in the event, what their name was and is', async () => {
    const repository = new FakeNotificationRepository();
    const event = new UserRenamedDomainEvent({
      aggregateId: crypto.randomUUID(),
      name: 'Ada King',
      previousName: 'Ada Lovelace',
      email: 'ada@example.com',
    });

    await new SendNameChangeNotificationOnUserRenamed(repository).on(event);

    expect(repository.savedNotifications).toEqual([
      {
        id: expect.any(String) as string,
        userId: event.aggregateId,
        kind: 'name-changed',
        recipient: 'ada@example.com',
        message: 'Your name was changed from "Ada Lovelace" to "Ada King".',
        sourceEventId: event.eventId,
        createdAt: expect.any(String) as string,
      },
    ]);
  });

  it('takes the delivery latency before recording the notification', async () => {
    jest.useFakeTimers();
    try {
      const repository = new FakeNotificationRepository();
      const subscriber = new SendNameChangeNotificationOnUserRenamed(repository, { deliveryLatency: 50 });
      const event = new UserRenamedDomainEvent({
        aggregateId: crypto.randomUUID(),
        name: 'Ada King',
        previousName: 'Ada Lovelace',
        email: 'ada@example.com',
      });
      const handled = subscriber.on(event);

      await jest.advanceTimersByTimeAsync(49);
      expect(repository.savedNotifications).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      await handled;
      expect(repository.savedNotifications).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
