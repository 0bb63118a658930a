import request from 'supertest';
import { type Service } from '../../../src/infrastructure/di/service';
import { describeWithBroker } from '../../support/brokers';
import { countRows } from '../../support/database/persistence-fixture';
import { NatsServerProcess } from '../../support/nats/nats-server-process';
import { startTestService } from '../../support/test-service';
import { waitFor } from '../../support/wait-for';

const OUTAGE_MS = 30_000;
const BEFORE = 20;
const DURING = 40;
const AFTER = 20;

jest.setTimeout(180_000);

/**
 * The whole write path across a 30 s broker outage: registrations keep answering 201 (the outbox
 * holds their events), and once the server is back every user gets exactly one notification.
 */
describeWithBroker('nats', 'the service while its NATS server is down for 30 s', () => {
  let server: NatsServerProcess;
  let service: Service;
  let emails = 0;

  beforeAll(async () => {
    server = await NatsServerProcess.start();
    service = await startTestService('config/nats.yaml', (config) => {
      config.eventbus.nats!.urls = [server.url];
      config.eventbus.nats!.maxReconnects = -1;
      config.eventbus.nats!.reconnectWait = 200;
      config.outbox = { ...config.outbox, publishTimeout: 1_000, maxBackoff: 2_000 };
    });
  });

  afterAll(async () => {
    await service.stop();
    await server.stop();
  });

  async function register(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const response = await request(service.app)
        .post('/users')
        .send({ email: `outage-${process.pid}-${++emails}@example.com`, name: `User ${emails}` })
        .expect(201);
      ids.push((response.body as { id: string }).id);
    }
    return ids;
  }

  const notificationsOf = async (id: string): Promise<number> =>
    (
      (await request(service.app).get('/notifications').query({ userId: id })).body as {
        notifications: unknown[];
      }
    ).notifications.length;

  it('answers 201 throughout and loses no notification', async () => {
    const before = await register(BEFORE);
    await waitFor(async () => (await countRows(service.database, 'notifications')) === BEFORE, {
      timeout: 20_000,
    });

    await server.kill();
    const outageStarted = Date.now();
    const during: string[] = [];
    // Spread over the outage, as traffic would be.
    while (during.length < DURING) {
      during.push(...(await register(DURING / 4)));
      await waitFor(() => Date.now() - outageStarted >= (during.length / DURING) * OUTAGE_MS * 0.9, {
        timeout: OUTAGE_MS,
        interval: 100,
      });
    }
    const pendingInOutage = Number(
      (
        await service.database.query<{ n: string }>(
          `SELECT count(*) AS n FROM outbox WHERE status = 'pending'`,
        )
      )[0]!.n,
    );
    expect(pendingInOutage).toBe(DURING);
    await waitFor(() => Date.now() - outageStarted >= OUTAGE_MS, { timeout: OUTAGE_MS, interval: 100 });
    await server.restart();
    const after = await register(AFTER);

    const everyone = [...before, ...during, ...after];
    let handled = 0;
    await waitFor(
      async () => (handled = await countRows(service.database, 'notifications')) >= everyone.length,
      {
        timeout: 60_000,
        message: () => `notifications: ${handled} of ${everyone.length}`,
      },
    );
    for (const id of everyone) expect(await notificationsOf(id)).toBe(1);
    expect(await countRows(service.database, 'notifications')).toBe(everyone.length);
    const dead = await service.database.query(`SELECT 1 FROM outbox WHERE status = 'dead'`);
    expect(dead).toHaveLength(0);
  });
});
