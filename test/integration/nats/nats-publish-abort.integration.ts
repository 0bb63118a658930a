import { getEventListeners } from 'node:events';
import { PublishAbortedError, type NatsEventBus } from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { NatsServerProcess } from '../../support/nats/nats-server-process';
import { connectTestNatsBus } from '../../support/nats/nats-test-bus';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(60_000);

/** Far longer than the test: a publish that ends is ended by its signal, not by its deadline. */
const PUBLISH_DEADLINE_MS = 120_000;

/** Lets the publishes made in this turn go out to the server first (they leave on the next tick). */
const afterTheyWentOut = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Why each publish ended: 'aborted' for a PublishAbortedError, else what it was. */
async function outcomes(publishes: Promise<void>[]): Promise<string[]> {
  const settled = await Promise.allSettled(publishes);
  return settled.map((result) => {
    if (result.status === 'fulfilled') return 'published';
    return result.reason instanceof PublishAbortedError ? 'aborted' : String(result.reason);
  });
}

/**
 * A publish's signal ends it while JetStream does not answer (a frozen server): waiting for its
 * PubAck, and waiting for the stream lookup of a topic's first publish.
 */
describeWithBroker('nats', 'NatsEventBus publish with an abort signal', () => {
  let server: NatsServerProcess;
  let bus: NatsEventBus;

  beforeAll(async () => {
    server = await NatsServerProcess.start();
    bus = await connectTestNatsBus([`nats://127.0.0.1:${server.port}`], (config) => {
      config.nats!.connectionTimeout = PUBLISH_DEADLINE_MS;
    });
  });

  afterAll(async () => {
    await bus?.close();
    await server?.stop();
  });

  it('ends every publish waiting for its PubAck under an aborted signal, through one listener', async () => {
    const topic = uniqueName('it-abort-acks');
    await bus.publish(topic, 'the stream is known from here on');

    server.freeze();
    let ended: string[];
    try {
      const batch = new AbortController();
      const publishes = Array.from({ length: 100 }, (_, index) =>
        bus.publish(topic, `m${index}`, {
          key: `k${index % 10}`,
          headers: { n: `${index}` },
          signal: batch.signal,
        }),
      );
      await afterTheyWentOut();
      // A batch that shares its deadline shares one listener on it, however many publishes wait.
      expect(getEventListeners(batch.signal, 'abort')).toHaveLength(1);
      batch.abort();
      ended = await outcomes(publishes);
    } finally {
      server.thaw();
    }
    expect(ended).toEqual(Array.from({ length: 100 }, () => 'aborted'));

    await waitFor(
      () =>
        bus.publish(topic, 'after the thaw').then(
          () => true,
          () => false,
        ),
      {
        timeout: 30_000,
        message: 'never published again after the thaw',
      },
    );
  });

  it('ends the first publish to a topic while its stream lookup waits', async () => {
    await bus.healthCheck();
    server.freeze();
    let ended: string[];
    try {
      const controller = new AbortController();
      const first = bus.publish(uniqueName('it-abort-lookup'), 'first', { signal: controller.signal });
      await afterTheyWentOut();
      controller.abort();
      ended = await outcomes([first]);
    } finally {
      server.thaw();
    }
    expect(ended).toEqual(['aborted']);
  });
});
