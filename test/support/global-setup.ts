import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StartedTestContainer } from 'testcontainers';
import { ENV_NAME, SKIP_LOG_VARIABLE, type BrokerKind } from './brokers';
import { freePort } from './free-port';
import { LOCAL_ADDRESSES, listening } from './local-brokers';

/**
 * Jest globalSetup: servers for the broker and database suites. KAFKA_BROKERS / NATS_URL /
 * POSTGRES_URL from the environment always win (CI sets them); a variable left unset points at the
 * local address `npm run brokers:up` serves when something answers there; otherwise, if a container
 * runtime answers, Kafka and NATS start in containers. What is still missing makes
 * describeWithBroker skip those suites (listed once at the end by global-teardown.ts), or fail
 * them under CI=true.
 */
const KAFKA_IMAGE = 'apache/kafka:4.1.0';
const NATS_IMAGE = 'nats:2.11';

declare global {
  var eventBusTestContainers: StartedTestContainer[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env[SKIP_LOG_VARIABLE] = join(mkdtempSync(join(tmpdir(), 'eventbus-skips-')), 'skipped.txt');
  await useLocalServers();
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

async function useLocalServers(): Promise<void> {
  await Promise.all(
    (Object.keys(LOCAL_ADDRESSES) as BrokerKind[]).map(async (kind) => {
      const variable = ENV_NAME[kind];
      const local = LOCAL_ADDRESSES[kind];
      if (!process.env[variable]?.trim() && (await listening(local.host, local.port))) {
        process.env[variable] = local.url;
      }
    }),
  );
}
