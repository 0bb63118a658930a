import { Notification } from '../../../../src/domain/notifications/notification.aggregate';
import { NotificationMother } from '../../../support/mothers/notifications/notification.mother';

describe('Notification', () => {
  it('builds a welcome notification addressed to the new user', () => {
    const before = Date.now();

    const notification = Notification.welcome({
      userId: 'user-1',
      recipient: 'ada@example.com',
      userName: 'Ada',
      sourceEventId: 'event-1',
    });

    expect(notification.kind).toBe('welcome');
    expect(notification.userId).toBe('user-1');
    expect(notification.recipient).toBe('ada@example.com');
    expect(notification.message).toBe('Welcome, Ada! Your account is ready.');
    expect(notification.sourceEventId).toBe('event-1');
    expect(notification.createdAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('gets a fresh id each time', () => {
    const props = { userId: 'user-1', recipient: 'ada@example.com', userName: 'Ada', sourceEventId: 'e-1' };

    expect(Notification.welcome(props).id.equals(Notification.welcome(props).id)).toBe(false);
  });

  it('round-trips through toPrimitives and fromPrimitives', () => {
    const primitives = NotificationMother.welcome({
      createdAt: new Date('2024-06-01T09:00:00.000Z'),
    }).toPrimitives();

    expect(Notification.fromPrimitives(primitives).toPrimitives()).toEqual(primitives);
    expect(primitives.createdAt).toBe('2024-06-01T09:00:00.000Z');
  });
});
