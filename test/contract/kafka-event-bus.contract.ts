import { describeWithBroker } from '../support/brokers';
import { KAFKA_CLIENTS, connectTestKafkaBus } from '../support/kafka/kafka-test-bus';
import { describeEventBusContract } from './event-bus.contract-suite';

// Broker round trips, group joins and rebalances take seconds, not milliseconds.
jest.setTimeout(60_000);

describe.each(KAFKA_CLIENTS)('KafkaEventBus on %s', (client) => {
  describeWithBroker('kafka', 'against a real broker', (brokers) => {
    describeEventBusContract(
      'kafka',
      (options) =>
        connectTestKafkaBus(brokers(), (config) => {
          config.kafka!.client = client;
          config.retry = options.retry;
          config.publisher.maxMessageBytes = options.maxMessageBytes;
          config.kafka!.consumer.groupId = options.defaultGroup;
        }),
      { persistent: true, deliveryTimeout: 30_000 },
    );
  });
});
