import {
  CompressionCodecs,
  CompressionTypes,
  Kafka,
  logLevel,
  type Consumer,
  type KafkaMessage,
} from 'kafkajs';
import { EnvelopeHeader, type KafkaEventBus } from '../../../src/infrastructure/eventbus';
import { createTopicsWithLeaders } from '../../../src/infrastructure/eventbus/kafka/kafkajs/kafkajs-driver';
import { describeWithBroker } from '../../support/brokers';
import { describeEachKafkaClient } from '../../support/kafka/kafka-test-bus';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(60_000);

const text = (bytes: Uint8Array | Buffer | null): string =>
  new TextDecoder().decode(bytes ?? new Uint8Array());

/** What the bus wrote, as a plain kafkajs client sees it (not through our adapter). */
describeEachKafkaClient((connectBus) =>
  describeWithBroker('kafka', 'KafkaEventBus as seen from a raw kafkajs client', (brokers) => {
    let kafka: Kafka;
    const buses: KafkaEventBus[] = [];
    const consumers: Consumer[] = [];

    beforeAll(() => {
      kafka = new Kafka({ clientId: 'raw-observer', brokers: brokers(), logLevel: logLevel.NOTHING });
    });

    afterEach(async () => {
      await Promise.all(consumers.splice(0).map((consumer) => consumer.disconnect()));
      await Promise.all(buses.splice(0).map((bus) => bus.close()));
    });

    async function readRaw(
      topic: string,
      count: number,
    ): Promise<{ partition: number; message: KafkaMessage }[]> {
      const consumer = kafka.consumer({ groupId: uniqueName('raw-reader'), maxWaitTimeInMs: 100 });
      consumers.push(consumer);
      const seen: { partition: number; message: KafkaMessage }[] = [];
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: ({ partition, message }) => {
          seen.push({ partition, message });
          return Promise.resolve();
        },
      });
      await waitFor(() => seen.length >= count, {
        timeout: 30_000,
        message: () => `raw reader got ${seen.length}`,
      });
      return seen;
    }

    it('compression: gzip batches arrive gzip-compressed, none batches uncompressed', async () => {
      interface Codec {
        compress(encoder: unknown): Promise<Buffer>;
        decompress(buffer: Buffer): Promise<Buffer>;
      }
      const gzip = CompressionCodecs[CompressionTypes.GZIP] as () => Codec;
      let decompressed = 0;
      CompressionCodecs[CompressionTypes.GZIP] = (): Codec => {
        const codec = gzip();
        return {
          compress: (encoder) => codec.compress(encoder),
          decompress: (buffer) => {
            decompressed++;
            return codec.decompress(buffer);
          },
        };
      };
      try {
        const plainTopic = uniqueName('raw-none');
        const plain = await connectBus(brokers());
        buses.push(plain);
        await Promise.all(
          Array.from({ length: 20 }, (_, i) => plain.publish(plainTopic, `plain-${i}-${'a'.repeat(200)}`)),
        );
        expect((await readRaw(plainTopic, 20)).map(({ message }) => text(message.value)).sort()).toHaveLength(
          20,
        );
        expect(decompressed).toBe(0);

        const gzipTopic = uniqueName('raw-gzip');
        const zipped = await connectBus(brokers(), (config) => (config.kafka!.producer.compression = 'gzip'));
        buses.push(zipped);
        await Promise.all(
          Array.from({ length: 20 }, (_, i) => zipped.publish(gzipTopic, `zipped-${i}-${'a'.repeat(200)}`)),
        );
        const raw = await readRaw(gzipTopic, 20);
        expect(decompressed).toBeGreaterThan(0);
        expect(raw.map(({ message }) => text(message.value)).sort()).toEqual(
          Array.from({ length: 20 }, (_, i) => `zipped-${i}-${'a'.repeat(200)}`).sort(),
        );
      } finally {
        CompressionCodecs[CompressionTypes.GZIP] = gzip;
      }
    });

    it('key, headers and message id: the key picks the partition as the Java client would, headers travel as Kafka headers', async () => {
      const bus = await connectBus(brokers());
      buses.push(bus);
      const topic = uniqueName('raw-key');
      for (let i = 0; i < 12; i++)
        await bus.publish(topic, `m${i}`, {
          key: `customer-${i % 3}`,
          headers: { 'x-tenant': 'acme' },
          messageId: `id-${i}`,
        });

      const raw = await readRaw(topic, 12);
      const partitionsByKey = new Map<string, Set<number>>();
      for (const { partition, message } of raw) {
        const key = message.key!.toString();
        partitionsByKey.set(key, (partitionsByKey.get(key) ?? new Set()).add(partition));
        expect(message.headers!['x-tenant']!.toString()).toBe('acme');
        expect(message.headers![EnvelopeHeader.id]!.toString()).toBe(`id-${text(message.value).slice(1)}`);
      }
      // One partition per key: what per-key order rests on.
      for (const partitions of partitionsByKey.values()) expect(partitions.size).toBe(1);
    });

    it.each([
      ['latest', ['new-0', 'new-1', 'new-2']],
      ['earliest', ['old-0', 'old-1', 'old-2', 'new-0', 'new-1', 'new-2']],
    ] as const)(
      'autoOffsetReset=%s decides where a new group starts on a topic with history',
      async (autoOffsetReset, expected) => {
        const topic = uniqueName(`raw-reset-${autoOffsetReset}`);
        const admin = kafka.admin();
        await admin.connect();
        // Created as the bus creates its topics: leaders elected before the first produce.
        await createTopicsWithLeaders(admin, [{ topic, numPartitions: 1 }], 10_000);
        const producer = kafka.producer();
        await producer.connect();
        await producer.send({ topic, messages: ['old-0', 'old-1', 'old-2'].map((value) => ({ value })) });

        const bus = await connectBus(brokers(), (config) => {
          config.kafka!.consumer.autoOffsetReset = autoOffsetReset;
        });
        buses.push(bus);
        const group = uniqueName('reset-group');
        const seen: string[] = [];
        await bus.subscribe(
          topic,
          (message) => {
            seen.push(text(message));
            return Promise.resolve();
          },
          { group },
        );
        await producer.send({ topic, messages: ['new-0', 'new-1', 'new-2'].map((value) => ({ value })) });
        await waitFor(() => seen.length >= expected.length && seen.includes('new-2'), {
          timeout: 30_000,
          message: () => seen.join(','),
        });
        expect(seen).toEqual(expected);

        // The raw admin sees the group's committed offset at the end of the log: everything handled, nothing more.
        await waitFor(
          async () => {
            const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
            return offsets?.partitions[0]?.offset === '6';
          },
          { timeout: 15_000, interval: 100, message: 'group offset never reached 6' },
        );
        await producer.disconnect();
        await admin.disconnect();
      },
    );
  }),
);
