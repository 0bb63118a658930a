import { type KafkaBatching } from '../../../../../src/infrastructure/eventbus/kafka/kafka-config-mapping';
import { type OutgoingKafkaRecord } from '../../../../../src/infrastructure/eventbus/kafka/kafka-driver';
import { KafkaPublisher } from '../../../../../src/infrastructure/eventbus/kafka/kafka-publisher';
import { PublishSeries } from '../../../../../src/infrastructure/eventbus/metrics/series';

/** A driver's send that holds each request until the test settles it. */
class HeldRequests {
  readonly requests: { records: readonly OutgoingKafkaRecord[]; settle: (error?: Error) => void }[] = [];
  private settled = 0;

  readonly send = (records: readonly OutgoingKafkaRecord[]): Promise<void> =>
    new Promise((resolve, reject) => {
      this.requests.push({ records, settle: (error) => (error ? reject(error) : resolve()) });
    });

  /** Requests sent and not yet settled, as lists of their values. */
  get open(): string[][] {
    return this.requests
      .slice(this.settled)
      .map(({ records }) => records.map((record) => Buffer.from(record.value).toString()));
  }

  settleNext(error?: Error): void {
    this.requests[this.settled++]!.settle(error);
  }
}

const batching = (overrides: Partial<KafkaBatching> = {}): KafkaBatching => ({
  flushFrequency: 0,
  flushMessages: 2,
  batchSize: 1_000_000,
  bufferSize: 1_000,
  maxInFlight: 3,
  ...overrides,
});

const flushMicrotasks = () => new Promise((resolve) => setImmediate(resolve));

describe('KafkaPublisher (produce requests in flight)', () => {
  const series = new PublishSeries({ bus: 'kafka', topic: 't' });
  const publish = (publisher: KafkaPublisher, value: string, key?: string) =>
    publisher.publish(
      { topic: 't', key, value: Buffer.from(value), headers: {} },
      value.length,
      series,
      undefined,
    );

  it('sends up to maxInFlight requests at once, never two holding the same key', async () => {
    const held = new HeldRequests();
    const publisher = new KafkaPublisher(held.send, batching(), () => undefined);
    const published = [
      publish(publisher, 'a1', 'a'),
      publish(publisher, 'b1', 'b'),
      publish(publisher, 'c1', 'c'),
      publish(publisher, 'd1', 'd'),
      publish(publisher, 'a2', 'a'),
      publish(publisher, 'e1', 'e'),
    ];
    await flushMicrotasks();
    // a2 waits for the request holding a1, and e1 waits behind it.
    expect(held.open).toEqual([
      ['a1', 'b1'],
      ['c1', 'd1'],
    ]);
    held.settleNext();
    await flushMicrotasks();
    expect(held.open).toEqual([
      ['c1', 'd1'],
      ['a2', 'e1'],
    ]);
    held.settleNext();
    held.settleNext();
    await expect(Promise.all(published)).resolves.toBeDefined();
  });

  it('keeps one request at a time when maxInFlight is 1', async () => {
    const held = new HeldRequests();
    const publisher = new KafkaPublisher(held.send, batching({ maxInFlight: 1 }), () => undefined);
    const published = ['x', 'y', 'z'].map((value) => publish(publisher, value));
    await flushMicrotasks();
    expect(held.open).toEqual([['x', 'y']]);
    held.settleNext();
    await flushMicrotasks();
    expect(held.open).toEqual([['z']]);
    held.settleNext();
    await Promise.all(published);
  });

  it('closes a request at batchSize bytes, and sends a message larger than that alone', async () => {
    const held = new HeldRequests();
    const publisher = new KafkaPublisher(
      held.send,
      batching({ flushMessages: 10, batchSize: 4, maxInFlight: 10 }),
      () => undefined,
    );
    const published = ['a', 'bb', 'c', 'dddddd', 'e'].map((value) => publish(publisher, value));
    await flushMicrotasks();
    expect(held.open).toEqual([['a', 'bb', 'c'], ['dddddd'], ['e']]);
    for (let request = 0; request < 3; request++) held.settleNext();
    await Promise.all(published);
  });

  it('rejects only the messages of a failed request, and flush waits for every request', async () => {
    const held = new HeldRequests();
    const failures: unknown[] = [];
    const publisher = new KafkaPublisher(held.send, batching(), (error) => failures.push(error));
    const first = [publish(publisher, 'p1', 'p'), publish(publisher, 'q1', 'q')];
    const second = [publish(publisher, 'r1', 'r'), publish(publisher, 's1', 's')];
    await flushMicrotasks();
    const flushed = publisher.flush();
    held.settleNext(new Error('broker said no'));
    held.settleNext();
    await expect(Promise.all(first.map((p) => p.catch((error: Error) => error.message)))).resolves.toEqual([
      'broker said no',
      'broker said no',
    ]);
    await expect(Promise.all(second)).resolves.toBeDefined();
    await flushed;
    expect(failures).toHaveLength(1);
  });
});
