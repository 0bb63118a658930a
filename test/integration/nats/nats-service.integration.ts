import request from 'supertest';
import { type Service } from '../../../src/infrastructure/di/service';
import { describeWithBroker } from '../../support/brokers';
import { expectTenantsKeptApart } from '../../support/tenant-flow';
import { startTestService } from '../../support/test-service';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(30_000);

/** The real service with config/nats.yaml; NATS_URL (set, or the suite skips) points it at the server. */
describeWithBroker('nats', 'the service on NATS JetStream (full container over HTTP)', () => {
  let service: Service;
  let emailCounter = 0;
  const uniqueEmail = (): string => `nats-${Date.now()}-${process.pid}-${++emailCounter}@example.com`;

  beforeAll(async () => {
    service = await startTestService('config/nats.yaml', (config) => {
      config.service.tenancy = 'optional';
    });
  });

  afterAll(async () => {
    await service.stop();
  });

  it('runs on the nats bus', () => {
    expect(service.bus.kind).toBe('nats');
  });

  it('registers a user and the welcome notification arrives through JetStream', async () => {
    const email = uniqueEmail();
    const created = await request(service.app)
      .post('/users')
      .send({ email, name: 'Ada Lovelace' })
      .expect(201);
    const id = (created.body as { id: string }).id;

    await waitFor(
      async () => {
        const response = await request(service.app).get('/notifications').query({ userId: id }).expect(200);
        return (response.body as { notifications: unknown[] }).notifications.length === 1;
      },
      { timeout: 10_000, message: 'no welcome notification' },
    );
    const response = await request(service.app).get('/notifications').query({ userId: id }).expect(200);
    expect(
      (response.body as { notifications: { kind: string; recipient: string }[] }).notifications[0],
    ).toMatchObject({
      kind: 'welcome',
      recipient: email,
    });
  });

  it('keeps tenants apart: the tenant crosses the outbox and NATS to the subscriber', async () => {
    await expectTenantsKeptApart(service.app, 10_000);
  });

  it('is ready: the bus answers and the subscriber health checker sees its own messages', async () => {
    await waitFor(async () => (await request(service.app).get('/health/ready')).status === 200, {
      timeout: 10_000,
      message: 'never ready',
    });
    const health = await request(service.app).get('/health/eventbus').expect(200);
    expect(health.body).toMatchObject({ status: 'healthy' });
  });

  it('exports the bus metrics with bus="nats"', async () => {
    await request(service.app).post('/users').send({ email: uniqueEmail(), name: 'Metric' }).expect(201);
    const response = await request(service.app).get('/metrics').expect(200);
    expect(response.text).toMatch(
      /eventbus_messages_published_total\{bus="nats",topic="users.events"\} [1-9]/,
    );
    expect(response.text).toMatch(/eventbus_health_check_status\{bus="nats"\} 1/);
  });
});
