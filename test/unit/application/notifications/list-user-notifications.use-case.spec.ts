import { ListUserNotificationsUseCase } from '../../../../src/application/notifications/list-user-notifications.use-case';
import { FakeNotificationRepository } from '../../../support/fakes/fake-notification.repository';
import { NotificationMother } from '../../../support/mothers/notifications/notification.mother';

describe('ListUserNotificationsUseCase', () => {
  let repository: FakeNotificationRepository;
  let useCase: ListUserNotificationsUseCase;

  beforeEach(() => {
    repository = new FakeNotificationRepository();
    useCase = new ListUserNotificationsUseCase(repository);
  });

  it("returns the user's notifications as plain views, oldest first", async () => {
    const userId = 'c0ffee00-0000-4000-8000-000000000001';
    const newest = NotificationMother.welcome({ userId, createdAt: new Date('2024-01-03T00:00:00.000Z') });
    const oldest = NotificationMother.welcome({ userId, createdAt: new Date('2024-01-01T00:00:00.000Z') });
    const middle = NotificationMother.welcome({ userId, createdAt: new Date('2024-01-02T00:00:00.000Z') });
    // Stored out of order: the fake returns insertion order, so only the use case can sort them.
    for (const notification of [newest, oldest, middle]) {
      await repository.save(notification);
    }

    const views = await useCase.execute({ userId });

    expect(views).toEqual([oldest.toPrimitives(), middle.toPrimitives(), newest.toPrimitives()]);
  });

  it("leaves out other users' notifications", async () => {
    const mine = NotificationMother.welcome({ userId: 'c0ffee00-0000-4000-8000-000000000001' });
    await repository.save(mine);
    await repository.save(NotificationMother.welcome({ userId: 'c0ffee00-0000-4000-8000-000000000002' }));

    const views = await useCase.execute({ userId: mine.userId });

    expect(views.map((view) => view.id)).toEqual([mine.id.value]);
  });

  it('finds them whatever the case of the user id, as GET /users/:id does', async () => {
    const mine = NotificationMother.welcome({ userId: 'c0ffee00-0000-4000-8000-00000000abcd' });
    await repository.save(mine);

    const views = await useCase.execute({ userId: 'C0FFEE00-0000-4000-8000-00000000ABCD' });

    expect(views.map((view) => view.id)).toEqual([mine.id.value]);
  });

  it('returns an empty list for a user without notifications', async () => {
    expect(await useCase.execute({ userId: 'nobody' })).toEqual([]);
  });
});
