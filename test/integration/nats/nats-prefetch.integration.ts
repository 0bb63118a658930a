import { type NatsEventBus } from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { deleteStreams } from '../../support/nats/jetstream-admin';
import { connectTestNatsBus } from '../../support/nats/nats-test-bus';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(30_000);

const MESSAGES = 200;
const HANDLER_MS = 15;
const FAIR_SHARE = 0.3;

/** Handles each message in HANDLER_MS and records what it handled. */
class Instance {
  readonly handled: string[] = [];

  constructor(readonly bus: NatsEventBus) {}

  readonly handler = async (message: Uint8Array): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, HANDLER_MS));
    this.handled.push(new TextDecoder().decode(message));
  };
}

/**
 * Two instances of a service (two buses, each on its own connection) in one durable group share
 * the work: each pulls ahead only `prefetchMultiplier` times its concurrency, so the first to pull
 * does not take a whole burst while the other idles.
 */
describeWithBroker('nats', 'NatsEventBus prefetch: instances of a group share the work', (urls) => {
  const buses: NatsEventBus[] = [];
  const instance = async (): Promise<Instance> => {
    const bus = await connectTestNatsBus(urls());
    buses.push(bus);
    return new Instance(bus);
  };

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  afterAll(async () => {
    await deleteStreams(urls(), (name) => name.startsWith('it-fair') && name.includes(`-${process.pid}-`));
  });

  const publishAll = (bus: NatsEventBus, topic: string): Promise<void[]> =>
    Promise.all(Array.from({ length: MESSAGES }, (_, index) => bus.publish(topic, `m${index}`)));

  async function expectFairShares(first: Instance, second: Instance): Promise<void> {
    const total = (): number => first.handled.length + second.handled.length;
    await waitFor(() => total() >= MESSAGES, {
      timeout: 15_000,
      message: () => `handled ${first.handled.length} + ${second.handled.length}`,
    });
    const all = [...first.handled, ...second.handled];
    expect(new Set(all).size).toBe(MESSAGES);
    expect(all).toHaveLength(MESSAGES);
    const shares = [first.handled.length / MESSAGES, second.handled.length / MESSAGES];
    expect(Math.min(...shares)).toBeGreaterThanOrEqual(FAIR_SHARE);
  }

  it('shares a burst published while both instances wait', async () => {
    const topic = uniqueName('it-fair-burst');
    const group = 'workers';
    const [first, second] = await Promise.all([instance(), instance()]);
    await first.bus.subscribe(topic, first.handler, { group });
    await second.bus.subscribe(topic, second.handler, { group });

    await publishAll(first.bus, topic);

    await expectFairShares(first, second);
  });

  it('shares a backlog found by two instances starting together', async () => {
    const topic = uniqueName('it-fair-backlog');
    const group = 'workers';
    const [first, second] = await Promise.all([instance(), instance()]);
    // The group's consumer exists before the backlog, as for a service that was deployed before.
    const created = await first.bus.subscribe(topic, () => Promise.resolve(), { group });
    await created.unsubscribe();
    await publishAll(first.bus, topic);

    await Promise.all([
      first.bus.subscribe(topic, first.handler, { group }),
      second.bus.subscribe(topic, second.handler, { group }),
    ]);

    await expectFairShares(first, second);
  });
});
