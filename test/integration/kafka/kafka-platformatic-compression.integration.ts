import zlib from 'node:zlib';
import { ConfigError, type KafkaEventBus } from '../../../src/infrastructure/eventbus';
import {
  loadPlatformaticKafka,
  type PlatformaticKafka,
} from '../../../src/infrastructure/eventbus/kafka/platformatic/platformatic-module';
import { describeWithBroker } from '../../support/brokers';
import { KafkaConsoleClients } from '../../support/kafka/kafka-console-clients';
import { connectTestKafkaBus } from '../../support/kafka/kafka-test-bus';
import { codecPayloads, readAsText, sorted } from '../../support/kafka/codec-payloads';
import { uniqueName } from '../../support/unique';

// The Java console clients are fetched once (seconds) and each run starts a JVM (about a second).
jest.setTimeout(120_000);

const CODECS = ['gzip', 'snappy', 'lz4'] as const;
type Codec = (typeof CODECS)[number];

const hasZstd = (): boolean => typeof (zlib as Record<string, unknown>).zstdCompressSync === 'function';

/**
 * The codecs of @platformatic/kafka against Kafka's own Java clients: a wrong frame format would
 * round-trip through our own producer and consumer unnoticed, but not through theirs.
 */
describeWithBroker('kafka', 'Kafka compression on @platformatic/kafka', (brokers) => {
  let java: KafkaConsoleClients;
  let client: PlatformaticKafka;
  const buses: KafkaEventBus[] = [];

  beforeAll(async () => {
    java = await KafkaConsoleClients.fetch();
    client = await loadPlatformaticKafka();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  async function bus(codec: Codec | 'none' | 'zstd'): Promise<KafkaEventBus> {
    const connected = await connectTestKafkaBus(brokers(), (config) => {
      config.kafka!.client = 'platformatic';
      config.kafka!.producer.compression = codec;
    });
    buses.push(connected);
    return connected;
  }

  /** Counts the client's codec calls: proof that the batches on the wire really are in that codec. */
  function spyOn(codec: Codec) {
    const algorithm = client.compressionsAlgorithms[codec];
    return {
      compress: jest.spyOn(algorithm, 'compressSync'),
      decompress: jest.spyOn(algorithm, 'decompressSync'),
    };
  }

  it.each(CODECS)(
    '%s: KafkaEventBus publishes and consumes it, and Kafka’s Java console consumer reads the same messages',
    async (codec) => {
      const calls = spyOn(codec);
      const topic = uniqueName(`pcodec-${codec}-out`);
      const sent = codecPayloads(codec);
      const producer = await bus(codec);
      await Promise.all(sent.map((payload) => producer.publish(topic, payload)));
      expect(calls.compress).toHaveBeenCalled();

      const subscription = await readAsText(await bus('none'), topic);
      expect(sorted(await subscription.received(sent.length))).toEqual(sorted(sent));
      expect(calls.decompress).toHaveBeenCalled();

      expect(sorted(await java.consume(brokers()[0]!, topic, sent.length))).toEqual(sorted(sent));
    },
  );

  it.each(CODECS)(
    '%s: what Kafka’s Java console producer writes with it, KafkaEventBus consumes',
    async (codec) => {
      const calls = spyOn(codec);
      const topic = uniqueName(`pcodec-${codec}-in`);
      const sent = codecPayloads(codec);
      const subscription = await readAsText(await bus('none'), topic);
      await java.produce(brokers()[0]!, topic, sent, codec);

      expect(sorted(await subscription.received(sent.length))).toEqual(sorted(sent));
      expect(calls.decompress).toHaveBeenCalled();
      expect(calls.compress).not.toHaveBeenCalled();
    },
  );

  (hasZstd() ? it.skip : it)(
    'refuses zstd at start-up on a Node.js without zlib zstd, naming the key',
    async () => {
      const connecting = bus('zstd');
      await expect(connecting).rejects.toBeInstanceOf(ConfigError);
      await expect(connecting).rejects.toThrow('eventbus.kafka.producer.compression');
    },
  );
});
