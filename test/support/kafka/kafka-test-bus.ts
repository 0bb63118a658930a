import {
  EventBusMetrics,
  KafkaEventBus,
  getDefaultKafkaConfig,
  type EventBusConfig,
  type EventBusLogger,
} from '../../../src/infrastructure/eventbus';

/** Both Kafka clients the bus can run on: the Kafka suites run once per client. */
export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;

export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/** Declares the suites `body` declares once per Kafka client, handing it a connect for that client. */
export function describeEachKafkaClient(
  body: (connectBus: typeof connectTestKafkaBus, client: KafkaClientName) => void,
): void {
  describe.each(KAFKA_CLIENTS)('on %s', (client) => {
    body(
      (brokers, adjust, dependencies) =>
        connectTestKafkaBus(
          brokers,
          (config) => {
            config.kafka!.client = client;
            adjust?.(config);
          },
          dependencies,
        ),
      client,
    );
  });
}

/**
 * A Kafka config for tests: the defaults, with short heartbeats and fetch waits so group joins and
 * rebalances take a second rather than several, and fast retries.
 */
export function kafkaTestConfig(
  brokers: string[],
  adjust: (config: EventBusConfig) => void = () => undefined,
) {
  const config = getDefaultKafkaConfig(brokers);
  const kafka = config.kafka!;
  kafka.clientId = 'eventbus-test';
  kafka.consumer.sessionTimeout = 10_000;
  kafka.consumer.heartbeatInterval = 500;
  kafka.consumer.maxProcessingTime = 30_000;
  kafka.consumer.fetchMaxWait = 100;
  kafka.producer.flushFrequency = 5;
  config.retry = { maxAttempts: 3, initialBackoff: 5, maxBackoff: 20, multiplier: 2 };
  config.shutdownTimeout = 10_000;
  config.healthCheck.timeout = 3_000;
  const defaultGroup = kafka.consumer.groupId;
  adjust(config);
  // The clients name their assignment protocols differently, so a member of one left in a shared
  // group by a failed test would turn the other's joins away: each client has its own default group.
  if (kafka.consumer.groupId === defaultGroup) kafka.consumer.groupId = `eventbus-test-${kafka.client}`;
  return config;
}

export function connectTestKafkaBus(
  brokers: string[],
  adjust?: (config: EventBusConfig) => void,
  dependencies: { metrics?: EventBusMetrics; logger?: EventBusLogger } = {},
): Promise<KafkaEventBus> {
  return KafkaEventBus.connect(kafkaTestConfig(brokers, adjust), {
    metrics: dependencies.metrics ?? new EventBusMetrics(null),
    ...(dependencies.logger ? { logger: dependencies.logger } : {}),
  });
}
