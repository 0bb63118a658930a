import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { Registry } from 'prom-client';
import {
  EnvelopeHeader,
  EventBusMetrics,
  getDefaultNatsConfig,
  NatsEventBus,
  type EventBusConfig,
} from '../src/infrastructure/eventbus';
import { streamSettingsFor } from '../src/infrastructure/eventbus/nats/nats-jetstream-settings';
import { streamNameFor } from '../src/infrastructure/eventbus/nats/nats-names';
import { getDefaultOutboxConfig } from '../src/infrastructure/config/persistence.config';
import { type BenchRow, latencyRows } from './bench-row';
import { ClientCpu } from './client-cpu';
import { natsPublishLimit, LIMIT_WINDOW } from './nats-publish-limit';
import { natsPullConsumeLimit } from './nats-pull-consume-limit';
import { FixedRateRun, LATENCY_RATE } from './fixed-rate-run';
import { type Latency, roundRobin, rotatingRounds, type RoundsSummary } from './stats';

const MESSAGE_BYTES = 256;
/** Publishes in flight, and messages a consumer holds, for the bus and the nats.js rows. */
const WINDOW = 256;
/** Publishes the outbox relay has in flight at its defaults: `concurrency` rounds of `batchSize` rows. */
const {
  batchSize: RELAY_BATCH,
  concurrency: RELAY_ROUNDS,
  publishTimeout: RELAY_PUBLISH_TIMEOUT,
} = getDefaultOutboxConfig();
const RELAY_WINDOW = RELAY_BATCH * RELAY_ROUNDS;

/**
 * NatsEventBus on one server, side by side in rotating rounds with raw @nats-io/jetstream (same
 * 256 B payload and window) and with the NATS limits: a hand-rolled async publish with up to 4,000
 * PubAcks outstanding (bare, with the `Nats-Msg-Id` the bus sends, and with the envelope as headers
 * too) and a hand-rolled pull consumer acking every message. The bus also publishes with the outbox
 * relay's window in flight, bare, and as the relay sends them (a key, the event's id and headers,
 * one deadline per batch); the limit rows and those two also print this process's CPU per message.
 * Acked publishes/s; consumed+acked messages/s from a full stream (every consume side reads the same
 * stream in a new consumer); and end-to-end latency at a fixed 1,000 msg/s. Raw js.publish also sets
 * a message id (the bus always does, for de-duplication). BENCH_NATS_MESSAGES sets the count per run
 * (default 20,000), BENCH_ROUNDS the rounds (default 5) after a warm-up run of every side. Runs only
 * when NATS_URL is set.
 */
