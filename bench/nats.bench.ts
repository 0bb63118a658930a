import { connect } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { Registry } from 'prom-client';
import {
  EventBusMetrics,
  getDefaultNatsConfig,
  NatsEventBus,
  type EventBusConfig,
} from '../src/infrastructure/eventbus';
import { streamSettingsFor } from '../src/infrastructure/eventbus/nats/nats-jetstream-settings';
import { streamNameFor } from '../src/infrastructure/eventbus/nats/nats-names';
import { type BenchRow } from './bench-row';
import { median } from './stats';

const MESSAGE_BYTES = 256;
/** Publishes in flight, and messages a consumer holds, for both sides. */
const WINDOW = 256;
const LATENCY_RATE = 1_000;
const LATENCY_SECONDS = 5;
const WARM_UP = 2_000;
const ROUNDS = 5;

/**
 * NatsEventBus next to raw @nats-io/jetstream on the same server, same 256 B payload and window:
 * acked publishes/s, consumed+acked messages/s from a full stream (both read the same stream), and
 * end-to-end latency at a fixed 1,000 msg/s. Raw publishes also set a message id (the bus always
 * does, for de-duplication); the bus adds its envelope headers. BENCH_NATS_MESSAGES sets the count
 * per round (default 20,000). Runs only when NATS_URL is set.
 */
