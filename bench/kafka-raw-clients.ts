import type {
  Consumer as PlatformaticConsumer,
  Producer as PlatformaticProducer,
} from '@platformatic/kafka' with { 'resolution-mode': 'import' };
import { type Kafka, type Message, type Producer } from 'kafkajs';
import { type KafkaConfig } from '../src/infrastructure/eventbus';
import { kafkaEnvelope } from '../src/infrastructure/eventbus/kafka/kafka-envelope';
import { nextMessageId } from '../src/infrastructure/eventbus/message-id';

/**
 * The two Kafka clients used directly, with nothing of the bus but (optionally) its envelope
 * header: what the bus could reach on each client.
 */

/** How a raw producer sends: messages per produce request, requests awaited at once. */
export interface ProduceShape {
  readonly perRequest: number;
  readonly inFlight: number;
}

export const describeShape = ({ perRequest, inFlight }: ProduceShape): string =>
  `${perRequest} msg/request x ${inFlight} in flight`;

export interface RawProducer {
  readonly client: string;
  /** Messages/s publishing `messages` 256 B payloads in `shape`, each with the bus's envelope header or none. */
  rate(topic: string, messages: number, shape: ProduceShape, envelope: boolean): Promise<number>;
  close(): Promise<void>;
}

/** The envelope header the bus adds to every message (its id), made per message as it does. */
const envelopeHeaders = (): Record<string, string> => kafkaEnvelope({}, nextMessageId());

/** `messages` split into requests of `perRequest`, `inFlight` requests awaited at a time. */
async function shaped(
  messages: number,
  { perRequest, inFlight }: ProduceShape,
  send: (count: number) => Promise<unknown>,
): Promise<number> {
  const start = performance.now();
  let sent = 0;
  const sender = async (): Promise<void> => {
    while (sent < messages) {
      const count = Math.min(perRequest, messages - sent);
      sent += count;
      await send(count);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, sender));
  return messages / ((performance.now() - start) / 1000);
}

export async function kafkajsProducer(
  kafka: Kafka,
  producerConfig: KafkaConfig['producer'],
  payload: Uint8Array,
): Promise<RawProducer> {
  const { requiredAcks: acks, timeout } = producerConfig;
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const value = Buffer.from(payload);
  return {
    client: 'kafkajs',
    rate: (topic, messages, shape, envelope) =>
      shaped(messages, shape, (count) => {
        const batch: Message[] = new Array<Message>(count);
        for (let index = 0; index < count; index++)
          batch[index] = envelope ? { value, headers: envelopeHeaders() } : { value };
        return producer.send({ topic, acks, timeout, messages: batch });
      }),
    close: () => producer.disconnect(),
  };
}

export async function platformaticProducer(
  brokers: string[],
  producerConfig: KafkaConfig['producer'],
  payload: Uint8Array,
): Promise<RawProducer> {
  const { Producer, stringSerializer } = await import('@platformatic/kafka');
  // Header names and values are strings, as the bus makes them; the client encodes them.
  const producer: PlatformaticProducer<Buffer, Buffer, string, string> = new Producer({
    clientId: 'bench-platformatic',
    bootstrapBrokers: brokers,
    acks: producerConfig.requiredAcks,
    timeout: producerConfig.timeout,
    serializers: { headerKey: stringSerializer, headerValue: stringSerializer },
  });
  const value = Buffer.from(payload);
  type Outgoing = { topic: string; value: Buffer; headers?: Record<string, string> };
  return {
    client: '@platformatic/kafka',
    rate: (topic, messages, shape, envelope) =>
      shaped(messages, shape, (count) => {
        const batch: Outgoing[] = new Array<Outgoing>(count);
        for (let index = 0; index < count; index++)
          batch[index] = envelope ? { topic, value, headers: envelopeHeaders() } : { topic, value };
        return producer.send({ messages: batch });
      }),
    close: () => producer.close(),
  };
}

/**
 * The shape among `shapes` with the highest rate (with the envelope header), each tried `passes`
 * times in turn on `messages` messages: a quick search, not a measurement.
 */
export async function bestShape(
  producer: RawProducer,
  topic: string,
  shapes: readonly ProduceShape[],
  messages: number,
  passes = 2,
): Promise<ProduceShape> {
  const best = shapes.map(() => 0);
  for (let pass = 0; pass < passes; pass++) {
    for (const [index, shape] of shapes.entries())
      best[index] = Math.max(best[index]!, await producer.rate(topic, messages, shape, true));
  }
  return shapes[best.indexOf(Math.max(...best))]!;
}

const MESSAGE_BYTES = 256;

/**
 * Raw kafkajs consume from the start of `topic`: eachBatch with a manual commit per batch, the same
 * commit discipline as the bus. Messages/s from the first message to the `messages`-th.
 */
export async function kafkajsConsumeRate(
  kafka: Kafka,
  consumerConfig: KafkaConfig['consumer'],
  topic: string,
  messages: number,
): Promise<number> {
  let handled = 0;
  let first = 0;
  const consumer = kafka.consumer({
    groupId: `bench-raw-${nextMessageId()}`,
    minBytes: consumerConfig.fetchMinBytes,
    maxBytes: consumerConfig.fetchMaxBytes,
    maxBytesPerPartition: consumerConfig.fetchMaxBytes,
    maxWaitTimeInMs: consumerConfig.fetchMaxWait,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const done = untilCount(() => handled, messages);
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, uncommittedOffsets }) => {
      for (const message of batch.messages) {
        first ||= performance.now();
        handled += message.value?.byteLength === MESSAGE_BYTES ? 1 : 0;
        resolveOffset(message.offset);
      }
      await commitOffsetsIfNecessary(uncommittedOffsets());
    },
  });
  await done;
  const rate = (messages - 1) / ((performance.now() - first) / 1000);
  await consumer.disconnect();
  return rate;
}

/**
 * Raw @platformatic/kafka consume from the start of `topic`: a message stream committing after
 * each fetch (its autocommit), the 'data' event as the handler. First to `messages`-th message.
 */
export async function platformaticConsumeRate(
  brokers: string[],
  consumerConfig: KafkaConfig['consumer'],
  topic: string,
  messages: number,
): Promise<number> {
  const { Consumer } = await import('@platformatic/kafka');
  const consumer: PlatformaticConsumer<Buffer, Buffer, Buffer, Buffer> = new Consumer({
    clientId: 'bench-platformatic',
    groupId: `bench-platformatic-${nextMessageId()}`,
    bootstrapBrokers: brokers,
    minBytes: consumerConfig.fetchMinBytes,
    maxBytes: consumerConfig.fetchMaxBytes,
    maxWaitTime: consumerConfig.fetchMaxWait,
    sessionTimeout: consumerConfig.sessionTimeout,
    heartbeatInterval: consumerConfig.heartbeatInterval,
  });
  let handled = 0;
  let first = 0;
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: true });
  const done = untilCount(() => handled, messages);
  stream.on('data', (message: { value: Buffer | undefined }) => {
    first ||= performance.now();
    handled += message.value?.byteLength === MESSAGE_BYTES ? 1 : 0;
  });
  await done;
  const rate = (messages - 1) / ((performance.now() - first) / 1000);
  await stream.close();
  await consumer.close();
  return rate;
}

export function untilCount(count: () => number, target: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 300_000;
    const timer = setInterval(() => {
      if (count() >= target) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`only ${count()} of ${target} messages arrived`));
      }
    }, 2);
  });
}
