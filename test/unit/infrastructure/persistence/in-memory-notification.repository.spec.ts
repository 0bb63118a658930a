import { InMemoryNotificationRepository } from '../../../../src/infrastructure/persistence/in-memory-notification.repository';
import { NotificationMother } from '../../../support/mothers/notifications/notification.mother';
import { randomUuid } from '../../../support/mothers/random';

describe('InMemoryNotificationRepository', () => {
  let repository: InMemoryNotificationRepository;

  beforeEach(() => {
    repository = new InMemoryNotificationRepository();
  });

  it("finds a user's notifications only, in the order they were saved", async () => {
    const userId = randomUuid();
    const first = NotificationMother.welcome({ userId, createdAt: new Date('2024-02-01T00:00:00Z') });
    const second = NotificationMother.welcome({ userId, createdAt: new Date('2024-01-01T00:00:00Z') });
    await repository.save(first);
    await repository.save(NotificationMother.welcome());
    await repository.save(second);

    const found = await repository.findByUserId(userId);

    expect(found.map((n) => n.toPrimitives())).toEqual([first.toPrimitives(), second.toPrimitives()]);
  });

  it('returns an empty list for a user without notifications', async () => {
    await repository.save(NotificationMother.welcome());

    expect(await repository.findByUserId(randomUuid())).toEqual([]);
  });

  it('knows whether a notification was already recorded for an event', async () => {
    const notification = NotificationMother.welcome();
    await repository.save(notification);

    expect(await repository.existsForSourceEvent(notification.sourceEventId)).toBe(true);
    expect(await repository.existsForSourceEvent(randomUuid())).toBe(false);
  });

  it('does not let a mutated loaded aggregate change what is stored', async () => {
    const notification = NotificationMother.welcome();
    await repository.save(notification);
    const [loaded] = await repository.findByUserId(notification.userId);

    // Simulates a caller bug: writes through the private state at run time.
    (loaded as unknown as { props: { message: string } }).props.message = 'tampered';

    const [reloaded] = await repository.findByUserId(notification.userId);
    expect(reloaded?.message).toBe(notification.message);
  });
});
