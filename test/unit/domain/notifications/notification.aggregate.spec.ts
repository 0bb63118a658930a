import { Notification } from '../../../../src/domain/notifications/notification.aggregate';
import { NotificationMother } from '../../../support/mothers/notifications/notification.mother';

describe('Notification', () => {
  const props = {
    kind: 'welcome',
    userId: 'user-1',
    recipient: 'ada@example.com',
    message: 'Welcome, Ada! Your account is ready.',
    sourceEventId: 'event-1',
  };

  it('is composed for one user, about one event, written now', () => {
    const before = Date.now();

    const notification = Notification.compose(props);

    expect(notification.kind).toBe('welcome');
    expect(notification.userId).toBe('user-1');
    expect(notification.recipient).toBe('ada@example.com');
    expect(notification.message).toBe('Welcome, Ada! Your account is ready.');
    expect(notification.sourceEventId).toBe('event-1');
    expect(notification.createdAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('gets a fresh id each time', () => {
    expect(Notification.compose(props).id.equals(Notification.compose(props).id)).toBe(false);
  });

  it('round-trips through toPrimitives and fromPrimitives', () => {
    const primitives = NotificationMother.welcome({
      createdAt: new Date('2024-06-01T09:00:00.000Z'),
    }).toPrimitives();

    expect(Notification.fromPrimitives(primitives).toPrimitives()).toEqual(primitives);
    expect(primitives.createdAt).toBe('2024-06-01T09:00:00.000Z');
  });
});