export async function benchNats(): Promise<BenchRow[]> {
  const url = process.env.NATS_URL?.trim();
  if (!url) {
    console.log('nats: skipped (set NATS_URL, e.g. NATS_URL=nats://127.0.0.1:4222, to run the NATS rows)');
    return [];
  }
  const urls = url.split(',').map((entry) => entry.trim());
  const messages = Number(process.env.BENCH_NATS_MESSAGES ?? 20_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const run = `bench${Date.now().toString(36)}`;
  const payload = new Uint8Array(MESSAGE_BYTES).fill(7);

  // The same client options as the bus: no async stack traces (a large per-request cost otherwise).
  const connection = await connect({ servers: urls, name: 'bench-raw', noAsyncTraces: true });
  const jsm = await jetstreamManager(connection);
  const bus = await NatsEventBus.connect(benchConfig(urls), {
    metrics: new EventBusMetrics(new Registry()),
  });
  let runs = 0;
  const subject = (side: string): string => `${run}.${side}.${++runs}`;
  const rows: BenchRow[] = [];
  try {
    // Each publish run writes a stream of its own, deleted after the run (untimed).
    const cpu = new ClientCpu();
    const publishes = await roundRobin(rounds, {
      limit: cpu.measure('limit', messages, () =>
        withStream(jsm, subject('limit'), (name) =>
          natsPublishLimit(connection, name, payload, messages, 'none'),
        ),
      ),
      limitMessageId: cpu.measure('limitMessageId', messages, () =>
        withStream(jsm, subject('limitid'), (name) =>
          natsPublishLimit(connection, name, payload, messages, 'message id'),
        ),
      ),
      limitEnvelope: () =>
        withStream(jsm, subject('limitenv'), (name) =>
          natsPublishLimit(connection, name, payload, messages, 'message id + envelope'),
        ),
      raw: () => withStream(jsm, subject('raw'), (name) => rawPublish(jsm, name, payload, messages)),
      ours: () => oursPublish(bus, jsm, subject('ours'), payload, messages, WINDOW),
      oursRelayWindow: cpu.measure('oursRelayWindow', messages, () =>
        oursPublish(bus, jsm, subject('oursrelay'), payload, messages, RELAY_WINDOW),
      ),
      oursAsRelay: cpu.measure('oursAsRelay', messages, () =>
        oursPublishAsRelay(bus, jsm, subject('oursasrelay'), payload, messages),
      ),
    });
    const publish = `publish, PubAck awaited (${MESSAGE_BYTES} B)`;
    const publishLimit = { value: publishes.limit.median, name: 'the publish limit' };
    rows.push(
      measured(
        publish,
        `limit: hand-rolled, ${LIMIT_WINDOW} PubAcks outstanding, no headers`,
        publishes.limit,
        {
          limit: publishLimit,
          note: `core NATS publish with a reply subject under one inbox; client CPU ${cpu.perMessage('limit')}`,
        },
      ),
      measured(publish, `hand-rolled, ${LIMIT_WINDOW} outstanding, Nats-Msg-Id`, publishes.limitMessageId, {
        limit: publishLimit,
        raw: publishes.limit.median,
        baseline: 'no headers',
        note: `the headers the bus sends (its envelope id is the message id); client CPU ${cpu.perMessage('limitMessageId')}`,
      }),
      measured(
        publish,
        `hand-rolled, ${LIMIT_WINDOW} outstanding, Nats-Msg-Id + envelope headers`,
        publishes.limitEnvelope,
        {
          limit: publishLimit,
          raw: publishes.limitMessageId.median,
          baseline: 'Nats-Msg-Id only',
          note: 'what sending the envelope id and time as headers would cost',
        },
      ),
      measured(publish, `@nats-io/jetstream js.publish, ${WINDOW} in flight`, publishes.raw, {
        limit: publishLimit,
      }),
      measured(publish, `ours, ${WINDOW} in flight`, publishes.ours, {
        limit: publishLimit,
        raw: publishes.raw.median,
        baseline: 'js.publish',
        note: `${(publishes.ours.median / publishes.limitMessageId.median).toFixed(2)}x of the hand-rolled publish with the same headers`,
      }),
      measured(publish, `ours, ${RELAY_WINDOW} in flight`, publishes.oursRelayWindow, {
        limit: publishLimit,
        raw: publishes.limitMessageId.median,
        baseline: 'hand-rolled with Nats-Msg-Id',
        note: `the outbox relay's window (batchSize x concurrency); client CPU ${cpu.perMessage('oursRelayWindow')}; goal >= 0.6x of the limit`,
      }),
      measured(
        publish,
        `ours as the outbox relay sends: ${RELAY_ROUNDS} batches of ${RELAY_BATCH}`,
        publishes.oursAsRelay,
        {
          limit: publishLimit,
          raw: publishes.oursRelayWindow.median,
          baseline: `ours, ${RELAY_WINDOW} in flight`,
          note: `each publish with a key, the event's id and 3 headers, each batch under one deadline; client CPU ${cpu.perMessage('oursAsRelay')}`,
        },
      ),
    );

    // One full stream, written as the bus writes (Nats-Msg-Id), read by every consume run.
    const backlog = `${run}.backlog`;
    const backlogStream = await createStream(jsm, backlog);
    await natsPublishLimit(connection, backlog, payload, messages, 'message id');
    const consumes = await roundRobin(rounds, {
      limit: () => natsPullConsumeLimit(connection, jsm, backlogStream, `limit${++runs}`, messages),
      raw: () => rawConsumeFromFull(jsm, backlogStream, `raw${++runs}`, messages),
      ours: () => oursConsumeFromFull(bus, backlog, `ours${++runs}`, messages),
    });
    const consume = `consume + ack from a full stream (${MESSAGE_BYTES} B)`;
    const consumeLimit = { value: consumes.limit.median, name: 'the pull limit' };
    rows.push(
      measured(consume, 'limit: hand-rolled pull, ack per message, 1,000 pending', consumes.limit, {
        limit: consumeLimit,
        note: 'pull requests of 500 under one inbox; +ACK published per message',
      }),
      measured(
        consume,
        `@nats-io/jetstream consumer.consume, ${WINDOW} held, ack per message`,
        consumes.raw,
        {
          limit: consumeLimit,
        },
      ),
      measured(consume, 'ours', consumes.ours, {
        limit: consumeLimit,
        raw: consumes.raw.median,
        baseline: 'consumer.consume',
        note: 'goal >= 1.0x',
      }),
    );

    // Each latency run on a stream of its own.
    const latencies = await rotatingRounds(rounds, {
      raw: () => rawLatencyAtRate(jsm, subject('lat-raw'), payload),
      ours: () => oursLatencyAtRate(bus, subject('lat-ours'), payload),
    });
    rows.push(
      ...latencyRows(
        {
          backend: 'nats',
          scenario: (p) =>
            `end-to-end latency at ${LATENCY_RATE.toLocaleString('en-US')} msg/s, ${p} (lower is better)`,
          unit: 'µs',
          baseline: 'raw publish -> consume',
        },
        latencies.ours,
        latencies.raw,
        '<= 5 ms',
      ),
    );
  } finally {
    await bus.close();
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(run)) await jsm.streams.delete(name);
    }
    await connection.close();
  }
  return rows;
}

