import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  EventBusMetrics,
  KafkaEventBus,
  getDefaultKafkaConfig,
  type EventBusConfig,
} from '../src/infrastructure/eventbus';
import { kafkaEnvelope } from '../src/infrastructure/eventbus/kafka/kafka-envelope';
import { messageBytes } from '../src/infrastructure/eventbus/kafka/kafka-message';
import { createTopicsWithLeaders } from '../src/infrastructure/eventbus/kafka/kafkajs/kafkajs-driver';
import { nextMessageId } from '../src/infrastructure/eventbus/message-id';
import { type BenchRow, latencyRows } from './bench-row';
import { FixedRateRun, LATENCY_RATE } from './fixed-rate-run';
import {
  consumerPerformance,
  javaToolsUnavailable,
  producerPerformance,
  recordBatchBytes,
} from './kafka-java-limits';
import {
  bestShape,
  describeShape,
  kafkajsConsumeRate,
  kafkajsProducer,
  platformaticConsumeRate,
  platformaticProducer,
  untilCount,
  type ProduceShape,
  type RawProducer,
} from './kafka-raw-clients';
import { type Latency, rotatingRounds, type RoundsSummary, summarize, summarizeEach } from './stats';

const MESSAGE_BYTES = 256;
/** Request shapes tried for each raw client before the rounds; the best one is measured. */
const SHAPES: readonly ProduceShape[] = [
  { perRequest: 100, inFlight: 4 },
  { perRequest: 500, inFlight: 1 },
  { perRequest: 500, inFlight: 4 },
  { perRequest: 1000, inFlight: 4 },
  { perRequest: 250, inFlight: 8 },
];

type Summaries = Record<string, RoundsSummary>;

/**
 * A side that may not run here (java missing) or may fail (a tool run that breaks): its row then
 * says why instead of the whole bench failing.
 */
interface OptionalSide {
  readonly run: () => Promise<number>;
  failure: string | undefined;
}

function optionalSide(unavailable: string | undefined, run: () => Promise<number>): OptionalSide {
  const side: OptionalSide = {
    failure: unavailable,
    run: async () => {
      try {
        return await run();
      } catch (error) {
        side.failure ??= `failed: ${String(error instanceof Error ? error.message : error).split('\n')[0]}`;
        return Number.NaN;
      }
    },
  };
  return side;
}

/** The row's note: why an optional side has no figure, else `otherwise`. */
const noteOf = (side: OptionalSide, otherwise: string): string =>
  side.failure ? `not measured: ${side.failure}` : otherwise;

/**
 * KafkaEventBus on one broker, side by side in rotating rounds with: the Kafka limit (Kafka's Java
 * ProducerPerformance and ConsumerPerformance), kafkajs and @platformatic/kafka used directly at
 * their best request shape with and without the bus's envelope header, and kafkajs sending the
 * same requests as the bus. Settings (acks, fetch options) come from the default Kafka config;
 * payloads are 256 B. BENCH_ROUNDS rounds (default 5) after a warm-up run of every side.
 */
export async function benchKafka(brokers: string[], messages: number): Promise<BenchRow[]> {
  const config = getDefaultKafkaConfig(brokers);
  config.kafka!.clientId = 'bench';
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  // A JVM starts cold every run: enough records that its warm-up weighs little in the rate.
  const javaRecords = Number(process.env.BENCH_KAFKA_JAVA_RECORDS ?? 500_000);
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const run = `${Date.now().toString(36)}-${process.pid}`;
  const topic = (name: string): string => `bench-${name}-${run}`;
  const topics = [
    ...ourAdapters(config).map((_, index) => `pub-ours-${index}`),
    ...['pub-kafkajs', 'pub-platformatic', 'pub-java', 'consume'],
    // A topic per latency run: the warm-up and each round.
    ...latencySides(config).flatMap((side) =>
      Array.from({ length: rounds + 1 }, (_, run) => `lat-${side}-${run}`),
    ),
  ];
  await createTopicsWithLeaders(
    admin,
    topics.map((name) => ({ topic: topic(name), numPartitions: config.kafka!.topics.partitions })),
    30_000,
  );
  // A Buffer, as the JSON serializer makes them and as the raw clients are given.
  const payload = Buffer.alloc(MESSAGE_BYTES, 7);
  const javaMissing = javaToolsUnavailable();
  const adapters: OurAdapter[] = [];
  const rows: BenchRow[] = [];
  try {
    for (const [index, adapter] of ourAdapters(config).entries())
      adapters.push(await openAdapter(adapter.subject, adapter.config, topic(`pub-ours-${index}`), payload));
    const context = { kafka, brokers, config, topic, payload, rounds, javaMissing, adapters };
    rows.push(...(await benchPublish({ ...context, messages, javaRecords })));
    // Consuming is faster than publishing: more messages keep each timed run over a second.
    rows.push(...(await benchConsume({ ...context, messages: messages * 4 })));
    rows.push(...(await benchLatency(kafka, config, topic, payload, rounds)));
  } finally {
    for (const adapter of adapters) await adapter.close();
    await admin.deleteTopics({ topics: topics.map(topic) });
    await admin.disconnect();
  }
  return rows;
}