export async function benchNats(): Promise<BenchRow[]> {
  const url = process.env.NATS_URL?.trim();
  if (!url) {
    console.log('nats: skipped (set NATS_URL, e.g. NATS_URL=nats://127.0.0.1:4222, to run the NATS rows)');
    return [];
  }
  const urls = url.split(',').map((entry) => entry.trim());
  const messages = Number(process.env.BENCH_NATS_MESSAGES ?? 20_000);
  const run = `bench${Date.now().toString(36)}`;
  const payload = new Uint8Array(MESSAGE_BYTES).fill(7);

  // The same client options as the bus: no async stack traces (a large per-request cost otherwise).
  const connection = await connect({ servers: urls, name: 'bench-raw', noAsyncTraces: true });
  const jsm = await jetstreamManager(connection);
  const bus = await NatsEventBus.connect(benchConfig(urls), {
    metrics: new EventBusMetrics(new Registry()),
  });
  const rows: BenchRow[] = [];
  try {
    await rawPublish(jsm, `${run}.warm.raw`, payload, WARM_UP);
    await oursPublish(bus, `${run}.warm.ours`, payload, WARM_UP);
    // Alternating rounds, medians reported: a shared 2-core machine is noisy.
    const publish = { raw: [] as number[], ours: [] as number[] };
    const consume = { raw: [] as number[], ours: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const rawSubject = `${run}.pub.raw.${round}`;
      const oursSubject = `${run}.pub.ours.${round}`;
      const rawFirst = round % 2 === 0;
      if (rawFirst) publish.raw.push(await rawPublish(jsm, rawSubject, payload, messages));
      publish.ours.push(await oursPublish(bus, oursSubject, payload, messages));
      if (!rawFirst) publish.raw.push(await rawPublish(jsm, rawSubject, payload, messages));
      // Both consume the same stream (the raw one), so they read identical messages.
      if (rawFirst) consume.raw.push(await rawConsumeFromFull(jsm, rawSubject, messages));
      consume.ours.push(await oursConsumeFromFull(bus, rawSubject, messages));
      if (!rawFirst) consume.raw.push(await rawConsumeFromFull(jsm, rawSubject, messages));
    }
    rows.push(
      row(
        'publish, PubAck awaited (256 B)',
        median(publish.ours),
        median(publish.raw),
        'msg/s',
        'js.publish',
      ),
    );
    rows.push(
      row(
        'consume + ack from a full stream (256 B)',
        median(consume.ours),
        median(consume.raw),
        'msg/s',
        'consumer.consume',
      ),
    );

    const rawLatency = await rawLatencyAtRate(jsm, `${run}.lat.raw`, payload);
    const oursLatency = await oursLatencyAtRate(bus, `${run}.lat.ours`, payload);
    const scenario = `end-to-end latency at ${LATENCY_RATE.toLocaleString('en-US')} msg/s`;
    rows.push(
      row(`${scenario}, p50 (lower is better)`, oursLatency.p50, rawLatency.p50, 'µs', 'publish -> consume'),
    );
    rows.push(
      row(`${scenario}, p99 (lower is better)`, oursLatency.p99, rawLatency.p99, 'µs', 'publish -> consume'),
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

function row(scenario: string, ours: number, raw: number, unit: string, baseline: string): BenchRow {
  return { backend: 'nats', scenario, ours, raw, unit, baseline: `raw ${baseline}` };
}

/** `count` operations with at most WINDOW in flight; resolves with operations per second. */
async function windowed(count: number, operation: (index: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WINDOW }, async () => {
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

async function rawPublish(
  jsm: JetStreamManager,
  subject: string,
  payload: Uint8Array,
  count: number,
): Promise<number> {
  await createStream(jsm, subject);
  const js = jsm.jetstream();
  return windowed(count, (index) => js.publish(subject, payload, { msgID: `${subject}-${index}` }));
}

function oursPublish(bus: NatsEventBus, topic: string, payload: Uint8Array, count: number): Promise<number> {
  return windowed(count, () => bus.publish(topic, payload));
}

async function rawConsumeFromFull(jsm: JetStreamManager, subject: string, count: number): Promise<number> {
  const stream = streamNameFor(subject);
  await jsm.consumers.add(stream, { durable_name: 'raw', ack_policy: 'explicit', max_ack_pending: 1000 });
  const consumer = await jsm.jetstream().consumers.get(stream, 'raw');
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
  return count / seconds;
}

async function oursConsumeFromFull(bus: NatsEventBus, topic: string, count: number): Promise<number> {
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
    { group: 'ours' },
  );
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await subscription.unsubscribe();
  return count / seconds;
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
}

/** Publishes at LATENCY_RATE for LATENCY_SECONDS; each payload carries its send time. */
async function paced(
  publish: (payload: Uint8Array) => Promise<unknown>,
  template: Uint8Array,
): Promise<void> {
  const total = LATENCY_RATE * LATENCY_SECONDS;
  const started = performance.now();
  let sent = 0;
  const inFlight: Promise<unknown>[] = [];
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * LATENCY_RATE) + 1);
    while (sent < due) {
      const payload = Uint8Array.from(template);
      new DataView(payload.buffer).setFloat64(0, performance.now());
      inFlight.push(publish(payload));
      sent++;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
}

function latencyOf(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (quantile: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))]!;
  return { p50: at(0.5) * 1000, p99: at(0.99) * 1000 };
}

const sentAt = (data: Uint8Array): number => new DataView(data.buffer, data.byteOffset).getFloat64(0);

async function rawLatencyAtRate(
  jsm: JetStreamManager,
  subject: string,
  template: Uint8Array,
): Promise<Latency> {
  const stream = await createStream(jsm, subject);
  await jsm.consumers.add(stream, { durable_name: 'raw', ack_policy: 'explicit', deliver_policy: 'new' });
  const consumer = await jsm.jetstream().consumers.get(stream, 'raw');
  const samples: number[] = [];
  const messages = await consumer.consume({ max_messages: WINDOW });
  const reading = (async () => {
    for await (const message of messages as AsyncIterable<JsMsg>) {
      samples.push(performance.now() - sentAt(message.data));
      message.ack();
      if (samples.length === LATENCY_RATE * LATENCY_SECONDS) void messages.close();
    }
  })();
  const js = jsm.jetstream();
  let index = 0;
  await paced((payload) => js.publish(subject, payload, { msgID: `${subject}-${index++}` }), template);
  await reading;
  return latencyOf(samples);
}

async function oursLatencyAtRate(bus: NatsEventBus, topic: string, template: Uint8Array): Promise<Latency> {
  const samples: number[] = [];
  const subscription = await bus.subscribe(
    topic,
    (message) => {
      samples.push(performance.now() - sentAt(message));
      return Promise.resolve();
    },
    { group: 'ours', startFrom: 'latest' },
  );
  await paced((payload) => bus.publish(topic, payload), template);
  const total = LATENCY_RATE * LATENCY_SECONDS;
  while (samples.length < total) await new Promise((resolve) => setTimeout(resolve, 10));
  await subscription.unsubscribe();
  return latencyOf(samples);
}
