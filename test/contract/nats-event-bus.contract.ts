import { describeWithBroker } from '../support/brokers';
import { deleteStreams } from '../support/nats/jetstream-admin';
import { connectTestNatsBus } from '../support/nats/nats-test-bus';
import { describeEventBusContract } from './event-bus.contract-suite';

// JetStream round trips are milliseconds, but a redelivery after a close can take a few seconds.
jest.setTimeout(30_000);

describeWithBroker('nats', 'NatsEventBus against a real JetStream server', (urls) => {
  describeEventBusContract(
    'nats',
    (options) =>
      connectTestNatsBus(urls(), (config) => {
        config.retry = options.retry;
        config.publisher.maxMessageBytes = options.maxMessageBytes;
        config.nats!.durableName = options.defaultGroup;
      }),
    { persistent: true, deliveryTimeout: 15_000 },
  );

  // Every contract topic is unique to this run (uniqueName carries the pid); remove their streams.
  afterAll(async () => {
    const marker = `-${process.pid}-`;
    await deleteStreams(urls(), (name) => name.startsWith('contract-') && name.includes(marker));
  });
});
