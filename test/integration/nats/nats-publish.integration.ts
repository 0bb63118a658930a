import { DiscardPolicy } from '@nats-io/jetstream';
import { NatsPublishError, type NatsEventBus } from '../../../src/infrastructure/eventbus';
import { streamNameFor } from '../../../src/infrastructure/eventbus/nats/nats-names';
import { describeWithBroker } from '../../support/brokers';
import { deleteStreams, withJetStreamManager } from '../../support/nats/jetstream-admin';
import { connectTestNatsBus } from '../../support/nats/nats-test-bus';
import { uniqueName } from '../../support/unique';

jest.setTimeout(30_000);

/** How a publish meets JetStream's answers: the PubAck, no responders, and an API error. */
describeWithBroker('nats', 'NatsEventBus publish and PubAck', (urls) => {
  const buses: NatsEventBus[] = [];

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  afterAll(async () => {
    await deleteStreams(urls(), (name) => name.startsWith('it-') && name.includes(`-${process.pid}-`));
  });

  const storedIn = (stream: string): Promise<number> =>
    withJetStreamManager(urls(), async (jsm) => (await jsm.streams.info(stream)).state.messages);

  it('resolves many concurrent publishes, each once its PubAck arrived, all stored', async () => {
    const bus = await connectTestNatsBus(urls());
    buses.push(bus);
    const topic = uniqueName('it-pub-many');
    await Promise.all(Array.from({ length: 500 }, (_, index) => bus.publish(topic, `message ${index}`)));
    expect(await storedIn(streamNameFor(topic))).toBe(500);
  });

  it('re-creates a stream deleted under it: the publish that met no responders is stored', async () => {
    const bus = await connectTestNatsBus(urls());
    buses.push(bus);
    const topic = uniqueName('it-pub-deleted');
    await bus.publish(topic, 'before');
    await withJetStreamManager(urls(), (jsm) => jsm.streams.delete(streamNameFor(topic)));

    await bus.publish(topic, 'after');
    expect(await storedIn(streamNameFor(topic))).toBe(1);
  });

  it('rejects a publish JetStream refuses with its reason once the publish deadline has passed', async () => {
    const topic = uniqueName('it-pub-full');
    const stream = `it_full_${Date.now()}_${process.pid}`;
    // An operator's stream that holds one message and refuses more.
    await withJetStreamManager(urls(), (jsm) =>
      jsm.streams.add({ name: stream, subjects: [topic], max_msgs: 1, discard: DiscardPolicy.New }),
    );
    try {
      const bus = await connectTestNatsBus(urls(), (config) => {
        config.nats!.connectionTimeout = 1_000; // the publish deadline
      });
      buses.push(bus);
      await bus.publish(topic, 'fits');
      const refused = bus.publish(topic, 'does not fit');
      await expect(refused).rejects.toBeInstanceOf(NatsPublishError);
      await expect(refused).rejects.toThrow(/not acknowledged by JetStream .*maximum messages exceeded/i);
      expect(await storedIn(stream)).toBe(1);
    } finally {
      await withJetStreamManager(urls(), (jsm) => jsm.streams.delete(stream));
    }
  });
});
