import { type Service } from '../../src/infrastructure/di/service';
import { describeWithBroker } from '../support/brokers';
import { createTestDatabase, type TestDatabase } from '../support/database/test-databases';
import { NatsServerProcess } from '../support/nats/nats-server-process';
import { startTestService } from '../support/test-service';
import { describeReport, expectResilient } from './support/expect-resilient';
import { runOutageScenario } from './support/outage-scenario';

jest.setTimeout(600_000);

/** Readiness must follow the server back within this long (the reconnect backoff is capped at 5 s). */
const READY_WITHIN_MS = 10_000;

/**
 * The service as shipped for NATS (config/nats.yaml: 10 reconnects 2 s apart, pings every 2 s) on a
 * nats-server of its own and a PostgreSQL database, under 20 POST /users per second while the server
 * is killed for 10 s, killed for 60 s (three times what the reconnect attempts alone cover) and
 * frozen for 20 s.
 */
describeWithBroker('nats', 'the service through NATS outages under load', () => {
  let server: NatsServerProcess;
  let database: TestDatabase;
  let service: Service;

  beforeAll(async () => {
    server = await NatsServerProcess.start();
    database = await createTestDatabase('postgres');
    service = await startTestService(
      'config/nats.yaml',
      (config) => {
        config.eventbus.nats!.urls = [server.url];
      },
      { database: database.database },
    );
  });

  afterAll(async () => {
    await service?.stop();
    await database?.dispose().catch(() => undefined);
    await server?.stop();
  });

  it('answers every request, loses no event and recovers by itself', async () => {
    const report = await runOutageScenario(
      service,
      {
        kill: () => server.kill(),
        restart: () => server.restart(),
        freeze: () => server.freeze(),
        thaw: () => server.thaw(),
      },
      [
        { kind: 'kill', seconds: 10 },
        { kind: 'kill', seconds: 60 },
        { kind: 'freeze', seconds: 20 },
      ],
    );

    console.log(describeReport('nats', report));
    expectResilient(report, READY_WITHIN_MS);
  });
});
