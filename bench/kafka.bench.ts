import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  EventBusMetrics,
  KafkaEventBus,
  getDefaultKafkaConfig,
  type EventBusConfig,
} from '../src/infrastructure/eventbus';
import { withEnvelope } from '../src/infrastructure/eventbus/envelope';
import { messageBytes } from '../src/infrastructure/eventbus/kafka/kafka-message';
import { nextMessageId } from '../src/infrastructure/eventbus/message-id';
import { type BenchRow } from './bench-row';
import { alternatingRounds, percentile } from './stats';

const MESSAGE_BYTES = 256;
const LATENCY_RATE = 1_000; // msg/s
const LATENCY_SECONDS = 5;

/**
 * KafkaEventBus next to kafkajs used directly, on the same broker, with the same settings: acks,
 * compression and fetch options from the default Kafka config, 256 B payloads carrying the same
 * headers (the bus envelope), produce requests of the same size sent one at a time.
 */
export async function benchKafka(brokers: string[], messages: number): Promise<BenchRow[]> {
  const config = getDefaultKafkaConfig(brokers);
  config.kafka!.clientId = 'bench';
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const run = `${Date.now().toString(36)}-${process.pid}`;
  const topic = (name: string): string => `bench-${name}-${run}`;
  const partitions = config.kafka!.topics.partitions;
  await admin.createTopics({
    topics: ['pub-ours', 'pub-raw', 'consume', 'lat-ours', 'lat-raw'].map((name) => ({
      topic: topic(name),
      numPartitions: partitions,
    })),
    waitForLeaders: true,
  });
  const payload = new Uint8Array(MESSAGE_BYTES).fill(7);
  const rows: BenchRow[] = [];
  try {
    const publish = await benchPublish(kafka, config, topic('pub-ours'), topic('pub-raw'), payload, messages);
    rows.push(publish);
    // Consuming is faster than publishing: more messages keep each timed run over a second.
    rows.push(await benchConsume(kafka, config, topic('consume'), payload, messages * 4));
    rows.push(...(await benchLatency(kafka, config, topic('lat-ours'), topic('lat-raw'), payload)));
  } finally {
    await admin.deleteTopics({
      topics: ['pub-ours', 'pub-raw', 'consume', 'lat-ours', 'lat-raw'].map(topic),
    });
    await admin.disconnect();
  }
  return rows;
}

function connectBus(config: EventBusConfig): Promise<KafkaEventBus> {
  return KafkaEventBus.connect(config, { metrics: new EventBusMetrics(new Registry()) });
}

/** Messages per produce request under the config's flushMessages and batchSize, as the bus batches. */
function requestSize(config: EventBusConfig, payload: Uint8Array): number {
  const bytes = messageBytes(payload, undefined, withEnvelope({}, nextMessageId()));
  const { flushMessages, batchSize } = config.kafka!.producer;
  return Math.max(1, Math.min(flushMessages, Math.floor(batchSize / bytes)));
}

/** Throughput runs per side, ours and raw alternating; the median of each counts. */
const ROUNDS = 5;

async function benchPublish(
  kafka: Kafka,
  config: EventBusConfig,
  oursTopic: string,
  rawTopic: string,
  payload: Uint8Array,
  messages: number,
): Promise<BenchRow> {
  const { requiredAcks, timeout } = config.kafka!.producer;
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const perRequest = requestSize(config, payload);
  const value = Buffer.from(payload);
  const bus = await connectBus(config);
  await bus.publish(oursTopic, payload); // topic metadata warm, as for the raw producer below

  const rawRun = async (): Promise<number> => {
    const start = performance.now();
    for (let sent = 0; sent < messages; sent += perRequest) {
      const count = Math.min(perRequest, messages - sent);
      await producer.send({
        topic: rawTopic,
        acks: requiredAcks,
        timeout,
        messages: Array.from({ length: count }, () => ({
          value,
          headers: withEnvelope({}, nextMessageId()),
        })),
      });
    }
    return messages / ((performance.now() - start) / 1000);
  };
  // Concurrent publishers keep a bounded number of publishes outstanding, as an application would.
  const window = perRequest * 10;
  const oursRun = async (): Promise<number> => {
    const start = performance.now();
    let sent = 0;
    const publisher = async (): Promise<void> => {
      while (sent < messages) {
        sent++;
        await bus.publish(oursTopic, payload);
      }
    };
    await Promise.all(Array.from({ length: window }, publisher));
    return messages / ((performance.now() - start) / 1000);
  };
  const { raw, ours } = await alternatingRounds(ROUNDS, rawRun, oursRun);
  await producer.disconnect();
  await bus.close();
  return {
    backend: 'kafka',
    scenario: `publish, acked (256 B, acks=${requiredAcks}, ${perRequest} msg/request, ${window} publishes outstanding)`,
    ours,
    raw,
    unit: 'msg/s',
    baseline: 'kafkajs producer.send, same requests',
  };
}