/**
 * Our adapter, once per Kafka driver of the bus. Each entry adds publish and consume rows next to
 * the first one's; a driver is chosen by its config, so another driver is one more entry here.
 */
function ourAdapters(config: EventBusConfig): { subject: string; config: EventBusConfig }[] {
  const onClient = (client: KafkaClient): EventBusConfig => {
    const copy = structuredClone(config);
    copy.kafka!.client = client;
    return copy;
  };
  return [
    { subject: 'ours on kafkajs', config: onClient('kafkajs') },
    { subject: 'ours on @platformatic/kafka', config: onClient('platformatic') },
  ];
}

type KafkaClient = NonNullable<EventBusConfig['kafka']>['client'];

interface BenchContext {
  readonly kafka: Kafka;
  readonly brokers: string[];
  readonly config: EventBusConfig;
  readonly topic: (name: string) => string;
  readonly payload: Uint8Array;
  readonly messages: number;
  readonly rounds: number;
  readonly javaMissing: string | undefined;
  readonly adapters: readonly OurAdapter[];
}

/** Messages per produce request under the config's flushMessages and batchSize, as the bus batches. */
function requestSize(config: EventBusConfig, payload: Uint8Array): number {
  const bytes = messageBytes(payload, undefined, kafkaEnvelope({}, nextMessageId()));
  const { flushMessages, batchSize } = config.kafka!.producer;
  return Math.max(1, Math.min(flushMessages, Math.floor(batchSize / bytes)));
}

interface OurAdapter {
  readonly subject: string;
  readonly client: KafkaClient;
  /** Concurrent publishes kept outstanding: ten produce requests' worth, as an application would. */
  readonly window: number;
  publish(messages: number): Promise<number>;
  /** Reads `messages` from the start of `topic` in a new group. */
  consume(topic: string, messages: number): Promise<number>;
  close(): Promise<void>;
}

/** The bus on `config`, connected once, with its publish and consume runs. */
async function openAdapter(
  subject: string,
  config: EventBusConfig,
  publishTopic: string,
  payload: Uint8Array,
): Promise<OurAdapter> {
  const bus = await KafkaEventBus.connect(config, { metrics: new EventBusMetrics(new Registry()) });
  await bus.publish(publishTopic, payload); // topic metadata warm, as for the raw producers
  const window = requestSize(config, payload) * 10;
  return {
    subject,
    client: config.kafka!.client,
    window,
    publish: async (messages) => {
      const start = performance.now();
      let sent = 0;
      const publisher = async (): Promise<void> => {
        while (sent < messages) {
          sent++;
          await bus.publish(publishTopic, payload);
        }
      };
      await Promise.all(Array.from({ length: window }, publisher));
      return messages / ((performance.now() - start) / 1000);
    },
    consume: async (topic, messages) => {
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
    },
    close: () => bus.close(),
  };
}

/**
 * Every side in rotating rounds; an optional side that cannot run is left out, and one that failed
 * in some round has no results. Each side's rates, round by round.
 */
