import { describeWithBroker } from '../support/brokers';
import { connectTestKafkaBus } from '../support/kafka/kafka-test-bus';
import { describeEventBusContract } from './event-bus.contract-suite';

// Broker round trips, group joins and rebalances take seconds, not milliseconds.
jest.setTimeout(60_000);

describeWithBroker('kafka', 'KafkaEventBus against a real broker', (brokers) => {
  describeEventBusContract(
    'kafka',
    (options) =>
      connectTestKafkaBus(brokers(), (config) => {
        config.retry = options.retry;
        config.publisher.maxMessageBytes = options.maxMessageBytes;
      }),
    { persistent: true, deliveryTimeout: 30_000 },
  );
});
