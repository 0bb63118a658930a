import request from 'supertest';
import { DeadLetterHeader, type MessageContext } from '../../src/infrastructure/eventbus';
import { type Service } from '../../src/infrastructure/di/service';
import { countRows } from '../support/database/persistence-fixture';
import { expectTenantsKeptApart } from '../support/tenant-flow';
import { startTestService } from '../support/test-service';
import { waitFor } from '../support/wait-for';
import { BRIEF_METRICS } from '../support/brief-metrics';

// The first start makes the migrated embedded database every later start copies (a few seconds).
jest.setTimeout(30_000);

describe('the service on the memory bus (full container over HTTP)', () => {
  let service: Service;
  let emailCounter = 0;
  const uniqueEmail = (): string => `person-${Date.now()}-${++emailCounter}@example.com`;

  beforeEach(async () => {
    service = await startTestService();
  });

  afterEach(async () => {
    await service.stop();
  });

  async function notificationsOf(
    userId: string,
  ): Promise<{ kind: string; recipient: string; message: string }[]> {
    const response = await request(service.app).get('/notifications').query({ userId }).expect(200);
    return (response.body as { notifications: { kind: string; recipient: string; message: string }[] })
      .notifications;
  }

  /** POST /users for a new Ada Lovelace: her id and email. */
  async function registerAda(): Promise<{ id: string; email: string }> {
    const email = uniqueEmail();
    const created = await request(service.app)
      .post('/users')
      .send({ email, name: 'Ada Lovelace' })
      .expect(201);
    return { id: (created.body as { id: string }).id, email };
  }

  it('registers a user and the welcome notification arrives through the bus', async () => {
    const { id, email } = await registerAda();

    const user = await request(service.app).get(`/users/${id}`).expect(200);
    expect(user.body).toMatchObject({ id, email, name: 'Ada Lovelace' });

    await waitFor(async () => (await notificationsOf(id)).length === 1, { timeout: 5000 });
    const [notification] = await notificationsOf(id);
    expect(notification).toMatchObject({ kind: 'welcome', recipient: email });
    expect(notification!.message).toContain('Ada Lovelace');
  });

  it('renames a user, and a name-change notification arrives through the bus next to the welcome one', async () => {
    const { id, email } = await registerAda();

    await request(service.app).patch(`/users/${id}`).send({ name: 'Ada King' }).expect(200);

    await waitFor(async () => (await notificationsOf(id)).length === 2, { timeout: 5000 });
    const notifications = await notificationsOf(id);
    expect(notifications.map((notification) => notification.kind).sort()).toEqual([
      'name-changed',
      'welcome',
    ]);
    expect(notifications.find((notification) => notification.kind === 'name-changed')).toMatchObject({
      kind: 'name-changed',
      recipient: email,
      message: 'Your name was changed from "Ada Lovelace" to "Ada King".',
    });
    const user = await request(service.app).get(`/users/${id}`).expect(200);
    expect((user.body as { name: string }).name).toBe('Ada King');
  });

  it('carries X-Request-Id into the event metadata as the correlation id', async () => {
    const seen: { body: string; context: MessageContext }[] = [];
    await service.bus.subscribe(
      'users.events',
      (message, context) => {
        seen.push({ body: new TextDecoder().decode(message), context });
        return Promise.resolve();
      },
      { group: 'integration-observer' },
    );

    await request(service.app)
      .post('/users')
      .set('X-Request-Id', 'req-42')
      .send({ email: uniqueEmail(), name: 'Grace' })
      .expect(201)
      .expect('X-Request-Id', 'req-42');

    await waitFor(() => seen.length === 1);
    const envelope = JSON.parse(seen[0]!.body) as { eventName: string; metadata: { correlationId: string } };
    expect(envelope.eventName).toBe('users.user.registered');
    expect(envelope.metadata.correlationId).toBe('req-42');
  });

  it('answers bad requests with the documented status codes', async () => {
    const email = uniqueEmail();
    const invalid = await request(service.app)
      .post('/users')
      .send({ email: 'not-an-email', unknown: 1 })
      .expect(400);
    expect(invalid.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((invalid.body as { code: string }).code).toBe('VALIDATION_FAILED');
    const fields = (invalid.body as { errors: { field: string }[] }).errors.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'name', 'unknown']));

    await request(service.app).post('/users').send({ email, name: 'First' }).expect(201);
    await request(service.app).post('/users').send({ email, name: 'Second' }).expect(409);
    await request(service.app)
      .post('/users')
      .send({ email: uniqueEmail(), name: 'x'.repeat(200_000) })
      .expect(413);
    await request(service.app).post('/users').set('Content-Type', 'text/plain').send('email=a').expect(415);
    await request(service.app).get('/users/3f1c9f0e-9a4b-4d0c-8a59-0f7d0b8b8f00').expect(404);
  });

  it('is healthy and ready, then answers 503 once the bus is closed', async () => {
    for (const path of ['/health', '/health/eventbus']) {
      const response = await request(service.app).get(path).expect(200);
      expect(response.body).toMatchObject({ status: 'healthy' });
    }
    await waitFor(async () => (await request(service.app).get('/health/ready')).status === 200);
    await request(service.app).get('/health/live').expect(200);

    await service.bus.close();

    const unhealthy = await request(service.app).get('/health').expect(503);
    expect(unhealthy.body).toMatchObject({
      status: 'unhealthy',
      error: 'the event bus is unavailable',
    });
    expect(Date.parse((unhealthy.body as { timestamp: string }).timestamp)).not.toBeNaN();
    await request(service.app).get('/health/ready').expect(503);
    await request(service.app).get('/health/live').expect(200);
  });

  it('serves every metric of the brief', async () => {
    await request(service.app).post('/users').send({ email: uniqueEmail(), name: 'Metric' }).expect(201);
    const response = await request(service.app).get('/metrics').expect(200);
    for (const name of [...BRIEF_METRICS, 'process_cpu_user_seconds_total'])
      expect(response.text).toContain(name);
    expect(response.text).toMatch(/eventbus_messages_published_total\{bus="memory",topic="users.events"\} 1/);
  });

  it('serves the outbox metrics, pending and age read from the table', async () => {
    await request(service.app).post('/users').send({ email: uniqueEmail(), name: 'Outbox' }).expect(201);
    await waitFor(async () =>
      /^outbox_published_total 1$/m.test((await request(service.app).get('/metrics')).text),
    );

    const { text } = await request(service.app).get('/metrics').expect(200);
    expect(text).toMatch(/^outbox_pending 0$/m);
    expect(text).toMatch(/^outbox_oldest_pending_age_seconds 0$/m);
    expect(text).toMatch(/^outbox_publish_failures_total 0$/m);
    expect(text).toMatch(/^outbox_dead_total 0$/m);
    expect(text).toMatch(/^outbox_publish_lag_seconds_count 1$/m);
  });

  it('dead-letters a malformed message with the reason and keeps serving', async () => {
    const deadLetters: MessageContext[] = [];
    await service.bus.subscribe(
      'users.events.dlq',
      (_message, context) => {
        deadLetters.push(context);
        return Promise.resolve();
      },
      { group: 'integration-dlq' },
    );

    await service.bus.publish('users.events', '{not json');
    await service.bus.publish('users.events', JSON.stringify({ eventName: 'users.user.vanished' }));

    await waitFor(() => deadLetters.length >= 2, { message: () => `dead letters: ${deadLetters.length}` });
    const reasons = deadLetters.map((context) => context.headers[DeadLetterHeader.error]);
    expect(reasons.some((reason) => /JSON/i.test(reason ?? ''))).toBe(true);
    expect(
      deadLetters.every((context) => context.headers[DeadLetterHeader.originalTopic] === 'users.events'),
    ).toBe(true);

    const created = await request(service.app)
      .post('/users')
      .send({ email: uniqueEmail(), name: 'After' })
      .expect(201);
    const id = (created.body as { id: string }).id;
    await waitFor(async () => (await notificationsOf(id)).length === 1);
  });
});

describe('the service with tenancy required (memory bus)', () => {
  let service: Service;

  beforeAll(async () => {
    service = await startTestService('config/default.yaml', (config) => {
      config.service.tenancy = 'required';
    });
  });
  afterAll(() => service.stop());

  it('keeps tenants apart: the same email in two tenants, each notified in its own tenant', async () => {
    await expectTenantsKeptApart(service.app, 5_000);
  });

  it('refuses a request without a tenant, and one with a malformed tenant, with 400', async () => {
    const body = { email: `nobody-${Date.now()}@example.com`, name: 'Nobody' };
    const usersBefore = await countRows(service.database, 'users');
    const missing = await request(service.app).post('/users').send(body).expect(400);
    expect((missing.body as { code: string }).code).toBe('INVALID_TENANT');
    await request(service.app).post('/users').set('X-Tenant-ID', 'bad tenant').send(body).expect(400);
    expect(await countRows(service.database, 'users')).toBe(usersBefore);
  });
});