async function rounds(
  count: number,
  sides: Record<string, (() => Promise<number>) | OptionalSide>,
): Promise<Record<string, number[]>> {
  const runnable: Record<string, () => Promise<number>> = {};
  for (const [name, side] of Object.entries(sides)) {
    if (typeof side === 'function') runnable[name] = side;
    else if (side.failure === undefined) runnable[name] = side.run;
  }
  const results = await rotatingRounds(count, runnable);
  for (const [name, side] of Object.entries(sides))
    if (typeof side !== 'function' && side.failure !== undefined) delete results[name];
  return results;
}

/** The median and range of the rates of two sides that measured the same thing. */
function pool(results: Record<string, number[]>, first: string, second: string): RoundsSummary | undefined {
  const rates = [...(results[first] ?? []), ...(results[second] ?? [])];
  return rates.length > 0 ? summarize(rates) : undefined;
}

const sameShape = (a: ProduceShape, b: ProduceShape): boolean =>
  a.perRequest === b.perRequest && a.inFlight === b.inFlight;

async function benchPublish(context: BenchContext & { javaRecords: number }): Promise<BenchRow[]> {
  const { kafka, brokers, config, topic, payload, messages, javaMissing, adapters } = context;
  const producerConfig = config.kafka!.producer;
  const perRequest = requestSize(config, payload);
  const partitions = config.kafka!.topics.partitions;
  // Java batches per partition: a request to the one broker holds a batch of each partition.
  const requestBatchBytes = recordBatchBytes(Math.ceil(perRequest / partitions), MESSAGE_BYTES);
  const java = (batchBytes: number): OptionalSide =>
    optionalSide(javaMissing, () =>
      producerPerformance({
        brokers,
        topic: topic('pub-java'),
        records: context.javaRecords,
        recordBytes: MESSAGE_BYTES,
        acks: producerConfig.requiredAcks,
        batchBytes,
      }),
    );
  const java16k = java(16_384);
  const javaRequest = java(requestBatchBytes);

  const kafkajs = await kafkajsProducer(kafka, producerConfig, payload);
  const platformatic = await platformaticProducer(brokers, producerConfig, payload);
  try {
    const trial = Math.max(1_000, Math.floor(messages / 4));
    const kafkajsBest = await bestShape(kafkajs, topic('pub-kafkajs'), SHAPES, trial);
    const platformaticBest = await bestShape(platformatic, topic('pub-platformatic'), SHAPES, trial);
    // As the bus sends: requests of its batch size, producer.maxInFlight of them at a time.
    const sameShapeAsOurs: ProduceShape = { perRequest, inFlight: producerConfig.maxInFlight };
    const raw = (producer: RawProducer, name: string, shape: ProduceShape, envelope: boolean) => () =>
      producer.rate(topic(name), messages, shape, envelope);

    const rates = await rounds(context.rounds, {
      java: java16k,
      javaRequest,
      kafkajsBare: raw(kafkajs, 'pub-kafkajs', kafkajsBest, false),
      kafkajsEnvelope: raw(kafkajs, 'pub-kafkajs', kafkajsBest, true),
      kafkajsSame: raw(kafkajs, 'pub-kafkajs', sameShapeAsOurs, true),
      platformaticSame: raw(platformatic, 'pub-platformatic', sameShapeAsOurs, true),
      platformaticBare: raw(platformatic, 'pub-platformatic', platformaticBest, false),
      platformaticEnvelope: raw(platformatic, 'pub-platformatic', platformaticBest, true),
      ...Object.fromEntries(adapters.map((adapter) => [adapter.subject, () => adapter.publish(messages)])),
    });
    const results: Summaries = summarizeEach(rates);

    const scenario = `publish, acked (256 B, acks=${producerConfig.requiredAcks})`;
    const limit = results.java && { value: results.java.median, name: 'the Java producer' };
    const row = (
      subject: string,
      summary: RoundsSummary | undefined,
      extra: Partial<BenchRow> = {},
    ): BenchRow => measured(scenario, subject, summary, { limit, ...extra });
    const withAndWithoutEnvelope = (client: string, shape: ProduceShape, bare: string, envelope: string) => [
      row(`${client}, ${describeShape(shape)}, no headers`, results[bare], {
        note: 'best of the shapes tried',
      }),
      row(`${client}, ${describeShape(shape)}, envelope header`, results[envelope], {
        raw: results[bare]?.median,
        baseline: 'same, no headers',
        note: 'the ratio is what the envelope header leaves',
      }),
    ];
    return [
      row('limit: Java ProducerPerformance, batch.size 16384', results.java, {
        note: noteOf(
          java16k,
          'no headers; Java producer defaults otherwise (linger.ms 5, 5 requests in flight)',
        ),
      }),
      row(`Java ProducerPerformance, batch.size ${requestBatchBytes}`, results.javaRequest, {
        note: noteOf(javaRequest, `about ${perRequest} records a request, as ours sends; no headers`),
      }),
      ...withAndWithoutEnvelope('kafkajs', kafkajsBest, 'kafkajsBare', 'kafkajsEnvelope'),
      ...withAndWithoutEnvelope(
        '@platformatic/kafka',
        platformaticBest,
        'platformaticBare',
        'platformaticEnvelope',
      ),
      row(
        `kafkajs, same requests as ours (${describeShape(sameShapeAsOurs)}), envelope header`,
        results.kafkajsSame,
      ),
      row(
        `@platformatic/kafka, same requests as ours (${describeShape(sameShapeAsOurs)}), envelope header`,
        results.platformaticSame,
      ),
      ...adapters.map((adapter) => {
        const ours = results[adapter.subject];
        const kafkajsClient = adapter.client === 'kafkajs';
        const bestShape = kafkajsClient ? kafkajsBest : platformaticBest;
        const [bestName, sameName] = kafkajsClient
          ? ['kafkajsEnvelope', 'kafkajsSame']
          : ['platformaticEnvelope', 'platformaticSame'];
        const same = results[sameName];
        // The best shape is the bus's own: both rows measured it, so the baseline is all their runs.
        const pooled = sameShape(bestShape, sameShapeAsOurs);
        const best = pooled ? pool(rates, bestName, sameName) : results[bestName];
        const clientName = kafkajsClient ? 'kafkajs' : '@platformatic/kafka';
        return row(`${adapter.subject} (${adapter.window} publishes outstanding)`, ours, {
          raw: best?.median,
          baseline: `${clientName} ${describeShape(bestShape)}, envelope header${pooled ? " (the best shape is ours: both its rows' runs)" : ''}`,
          note:
            ours && same
              ? `${(ours.median / same.median).toFixed(2)}x of ${clientName} with the same requests`
              : undefined,
        });
      }),
    ];
  } finally {
    await kafkajs.close();
    await platformatic.close();
  }
}

