import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { type KafkaEventBus } from '../../../src/infrastructure/eventbus';
import { registerKafkaCodecs } from '../../../src/infrastructure/eventbus/kafka/kafkajs/kafka-codecs';
import { describeWithBroker } from '../../support/brokers';
import { KafkaConsoleClients } from '../../support/kafka/kafka-console-clients';
import { connectTestKafkaBus } from '../../support/kafka/kafka-test-bus';
import { codecPayloads, readAsText, sorted } from '../../support/kafka/codec-payloads';
import { uniqueName } from '../../support/unique';

// The Java console clients are fetched once (seconds) and each run starts a JVM (about a second).
jest.setTimeout(120_000);

const CODECS = {
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
} as const;
type Codec = keyof typeof CODECS;

interface KafkaJsCodec {
  compress(encoder: unknown): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/**
 * Each codec end to end, and against Kafka's own Java clients: a wrong frame format would
 * round-trip through our own producer and consumer unnoticed, but not through theirs.
 */
describeWithBroker('kafka', 'Kafka compression: gzip, snappy, lz4, zstd', (brokers) => {
  let java: KafkaConsoleClients;
  const buses: KafkaEventBus[] = [];
  const original = new Map<Codec, () => KafkaJsCodec>();
  const calls = { compress: new Map<Codec, number>(), decompress: new Map<Codec, number>() };

  beforeAll(async () => {
    java = await KafkaConsoleClients.fetch();
    // Count our codecs' calls: proof that the batches on the wire really are in that codec.
    registerKafkaCodecs();
    for (const [codec, type] of Object.entries(CODECS) as [Codec, CompressionTypes][]) {
      const factory = CompressionCodecs[type as 1] as () => KafkaJsCodec;
      original.set(codec, factory);
      const count = (kind: 'compress' | 'decompress'): void =>
        void calls[kind].set(codec, (calls[kind].get(codec) ?? 0) + 1);
      CompressionCodecs[type as 1] = (): KafkaJsCodec => {
        const inner = factory();
        return {
          compress: (encoder) => {
            count('compress');
            return inner.compress(encoder);
          },
          decompress: (buffer) => {
            count('decompress');
            return inner.decompress(buffer);
          },
        };
      };
    }
  });

  afterAll(() => {
    for (const [codec, factory] of original) CompressionCodecs[CODECS[codec] as 1] = factory;
  });

  beforeEach(() => {
    calls.compress.clear();
    calls.decompress.clear();
  });

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  async function bus(codec: Codec | 'none'): Promise<KafkaEventBus> {
    const connected = await connectTestKafkaBus(brokers(), (config) => {
      config.kafka!.producer.compression = codec;
    });
    buses.push(connected);
    return connected;
  }

  it.each(Object.keys(CODECS) as Codec[])(
    '%s: KafkaEventBus publishes and consumes it, and Kafka’s Java console consumer reads the same messages',
    async (codec) => {
      const topic = uniqueName(`codec-${codec}-out`);
      const sent = codecPayloads(codec);
      const producer = await bus(codec);
      await Promise.all(sent.map((payload) => producer.publish(topic, payload)));
      expect(calls.compress.get(codec)).toBeGreaterThan(0);

      const subscription = await readAsText(await bus('none'), topic);
      expect(sorted(await subscription.received(sent.length))).toEqual(sorted(sent));
      expect(calls.decompress.get(codec)).toBeGreaterThan(0);

      const bootstrap = brokers()[0]!;
      expect(sorted(await java.consume(bootstrap, topic, sent.length))).toEqual(sorted(sent));
    },
  );

  it.each(Object.keys(CODECS) as Codec[])(
    '%s: what Kafka’s Java console producer writes with it, KafkaEventBus consumes',
    async (codec) => {
      const topic = uniqueName(`codec-${codec}-in`);
      const sent = codecPayloads(codec);
      // A consumer whose own producer does not compress: it reads whatever codec the batches carry.
      // The subscription creates the topic, which the console producer needs (no auto-creation).
      const subscription = await readAsText(await bus('none'), topic);
      await java.produce(brokers()[0]!, topic, sent, codec);

      expect(sorted(await subscription.received(sent.length))).toEqual(sorted(sent));
      expect(calls.decompress.get(codec)).toBeGreaterThan(0);
      expect(calls.compress.get(codec)).toBeUndefined();
    },
  );
});
