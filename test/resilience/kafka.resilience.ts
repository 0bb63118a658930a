import { type Service } from '../../src/infrastructure/di/service';
import { describeWithBroker } from '../support/brokers';
import { createTestDatabase, type TestDatabase } from '../support/database/test-databases';
import { KAFKA_CLIENTS } from '../support/kafka/kafka-test-bus';
import { ScriptKafkaBroker } from '../support/kafka/script-broker';
import { startTestService } from '../support/test-service';
import { describeReport, expectResilient } from './support/expect-resilient';
import { runOutageScenario } from './support/outage-scenario';

jest.setTimeout(900_000);

/** Readiness must follow the broker back within this long (the reconnect backoff is capped at 5 s). */
const READY_WITHIN_MS = 15_000;

/**
 * The service as shipped for Kafka (config/kafka.yaml, on each client) on a broker of its own and a
 * PostgreSQL database, under 20 POST /users per second while the broker is killed (-9) for 10 s
 * and for 60 s.
 */
describe.each(KAFKA_CLIENTS)('on %s', (client) =>
  describeWithBroker('kafka', 'the service through Kafka outages under load', () => {
    let broker: ScriptKafkaBroker;
    let database: TestDatabase;
    let service: Service;

    beforeAll(async () => {
      broker = await ScriptKafkaBroker.start();
      database = await createTestDatabase('postgres');
      service = await startTestService(
        'config/kafka.yaml',
        (config) => {
          config.eventbus.kafka!.brokers = [broker.bootstrap];
          config.eventbus.kafka!.client = client;
        },
        { database: database.database },
      );
    });

    afterAll(async () => {
      await service?.stop();
      await database?.dispose().catch(() => undefined);
      await broker?.stop();
    });

    it('answers every request, loses no event and recovers by itself', async () => {
      const report = await runOutageScenario(
        service,
        { kill: () => broker.kill9(), restart: () => broker.restart() },
        [
          { kind: 'kill', seconds: 10 },
          { kind: 'kill', seconds: 60 },
        ],
      );

      console.log(describeReport(`kafka (${client})`, report));
      expectResilient(report, READY_WITHIN_MS);
    });
  }),
);