async function benchConsume(context: BenchContext): Promise<BenchRow[]> {
  const { kafka, brokers, config, topic, payload, messages, javaMissing, adapters } = context;
  const backlog = topic('consume');
  const producer = await kafkajsProducer(kafka, config.kafka!.producer, payload);
  await producer.rate(backlog, messages, { perRequest: 1000, inFlight: 1 }, true);
  await producer.close();
  const consumerConfig = config.kafka!.consumer;
  const java = optionalSide(javaMissing, () =>
    consumerPerformance({ brokers, topic: backlog, messages, group: `bench-java-${nextMessageId()}` }),
  );
  const rates = await rounds(context.rounds, {
    java,
    kafkajs: () => kafkajsConsumeRate(kafka, consumerConfig, backlog, messages),
    platformatic: () => platformaticConsumeRate(brokers, consumerConfig, backlog, messages),
    ...Object.fromEntries(
      adapters.map((adapter) => [adapter.subject, () => adapter.consume(backlog, messages)]),
    ),
  });
  const results: Summaries = summarizeEach(rates);
  const scenario = `consume -> handled, committed (256 B + envelope header, ${messages.toLocaleString('en-US')} from a backlog, first to last message)`;
  const limit = results.java && { value: results.java.median, name: 'the Java consumer' };
  const row = (
    subject: string,
    summary: RoundsSummary | undefined,
    extra: Partial<BenchRow> = {},
  ): BenchRow => measured(scenario, subject, summary, { limit, ...extra });
  return [
    row('limit: Java ConsumerPerformance', results.java, {
      note: noteOf(java, 'its fetch rate (group join left out); offsets committed in the background'),
    }),
    row('kafkajs eachBatch, commit per batch', results.kafkajs),
    row('@platformatic/kafka stream, commit per fetch', results.platformatic),
    ...adapters.map((adapter) =>
      adapter.client === 'kafkajs'
        ? row(adapter.subject, results[adapter.subject], {
            raw: results.kafkajs?.median,
            baseline: 'kafkajs eachBatch',
          })
        : row(adapter.subject, results[adapter.subject], {
            raw: results.platformatic?.median,
            baseline: '@platformatic/kafka stream',
          }),
    ),
  ];
}

