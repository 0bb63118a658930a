import request from 'supertest';
import { type Service } from '../../../src/infrastructure/di/service';
import { describeWithBroker } from '../../support/brokers';
import { KAFKA_CLIENTS } from '../../support/kafka/kafka-test-bus';
import { expectTenantsKeptApart } from '../../support/tenant-flow';
import { startTestService } from '../../support/test-service';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(60_000);

describe.each(KAFKA_CLIENTS)('on %s', (client) =>
  describeWithBroker('kafka', 'the service on Kafka (full container over HTTP)', () => {
    let service: Service;

    beforeAll(async () => {
      // config/kafka.yaml as shipped; KAFKA_BROKERS from the environment overrides its brokers.
      service = await startTestService('config/kafka.yaml', (config) => {
        // Joins and rebalances of the test's groups take a second instead of several.
        config.eventbus.kafka!.consumer.heartbeatInterval = 500;
        config.eventbus.kafka!.consumer.fetchMaxWait = 100;
        config.service.tenancy = 'optional';
        config.eventbus.kafka!.client = client;
      });
    });

    afterAll(async () => {
      await service.stop();
    });

    it('runs on the kafka bus', () => {
      expect(service.bus.kind).toBe('kafka');
    });

    it('registers a user and the welcome notification arrives through Kafka', async () => {
      const email = `kafka-${Date.now()}-${process.pid}@example.com`;
      const created = await request(service.app)
        .post('/users')
        .send({ email, name: 'Ada Kafka' })
        .expect(201);
      const id = (created.body as { id: string }).id;

      await waitFor(
        async () => {
          const response = await request(service.app).get('/notifications').query({ userId: id }).expect(200);
          return (response.body as { notifications: unknown[] }).notifications.length === 1;
        },
        { timeout: 30_000, interval: 50, message: 'no welcome notification' },
      );
      const response = await request(service.app).get('/notifications').query({ userId: id });
      expect((response.body as { notifications: unknown[] }).notifications[0]).toMatchObject({
        kind: 'welcome',
        recipient: email,
      });
    });

    it('keeps tenants apart: the tenant crosses the outbox and Kafka to the subscriber', async () => {
      await expectTenantsKeptApart(service.app, 30_000);
    });

    it('is ready: the bus is healthy, the health-check round trip through Kafka is fresh, consumers run', async () => {
      await waitFor(async () => (await request(service.app).get('/health/ready')).status === 200, {
        timeout: 30_000,
        interval: 100,
        message: 'GET /health/ready never answered 200',
      });
      const health = await request(service.app).get('/health/eventbus').expect(200);
      expect(health.body).toMatchObject({ status: 'healthy' });
    });

    it('exports the kafka metrics', async () => {
      const metrics = await request(service.app).get('/metrics').expect(200);
      expect(metrics.text).toMatch(
        /eventbus_messages_published_total\{bus="kafka",topic="users.events"\} [1-9]/,
      );
      expect(metrics.text).toMatch(/eventbus_health_check_status\{bus="kafka"\} 1/);
    });
  }),
);
