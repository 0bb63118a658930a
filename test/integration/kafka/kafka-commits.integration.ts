import { Kafka, logLevel } from 'kafkajs';
import { type KafkaEventBus } from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { connectTestKafkaBus, describeEachKafkaClient } from '../../support/kafka/kafka-test-bus';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(60_000);

/** Publishes `count` messages over 10 keys, numbered from `from`. */
async function publish(bus: KafkaEventBus, topic: string, from: number, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, index) =>
      bus.publish(topic, String(from + index), { key: `key-${(from + index) % 10}` }),
    ),
  );
}

/** Subscribes a handler that records each message's text in the returned set. */
async function subscribeRecording(bus: KafkaEventBus, topic: string, group: string): Promise<Set<string>> {
  const handled = new Set<string>();
  await bus.subscribe(
    topic,
    recording((text) => handled.add(text)),
    { group },
  );
  return handled;
}

/** A handler that hands each message's text to `record`. */
function recording(record: (text: string) => unknown): (message: Uint8Array) => Promise<void> {
  return (message) => {
    record(new TextDecoder().decode(message));
    return Promise.resolve();
  };
}

/** The group's committed offsets on the topic, summed over its partitions (a partition without one counts 0). */
async function committedTotal(brokers: string[], group: string, topic: string): Promise<number> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return offsets!.partitions.reduce((sum, { offset }) => sum + Math.max(0, Number(offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

describeEachKafkaClient((connectBus) =>
  describeWithBroker('kafka', 'offset commits', (brokers) => {
    it('commits everything handled when the bus closes', async () => {
      const topic = uniqueName('commits-close');
      const group = uniqueName('commits-close-group');
      // A long interval: only the commit on close can cover the last messages.
      const bus = await connectBus(brokers(), (config) => (config.kafka!.consumer.commitInterval = 60_000));
      try {
        const handled = await subscribeRecording(bus, topic, group);
        await publish(bus, topic, 0, 300);
        await waitFor(() => handled.size === 300, { message: () => `handled ${handled.size} of 300` });
      } finally {
        await bus.close();
      }
      expect(await committedTotal(brokers(), group, topic)).toBe(300);
    });
  }),
);

describeWithBroker('kafka', 'offset commits on kafkajs, once per commitInterval', (brokers) => {
  it('holds back the commit of what is handled within the interval, then commits it with no more messages coming', async () => {
    const topic = uniqueName('commits-paced');
    const group = uniqueName('commits-paced-group');
    const bus = await connectTestKafkaBus(brokers(), (config) => {
      config.kafka!.client = 'kafkajs';
      config.kafka!.topics.partitions = 1;
      config.kafka!.consumer.commitInterval = 5_000;
    });
    try {
      const handled = await subscribeRecording(bus, topic, group);
      // The first batch commits at once; a second one handled right after it waits for the interval.
      await publish(bus, topic, 0, 50);
      await waitFor(async () => (await committedTotal(brokers(), group, topic)) === 50, { interval: 200 });
      await publish(bus, topic, 50, 50);
      await waitFor(() => handled.size === 100);
      expect(await committedTotal(brokers(), group, topic)).toBe(50);
      await waitFor(async () => (await committedTotal(brokers(), group, topic)) === 100, {
        timeout: 15_000,
        interval: 200,
        message: () => 'the held-back commit was not made once the interval had passed',
      });
    } finally {
      await bus.close();
    }
  });

  it('commits what it handled when a rebalance moves partitions, so no member handles it again', async () => {
    const topic = uniqueName('commits-rebalance');
    const group = uniqueName('commits-rebalance-group');
    // No interval commit within the test: what the first member handled is committed by the rebalance.
    const connect = (): Promise<KafkaEventBus> =>
      connectTestKafkaBus(brokers(), (config) => {
        config.kafka!.client = 'kafkajs';
        config.kafka!.topics.partitions = 4;
        config.kafka!.consumer.commitInterval = 60_000;
      });
    const handled: string[] = [];
    const handler = recording((text) => handled.push(text));
    const first = await connect();
    let second: KafkaEventBus | undefined;
    try {
      await first.subscribe(topic, handler, { group });
      // The first commit goes at once: what is published after it is left to the rebalance.
      await publish(first, topic, 0, 40);
      await waitFor(() => handled.length === 40);
      await publish(first, topic, 40, 400);
      await waitFor(() => handled.length === 440);

      second = await connect();
      await second.subscribe(topic, handler, { group });
      // Partitions are read in order: once these are handled, anything uncommitted before them was too.
      await publish(first, topic, 1_000, 40);
      const after = (): number => handled.filter((value) => Number(value) >= 1_000).length;
      await waitFor(() => after() >= 40, { timeout: 30_000, message: () => `handled ${after()} of 40` });
      const early = handled.filter((value) => Number(value) < 440);
      expect(early.length - new Set(early).size).toBe(0);
    } finally {
      await Promise.all([first.close(), second?.close()]);
    }
  });
});