/** A row from a rounds summary; a side that did not run gives NaN (the note says why). */
function measured(
  scenario: string,
  subject: string,
  summary: RoundsSummary | undefined,
  extra: Partial<BenchRow>,
): BenchRow {
  return {
    backend: 'kafka',
    scenario,
    subject,
    ours: summary?.median ?? Number.NaN,
    ...(summary && { range: { min: summary.min, max: summary.max } }),
    unit: 'msg/s',
    ...extra,
  };
}

/** The latency rows' sides: kafkajs used directly, and the bus once per driver. */
function latencySides(config: EventBusConfig): string[] {
  return ['raw', ...ourAdapters(config).map((_, index) => `ours-${index}`)];
}

/**
 * End-to-end latency at a fixed rate, in rotating rounds: kafkajs used directly, then the bus on
 * each of its drivers, each run on a topic of its own. A row gives the median over the rounds and
 * their range; the goal holds when the range's top (the worst round) is within it.
 */
async function benchLatency(
  kafka: Kafka,
  config: EventBusConfig,
  topic: (name: string) => string,
  payload: Uint8Array,
  rounds: number,
): Promise<BenchRow[]> {
  const adapters = ourAdapters(config);
  const runs = new Map<string, number>();
  const nextTopic = (side: string): string => {
    const run = runs.get(side) ?? 0;
    runs.set(side, run + 1);
    return topic(`lat-${side}-${run}`);
  };
  const sides: Record<string, () => Promise<Latency>> = {
    raw: () => rawLatency(kafka, config, nextTopic('raw'), payload),
  };
  for (const [index, adapter] of adapters.entries())
    sides[`ours-${index}`] = () => busLatency(adapter.config, nextTopic(`ours-${index}`), payload);
  const results = await rotatingRounds(rounds, sides);

  const scenario = (p: string): string =>
    `end-to-end ${p} at ${LATENCY_RATE.toLocaleString('en-US')} msg/s (lower is better; flushFrequency ${config.kafka!.producer.flushFrequency} ms)`;
  return adapters.flatMap((adapter, index) =>
    latencyRows(
      {
        backend: 'kafka',
        scenario,
        subject: adapter.subject,
        unit: 'ms',
        baseline: 'kafkajs send per message, eachMessage',
      },
      results[`ours-${index}`]!,
      results.raw!,
      '<= 40 ms',
    ),
  );
}

/** kafkajs alone: one send per message (kafkajs has no linger), an eachMessage consumer. */
async function rawLatency(
  kafka: Kafka,
  config: EventBusConfig,
  topic: string,
  payload: Uint8Array,
): Promise<Latency> {
  const run = new FixedRateRun(payload);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const consumer = kafka.consumer({
    groupId: `bench-lat-raw-${Date.now()}`,
    maxWaitTimeInMs: config.kafka!.consumer.fetchMaxWait,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      run.record(message.value!);
      return Promise.resolve();
    },
  });
  await run.send((stamped) =>
    producer.send({
      topic,
      acks: config.kafka!.producer.requiredAcks,
      messages: [{ value: Buffer.from(stamped), headers: kafkaEnvelope({}, nextMessageId()) }],
    }),
  );
  await run.allHandled();
  await consumer.disconnect();
  await producer.disconnect();
  return run.latency();
}

/** The bus with `config`, publishing and handling on `topic`. */
async function busLatency(config: EventBusConfig, topic: string, payload: Uint8Array): Promise<Latency> {
  const run = new FixedRateRun(payload);
  const bus = await KafkaEventBus.connect(config, { metrics: new EventBusMetrics(new Registry()) });
  await bus.subscribe(topic, (message) => {
    run.record(message);
    return Promise.resolve();
  });
  await run.send((stamped) => bus.publish(topic, stamped));
  await run.allHandled();
  await bus.close();
  return run.latency();
}