function benchConfig(urls: string[]): EventBusConfig {
  const config = getDefaultNatsConfig(urls);
  config.nats!.clientId = 'bench-eventbus';
  config.healthCheck.enabled = false;
  config.shutdownTimeout = 10_000;
  return config;
}

/** A msg/s row from a rounds summary. */
function measured(
  scenario: string,
  subject: string,
  summary: RoundsSummary,
  extra: Partial<BenchRow>,
): BenchRow {
  return {
    backend: 'nats',
    scenario,
    subject,
    ours: summary.median,
    range: { min: summary.min, max: summary.max },
    unit: 'msg/s',
    ...extra,
  };
}

/** The bus publishing `count` messages with `window` in flight, to a stream deleted afterwards. */
async function oursPublish(
  bus: NatsEventBus,
  jsm: JetStreamManager,
  topic: string,
  payload: Uint8Array,
  count: number,
  window: number,
): Promise<number> {
  try {
    return await windowed(count, () => bus.publish(topic, payload), window);
  } finally {
    await jsm.streams.delete(streamNameFor(topic));
  }
}

/**
 * The bus publishing `count` messages as the outbox relay does: `RELAY_ROUNDS` rounds at a time, each
 * a batch of `RELAY_BATCH` publishes sharing one deadline, each publish with an aggregate's key, the
 * event's id and the headers the service gives an event (its type, correlation id and tenant).
 */
async function oursPublishAsRelay(
  bus: NatsEventBus,
  jsm: JetStreamManager,
  topic: string,
  payload: Uint8Array,
  count: number,
): Promise<number> {
  let next = 0;
  const publishBatch = (size: number): Promise<unknown> => {
    const signal = AbortSignal.timeout(RELAY_PUBLISH_TIMEOUT);
    setMaxListeners(size + 1, signal);
    return Promise.all(
      Array.from({ length: size }, () =>
        bus.publish(topic, payload, {
          key: `default/${randomUUID()}`,
          messageId: randomUUID(),
          headers: {
            [EnvelopeHeader.type]: 'users.user.registered',
            [EnvelopeHeader.trace]: randomUUID(),
            [EnvelopeHeader.tenant]: 'default',
          },
          signal,
        }),
      ),
    );
  };
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: RELAY_ROUNDS }, async () => {
        while (next < count) {
          const size = Math.min(RELAY_BATCH, count - next);
          next += size;
          await publishBatch(size);
        }
      }),
    );
    return count / ((performance.now() - started) / 1000);
  } finally {
    await jsm.streams.delete(streamNameFor(topic));
  }
}

