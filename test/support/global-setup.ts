import { type StartedTestContainer } from 'testcontainers';
import { freePort } from './free-port';

/**
 * Jest globalSetup: brokers for the broker suites when none is configured. KAFKA_BROKERS / NATS_URL
 * from the environment always win (CI and `npm run brokers:up` set them); otherwise, if a container
 * runtime answers, Kafka and NATS start in containers and the variables point at them. With
 * neither, nothing happens and describeWithBroker skips those suites (or fails them under CI=true).
 */
const KAFKA_IMAGE = 'apache/kafka:4.1.0';
const NATS_IMAGE = 'nats:2.11';

declare global {
  var eventBusTestContainers: StartedTestContainer[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const wantKafka = !process.env.KAFKA_BROKERS?.trim();
  const wantNats = !process.env.NATS_URL?.trim();
  if (!wantKafka && !wantNats) return;

  const testcontainers = await import('testcontainers');
  try {
    await testcontainers.getContainerRuntimeClient();
  } catch {
    return; // no Docker/Podman here: brokers come from the environment or the suites skip
  }
  const started: StartedTestContainer[] = (globalThis.eventBusTestContainers = []);
  if (wantKafka) {
    // Kafka advertises the address clients must use, so the host port is chosen before start.
    const port = await freePort();
    const kafka = await new testcontainers.GenericContainer(KAFKA_IMAGE)
      .withExposedPorts({ container: 9092, host: port })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      })
      .withWaitStrategy(testcontainers.Wait.forLogMessage(/Kafka Server started/))
      .withStartupTimeout(120_000)
      .start();
    started.push(kafka);
    process.env.KAFKA_BROKERS = `127.0.0.1:${port}`;
  }
  if (wantNats) {
    const nats = await new testcontainers.GenericContainer(NATS_IMAGE)
      .withCommand(['-js'])
      .withExposedPorts(4222)
      .withWaitStrategy(testcontainers.Wait.forLogMessage(/Server is ready/))
      .start();
    started.push(nats);
    process.env.NATS_URL = `nats://127.0.0.1:${nats.getMappedPort(4222)}`;
  }
}
