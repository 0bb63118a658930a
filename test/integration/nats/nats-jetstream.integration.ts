import {
  DeadLetterHeader,
  InvalidMessageError,
  type EventBusConfig,
  type MessageContext,
  type NatsEventBus,
} from '../../../src/infrastructure/eventbus';
import { consumerNameFor, streamNameFor } from '../../../src/infrastructure/eventbus/nats/nats-names';
import { describeWithBroker } from '../../support/brokers';
import { RecordingEventBusLogger } from '../../support/fakes/recording-event-bus-logger';
import { deleteStreams, withJetStreamManager } from '../../support/nats/jetstream-admin';
import { connectTestNatsBus } from '../../support/nats/nats-test-bus';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(30_000);

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const NANOS_PER_MS = 1_000_000;

/** What the bus does on the server: topology, de-duplication, acks, progress, nak and term. */
describeWithBroker('nats', 'NatsEventBus on JetStream: topology and acknowledgements', (urls) => {
  const buses: NatsEventBus[] = [];
  const connect = async (
    adjust: (config: EventBusConfig) => void = () => undefined,
    logger?: RecordingEventBusLogger,
  ): Promise<NatsEventBus> => {
    const bus = await connectTestNatsBus(urls(), adjust, logger);
    buses.push(bus);
    return bus;
  };

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  afterAll(async () => {
    await deleteStreams(urls(), (name) => name.startsWith('it-') && name.includes(`-${process.pid}-`));
  });

  it('creates one stream per topic and one durable consumer per group with the configured settings', async () => {
    const bus = await connect((config) => {
      Object.assign(config.nats!.jetstream, {
        storage: 'memory',
        maxAge: 3_600_000,
        duplicateWindow: 60_000,
        ackWait: 7_000,
        maxDeliver: 12,
        maxAckPending: 321,
      });
    });
    const topic = `${uniqueName('it')}.orders`;
    const group = 'billing.invoices';
    await bus.subscribe(topic, () => Promise.resolve(), { group });

    const { stream, consumer } = await withJetStreamManager(urls(), async (jsm) => ({
      stream: await jsm.streams.info(streamNameFor(topic)),
      consumer: await jsm.consumers.info(streamNameFor(topic), consumerNameFor(group)),
    }));
    expect(streamNameFor(topic)).toMatch(/^it-[\w-]+_orders__[0-9a-f]{10}$/);
    expect(stream.config).toMatchObject({
      subjects: [topic],
      storage: 'memory',
      retention: 'limits',
      max_age: 3_600_000 * NANOS_PER_MS,
      duplicate_window: 60_000 * NANOS_PER_MS,
      num_replicas: 1,
    });
    expect(consumerNameFor(group)).toMatch(/^billing_invoices__[0-9a-f]{10}$/);
    expect(consumer.config).toMatchObject({
      durable_name: consumerNameFor(group),
      ack_policy: 'explicit',
      deliver_policy: 'all',
      filter_subject: topic,
      ack_wait: 7_000 * NANOS_PER_MS,
      max_deliver: 12,
      max_ack_pending: 321,
      inactive_threshold: 3_600_000 * NANOS_PER_MS,
    });
  });

  it('stores a publish retried with the same message id once', async () => {
    const bus = await connect();
    const topic = uniqueName('it-dedupe');
    await bus.publish(topic, 'first', { messageId: 'order-42' });
    await bus.publish(topic, 'retry', { messageId: 'order-42' });
    await bus.publish(topic, 'other', { messageId: 'order-43' });
    const messages = await withJetStreamManager(
      urls(),
      async (jsm) => (await jsm.streams.info(streamNameFor(topic))).state.messages,
    );
    expect(messages).toBe(2);
  });

  it('keeps a handler that outlives ack_wait from being redelivered, nor the messages behind its key', async () => {
    const bus = await connect((config) => {
      config.nats!.jetstream.ackWait = 1_000;
    });
    const topic = uniqueName('it-working');
    const seen: { body: string; attempt: number }[] = [];
    await bus.subscribe(topic, async (message, context) => {
      seen.push({ body: text(message), attempt: context.attempt });
      if (text(message) === 'slow') await new Promise((resolve) => setTimeout(resolve, 3_500));
    });
    for (const body of ['slow', 'second', 'third']) await bus.publish(topic, body, { key: 'same-key' });

    await waitFor(() => seen.length >= 3, { timeout: 10_000, message: () => JSON.stringify(seen) });
    const consumer = await withJetStreamManager(urls(), async (jsm) => {
      await waitFor(
        async () =>
          (await jsm.consumers.info(streamNameFor(topic), consumerNameFor('jxt-durable'))).num_ack_pending ===
          0,
      );
      return jsm.consumers.info(streamNameFor(topic), consumerNameFor('jxt-durable'));
    });
    expect(seen).toEqual([
      { body: 'slow', attempt: 1 },
      { body: 'second', attempt: 1 },
      { body: 'third', attempt: 1 },
    ]);
    expect(consumer.num_redelivered).toBe(0);
  });

  it('gives messages it has not started back on close (nak), so another instance gets them before ack_wait', async () => {
    const first = await connect((config) => {
      config.nats!.jetstream.ackWait = 30_000;
    });
    const topic = uniqueName('it-nak');
    const group = uniqueName('it-workers');
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const handledByFirst: string[] = [];
    await first.subscribe(
      topic,
      async (message) => {
        handledByFirst.push(text(message));
        await blocked;
      },
      { group, concurrency: 1 },
    );
    for (let index = 0; index < 10; index++) await first.publish(topic, `m${index}`);
    await waitFor(() => handledByFirst.length === 1);

    const closing = first.close();
    const second = await connect();
    const handledBySecond: string[] = [];
    await second.subscribe(
      topic,
      (message) => {
        handledBySecond.push(text(message));
        return Promise.resolve();
      },
      { group },
    );
    await waitFor(() => handledBySecond.length === 9, {
      timeout: 10_000,
      message: () => `second got ${handledBySecond.join(',')}`,
    });
    release();
    await closing;
    expect(new Set([...handledByFirst, ...handledBySecond]).size).toBe(10);
    expect(handledBySecond).not.toContain(handledByFirst[0]);
  });

  it('terminates a dead-lettered message: it is on <topic>.dlq and never redelivered', async () => {
    const bus = await connect((config) => {
      config.retry = { maxAttempts: 2, initialBackoff: 5, maxBackoff: 10, multiplier: 2 };
    });
    const topic = uniqueName('it-term');
    const deadLetters: MessageContext[] = [];
    await bus.subscribe(
      `${topic}.dlq`,
      (_message, context) => {
        deadLetters.push(context);
        return Promise.resolve();
      },
      { group: 'inspector' },
    );
    await bus.subscribe(topic, () => Promise.reject(new Error('always fails')));
    await bus.publish(topic, 'poison', { key: 'k-7' });

    await waitFor(() => deadLetters.length === 1);
    expect(deadLetters[0]!.key).toBe('k-7');
    expect(deadLetters[0]!.headers[DeadLetterHeader.attempts]).toBe('2');
    const consumer = await withJetStreamManager(urls(), async (jsm) => {
      await waitFor(
        async () =>
          (await jsm.consumers.info(streamNameFor(topic), consumerNameFor('jxt-durable'))).num_ack_pending ===
          0,
      );
      return jsm.consumers.info(streamNameFor(topic), consumerNameFor('jxt-durable'));
    });
    expect(consumer.num_redelivered).toBe(0);
    expect(consumer.num_pending).toBe(0);
  });

  it('starts a new group at the beginning or, with startFrom latest, at new messages only', async () => {
    const bus = await connect();
    const topic = uniqueName('it-start');
    await bus.publish(topic, 'before');
    const earliest: string[] = [];
    const latest: string[] = [];
    await bus.subscribe(topic, (message) => (earliest.push(text(message)), Promise.resolve()), {
      group: 'from-earliest',
    });
    await bus.subscribe(topic, (message) => (latest.push(text(message)), Promise.resolve()), {
      group: 'from-latest',
      startFrom: 'latest',
    });
    await bus.publish(topic, 'after');
    await waitFor(() => earliest.length === 2 && latest.length === 1, {
      message: () => `earliest ${earliest.join()}, latest ${latest.join()}`,
    });
    expect(latest).toEqual(['after']);
  });

  it('brings an existing consumer in line with the config', async () => {
    const topic = uniqueName('it-update');
    const setup = await connect((config) => {
      config.nats!.jetstream.ackWait = 5_000;
    });
    const subscription = await setup.subscribe(topic, () => Promise.resolve(), { group: 'updated' });
    await subscription.unsubscribe();

    const bus = await connect((config) => {
      config.nats!.jetstream.ackWait = 9_000;
      config.nats!.jetstream.maxAckPending = 77;
    });
    await bus.subscribe(topic, () => Promise.resolve(), { group: 'updated' });
    const consumer = await withJetStreamManager(urls(), (jsm) =>
      jsm.consumers.info(streamNameFor(topic), consumerNameFor('updated')),
    );
    expect(consumer.config.ack_wait).toBe(9_000 * NANOS_PER_MS);
    expect(consumer.config.max_ack_pending).toBe(77);
  });

  it('uses a stream an operator created that already captures the subject', async () => {
    const prefix = uniqueName('it-ops');
    const operatorStream = `it_ops_${Date.now()}_${process.pid}_`.replace(/-/g, '_');
    await withJetStreamManager(urls(), (jsm) =>
      jsm.streams.add({ name: operatorStream, subjects: [`${prefix}.>`] }),
    );
    try {
      const bus = await connect();
      const seen: string[] = [];
      await bus.subscribe(`${prefix}.orders`, (message) => (seen.push(text(message)), Promise.resolve()));
      await bus.publish(`${prefix}.orders`, 'into the operator stream');
      await waitFor(() => seen.length === 1);
      const messages = await withJetStreamManager(
        urls(),
        async (jsm) => (await jsm.streams.info(operatorStream)).state.messages,
      );
      expect(messages).toBe(1);
    } finally {
      await withJetStreamManager(urls(), (jsm) => jsm.streams.delete(operatorStream));
    }
  });

  it('carries any key exactly and rejects a header NATS cannot carry with a typed error', async () => {
    const bus = await connect();
    const topic = uniqueName('it-headers');
    const keys: (string | undefined)[] = [];
    await bus.subscribe(topic, (_message, context) => (keys.push(context.key), Promise.resolve()));
    const awkwardKey = ' spaced key: with\nnewline and ünïcode ';
    await bus.publish(topic, 'x', { key: awkwardKey });
    await waitFor(() => keys.length === 1);
    expect(keys[0]).toBe(awkwardKey);

    await expect(bus.publish(topic, 'x', { headers: { 'x-bad': 'line\nbreak' } })).rejects.toBeInstanceOf(
      InvalidMessageError,
    );
    await expect(bus.publish(topic, 'x', { headers: { 'bad name': 'v' } })).rejects.toThrow(
      'header "bad name"',
    );
  });

  it('accepts the seed clusterId with a warning that it does nothing', async () => {
    const logger = new RecordingEventBusLogger();
    await connect((config) => {
      config.nats!.clusterId = 'jxt-cluster';
    }, logger);
    expect(logger.messages('warn').join('\n')).toMatch(/clusterId is ignored/);
  });
});