/** `count` operations with at most `window` in flight; resolves with operations per second. */
async function windowed(
  count: number,
  operation: (index: number) => Promise<unknown>,
  window = WINDOW,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < count) await operation(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** A stream with the settings the bus gives its own (file storage, max age, duplicate window). */
async function createStream(jsm: JetStreamManager, subject: string): Promise<string> {
  const name = streamNameFor(subject);
  const settings = getDefaultNatsConfig([]).nats!.jetstream;
  await jsm.streams.add(streamSettingsFor(subject, name, settings));
  return name;
}

/** Runs `work` on a new stream for `subject`, deleted afterwards (outside the timed part). */
async function withStream(
  jsm: JetStreamManager,
  subject: string,
  work: (subject: string) => Promise<number>,
): Promise<number> {
  const name = await createStream(jsm, subject);
  try {
    return await work(subject);
  } finally {
    await jsm.streams.delete(name);
  }
}

function rawPublish(
  jsm: JetStreamManager,
  subject: string,
  payload: Uint8Array,
  count: number,
): Promise<number> {
  const js = jsm.jetstream();
  return windowed(count, (index) => js.publish(subject, payload, { msgID: `${subject}-${index}` }));
}

async function rawConsumeFromFull(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  count: number,
): Promise<number> {
  await jsm.consumers.add(stream, { durable_name: durable, ack_policy: 'explicit', max_ack_pending: 1000 });
  const consumer = await jsm.jetstream().consumers.get(stream, durable);
  const started = performance.now();
  const messages = await consumer.consume({ max_messages: WINDOW });
  let handled = 0;
  let seconds = 0;
  for await (const message of messages) {
    message.ack();
    if (message.data.byteLength === MESSAGE_BYTES && ++handled === count) {
      seconds = (performance.now() - started) / 1000;
      void messages.close();
    }
  }
  await jsm.consumers.delete(stream, durable);
  return count / seconds;
}

async function oursConsumeFromFull(
  bus: NatsEventBus,
  topic: string,
  group: string,
  count: number,
): Promise<number> {
  let handled = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const started = performance.now();
  const subscription = await bus.subscribe(
    topic,
    (message) => {
      if (message.byteLength === MESSAGE_BYTES && ++handled === count) done();
      return Promise.resolve();
    },
    { group },
  );
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await subscription.unsubscribe();
  return count / seconds;
}

/** A run's percentiles in microseconds, the unit of the NATS latency rows. */
const inMicroseconds = ({ p50, p99 }: Latency): Latency => ({ p50: p50 * 1000, p99: p99 * 1000 });

async function rawLatencyAtRate(
  jsm: JetStreamManager,
  subject: string,
  template: Uint8Array,
): Promise<Latency> {
  const stream = await createStream(jsm, subject);
  await jsm.consumers.add(stream, { durable_name: 'raw', ack_policy: 'explicit', deliver_policy: 'new' });
  const consumer = await jsm.jetstream().consumers.get(stream, 'raw');
  const run = new FixedRateRun(template);
  const messages = await consumer.consume({ max_messages: WINDOW });
  const reading = (async () => {
    for await (const message of messages as AsyncIterable<JsMsg>) {
      run.record(message.data);
      message.ack();
      if (run.received === run.total) void messages.close();
    }
  })();
  const js = jsm.jetstream();
  let index = 0;
  await run.send((payload) => js.publish(subject, payload, { msgID: `${subject}-${index++}` }));
  await reading;
  return inMicroseconds(run.latency());
}

async function oursLatencyAtRate(bus: NatsEventBus, topic: string, template: Uint8Array): Promise<Latency> {
  const run = new FixedRateRun(template);
  const subscription = await bus.subscribe(
    topic,
    (message) => {
      run.record(message);
      return Promise.resolve();
    },
    { group: 'ours', startFrom: 'latest' },
  );
  await run.send((payload) => bus.publish(topic, payload));
  await run.allHandled();
  await subscription.unsubscribe();
  return inMicroseconds(run.latency());
}