async function benchConsume(
  kafka: Kafka,
  config: EventBusConfig,
  topic: string,
  payload: Uint8Array,
  messages: number,
): Promise<BenchRow> {
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const value = Buffer.from(payload);
  for (let sent = 0; sent < messages; sent += 1000) {
    const count = Math.min(1000, messages - sent);
    await producer.send({
      topic,
      messages: Array.from({ length: count }, () => ({ value, headers: withEnvelope({}, nextMessageId()) })),
    });
  }
  await producer.disconnect();
  const consumer = config.kafka!.consumer;

  // Raw: eachBatch with a manual commit per batch, the same commit discipline as the bus.
  const rawRun = async (): Promise<number> => {
    let handled = 0;
    const raw = kafka.consumer({
      groupId: `bench-raw-${nextMessageId()}`,
      minBytes: consumer.fetchMinBytes,
      maxBytes: consumer.fetchMaxBytes,
      maxBytesPerPartition: consumer.fetchMaxBytes,
      maxWaitTimeInMs: consumer.fetchMaxWait,
    });
    await raw.connect();
    let first = 0;
    await raw.subscribe({ topics: [topic], fromBeginning: true });
    const done = untilCount(() => handled, messages);
    await raw.run({
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
    await raw.disconnect();
    return rate;
  };

  const bus = await connectBus(config);
  const oursRun = async (): Promise<number> => {
    let handled = 0;
    let first = 0;
    const done = untilCount(() => handled, messages);
    const subscription = await bus.subscribe(
      topic,
      (message) => {
        first ||= performance.now();
        handled += message.byteLength === MESSAGE_BYTES ? 1 : 0;
        return Promise.resolve();
      },
      { group: `bench-ours-${nextMessageId()}` },
    );
    await done;
    const rate = (messages - 1) / ((performance.now() - first) / 1000);
    await subscription.unsubscribe();
    return rate;
  };
  const { raw, ours } = await alternatingRounds(ROUNDS, rawRun, oursRun);
  await bus.close();
  return {
    backend: 'kafka',
    scenario: 'consume -> handled, committed (256 B, from a backlog, first to last message)',
    ours,
    raw,
    unit: 'msg/s',
    baseline: 'kafkajs eachBatch, commit per batch',
  };
}

async function benchLatency(
  kafka: Kafka,
  config: EventBusConfig,
  oursTopic: string,
  rawTopic: string,
  payload: Uint8Array,
): Promise<BenchRow[]> {
  const total = LATENCY_RATE * LATENCY_SECONDS;
  const stamp = (bytes: Uint8Array): Uint8Array => {
    const copy = Uint8Array.from(bytes);
    new DataView(copy.buffer).setFloat64(0, performance.now());
    return copy;
  };
  const age = (bytes: Uint8Array): number =>
    performance.now() - new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getFloat64(0);

  // Raw: one send per message (kafkajs has no linger), eachMessage consumer.
  const rawLatencies: number[] = [];
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const consumer = kafka.consumer({
    groupId: `bench-lat-raw-${Date.now()}`,
    maxWaitTimeInMs: config.kafka!.consumer.fetchMaxWait,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [rawTopic], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      rawLatencies.push(age(message.value!));
      return Promise.resolve();
    },
  });
  await atFixedRate(total, () =>
    producer.send({
      topic: rawTopic,
      acks: config.kafka!.producer.requiredAcks,
      messages: [{ value: Buffer.from(stamp(payload)), headers: withEnvelope({}, nextMessageId()) }],
    }),
  );
  await untilCount(() => rawLatencies.length, total);
  await consumer.disconnect();
  await producer.disconnect();

  const latencies: number[] = [];
  const bus = await connectBus(config);
  await bus.subscribe(oursTopic, (message) => {
    latencies.push(age(message));
    return Promise.resolve();
  });
  await atFixedRate(total, () => bus.publish(oursTopic, stamp(payload)));
  await untilCount(() => latencies.length, total);
  await bus.close();

  const scenario = (p: string): string =>
    `end-to-end ${p} at ${LATENCY_RATE.toLocaleString('en-US')} msg/s (lower is better; flushFrequency ${config.kafka!.producer.flushFrequency} ms)`;
  return [
    {
      backend: 'kafka',
      scenario: scenario('p50'),
      ours: percentile(latencies, 50),
      raw: percentile(rawLatencies, 50),
      unit: 'ms',
      baseline: 'kafkajs send per message, eachMessage',
    },
    {
      backend: 'kafka',
      scenario: scenario('p99'),
      ours: percentile(latencies, 99),
      raw: percentile(rawLatencies, 99),
      unit: 'ms',
      baseline: 'kafkajs send per message, eachMessage',
    },
  ];
}

/** Calls `send` `total` times spread evenly at LATENCY_RATE per second; resolves when all settled. */
async function atFixedRate(total: number, send: () => Promise<unknown>): Promise<void> {
  const pending: Promise<unknown>[] = [];
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * LATENCY_RATE) + 1);
    for (; sent < due; sent++) pending.push(send());
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
}

function untilCount(count: () => number, target: number): Promise<void> {
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
