import { NatsConnectionError } from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { freePort } from '../../support/free-port';
import { deleteStreams } from '../../support/nats/jetstream-admin';
import { connectTestNatsBus } from '../../support/nats/nats-test-bus';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(30_000);

describeWithBroker('nats', 'NatsEventBus with several server URLs', (urls) => {
  afterAll(async () => {
    await deleteStreams(
      urls(),
      (name) => name.startsWith('cluster-urls-') && name.includes(`-${process.pid}-`),
    );
  });

  it('connects to the second URL when nothing answers at the first', async () => {
    const deadUrl = `nats://127.0.0.1:${await freePort()}`;
    const bus = await connectTestNatsBus([deadUrl, ...urls()], (config) => {
      config.nats!.connectionTimeout = 2_000;
    });
    try {
      const topic = uniqueName('cluster-urls');
      const seen: string[] = [];
      await bus.subscribe(topic, (message) => {
        seen.push(new TextDecoder().decode(message));
        return Promise.resolve();
      });
      await bus.publish(topic, 'via the second url');
      await waitFor(() => seen.length === 1);
      await expect(bus.healthCheck()).resolves.toBeUndefined();
    } finally {
      await bus.close();
    }
  });

  it('names every URL it tried when none answers', async () => {
    const dead = [`nats://127.0.0.1:${await freePort()}`, `nats://127.0.0.1:${await freePort()}`];
    const attempt = connectTestNatsBus(dead, (config) => {
      config.nats!.connectionTimeout = 1_000;
    });
    await expect(attempt).rejects.toBeInstanceOf(NatsConnectionError);
    await expect(
      connectTestNatsBus(dead, (config) => {
        config.nats!.connectionTimeout = 1_000;
      }),
    ).rejects.toThrow(`cannot connect to any NATS server of ${dead.join(', ')}`);
  });
});
