import { SendWelcomeNotificationOnUserRegistered } from '../../../../src/application/notifications/send-welcome-notification-on-user-registered.subscriber';
import { UserRegisteredDomainEvent } from '../../../../src/domain/users/user-registered.domain-event';
import { FakeNotificationRepository } from '../../../support/fakes/fake-notification.repository';
import { UserRegisteredDomainEventMother } from '../../../support/mothers/users/user-registered-domain-event.mother';

describe('SendWelcomeNotificationOnUserRegistered', () => {
  let repository: FakeNotificationRepository;
  let subscriber: SendWelcomeNotificationOnUserRegistered;

  beforeEach(() => {
    repository = new FakeNotificationRepository();
    subscriber = new SendWelcomeNotificationOnUserRegistered(repository);
  });

  it('declares a stable name and the event it handles', () => {
    expect(subscriber.subscriberName).toBe('notifications.send-welcome-notification-on-user-registered');
    expect(subscriber.subscribedTo()).toEqual([UserRegisteredDomainEvent]);
  });

  it('records a welcome notification for the registered user', async () => {
    const event = UserRegisteredDomainEventMother.create({ email: 'ada@example.com', name: 'Ada Lovelace' });

    await subscriber.on(event);

    expect(repository.savedNotifications).toEqual([
      {
        id: expect.any(String) as string,
        userId: event.aggregateId,
        kind: 'welcome',
        recipient: 'ada@example.com',
        message: 'Welcome, Ada Lovelace! Your account is ready.',
        sourceEventId: event.eventId,
        createdAt: expect.any(String) as string,
      },
    ]);
  });

  it('takes the delivery latency before recording the notification, as a provider call would', async () => {
    jest.useFakeTimers();
    try {
      const slow = new SendWelcomeNotificationOnUserRegistered(repository, { deliveryLatency: 80 });
      let done = false;
      const handled = slow.on(UserRegisteredDomainEventMother.create()).then(() => (done = true));

      await jest.advanceTimersByTimeAsync(79);
      expect(done).toBe(false);
      expect(repository.savedNotifications).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      await handled;
      expect(repository.savedNotifications).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('records one notification per distinct event, even for the same user', async () => {
    const first = UserRegisteredDomainEventMother.create();
    const second = UserRegisteredDomainEventMother.create({ aggregateId: first.aggregateId });

    await subscriber.on(first);
    await subscriber.on(second);

    expect(repository.savedNotifications.map((n) => n.sourceEventId)).toEqual([
      first.eventId,
      second.eventId,
    ]);
  });
});
