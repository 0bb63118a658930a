import request from 'supertest';
import { NotificationMother } from '../../../../support/mothers/notifications/notification.mother';
import { buildTestApp, type TestApp } from '../http-app.fixture';

describe('GET /notifications', () => {
  const userId = 'c0ffee00-0000-4000-8000-000000000001';
  let testApp: TestApp;

  beforeEach(() => {
    testApp = buildTestApp();
  });

  it("200 with the user's notifications, oldest first", async () => {
    const newer = NotificationMother.welcome({ userId, createdAt: new Date('2024-01-02T00:00:00.000Z') });
    const older = NotificationMother.welcome({ userId, createdAt: new Date('2024-01-01T00:00:00.000Z') });
    await testApp.notifications.save(newer);
    await testApp.notifications.save(older);
    await testApp.notifications.save(NotificationMother.welcome());

    const response = await request(testApp.app).get('/notifications').query({ userId });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ notifications: [older.toPrimitives(), newer.toPrimitives()] });
  });

  it('200 with an empty list for a user without notifications', async () => {
    const response = await request(testApp.app).get('/notifications').query({ userId });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ notifications: [] });
  });

  it.each([
    ['missing', '/notifications'],
    ['empty', '/notifications?userId='],
    ['repeated', `/notifications?userId=${userId}&userId=${userId}`],
  ])('400 with a userId field error when userId is %s', async (_label, url) => {
    const response = await request(testApp.app).get(url);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: expect.any(String) as string,
      instance: '/notifications',
      code: 'VALIDATION_FAILED',
      requestId: expect.any(String) as string,
      errors: [{ field: 'userId', messages: expect.arrayContaining([expect.any(String)]) as string[] }],
    });
  });

  it('400 for an unknown query parameter', async () => {
    const response = await request(testApp.app).get('/notifications').query({ userId, page: '2' });

    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'page', messages: ['property page should not exist'] }],
      }),
    );
  });
});
