import { EventBusMetrics, type NatsEventBus } from '../../../src/infrastructure/eventbus';
import { streamNameFor } from '../../../src/infrastructure/eventbus/nats/nats-names';
import { describeWithBroker } from '../../support/brokers';
import { withJetStreamManager } from '../../support/nats/jetstream-admin';
import { NatsServerProcess } from '../../support/nats/nats-server-process';
import { connectTestNatsBus } from '../../support/nats/nats-test-bus';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

const TOTAL = 10_000;
const KILL_AFTER = 3_000;
const PUBLISH_WINDOW = 64;

jest.setTimeout(180_000);

/**
 * kill -9 of the server mid-stream, restart on the same store: nothing acknowledged is lost, the bus
 * reconnects by itself (callback and metrics), health goes unhealthy then healthy, and the duplicates
 * at-least-once allows are counted.
 */
describeWithBroker('nats', 'NatsEventBus across a kill -9 and restart of its server', () => {
  let server: NatsServerProcess;
  let bus: NatsEventBus | undefined;

  beforeAll(async () => {
    server = await NatsServerProcess.start();
  });

  afterAll(async () => {
    await bus?.close();
    await server.stop();
  });

  it(`handles all ${TOTAL} messages at least once when the server is killed after ${KILL_AFTER}`, async () => {
    const topic = uniqueName('restart');
    const metrics = new EventBusMetrics(null);
    bus = await connectTestNatsBus(
      [server.url],
      (config) => {
        config.nats!.maxReconnects = -1;
        config.nats!.reconnectWait = 100;
        config.nats!.connectionTimeout = 15_000;
        config.healthCheck.timeout = 1_000;
      },
      undefined,
      metrics,
    );
    let reconnects = 0;
    bus.registerReconnectCallback(() => {
      reconnects++;
    });

    const handled = new Map<string, number>();
    await bus.subscribe(
      topic,
      (message) => {
        const body = new TextDecoder().decode(message);
        handled.set(body, (handled.get(body) ?? 0) + 1);
        return Promise.resolve();
      },
      { group: 'restart-workers', concurrency: 32 },
    );

    // Health as seen from outside, sampled while the test runs.
    const health: boolean[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        health.push(
          await bus.healthCheck({ timeout: 500 }).then(
            () => true,
            () => false,
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    // Publish with a bounded window; a publish that fails even after the bus's own retries is
    // sent again by the caller with the same message id, so JetStream still stores it once.
    let acknowledged = 0;
    let callerRetries = 0;
    let next = 0;
    const publishOne = async (index: number): Promise<void> => {
      for (;;) {
        try {
          await bus!.publish(topic, `m-${index}`, { messageId: `${topic}-${index}` });
          acknowledged++;
          return;
        } catch {
          callerRetries++;
        }
      }
    };
    const publishing = Promise.all(
      Array.from({ length: PUBLISH_WINDOW }, async () => {
        while (next < TOTAL) await publishOne(next++);
      }),
    );

    await waitFor(() => acknowledged >= KILL_AFTER, {
      timeout: 60_000,
      message: () => `acked ${acknowledged}`,
    });
    const killedAt = Date.now();
    await server.kill();
    // Keep it down until the bus has been seen unhealthy ten times in a row (about a second).
    await waitFor(() => health.length >= 10 && health.slice(-10).every((healthy) => !healthy), {
      timeout: 15_000,
      message: 'health never failed',
    });
    await server.restart();
    const restartedAt = Date.now();

    await publishing;
    await waitFor(() => handled.size === TOTAL, {
      timeout: 90_000,
      interval: 50,
      message: () => `handled ${handled.size} of ${TOTAL}`,
    });
    await waitFor(() => health.slice(-1)[0] === true, { timeout: 10_000, message: 'health never recovered' });
    sampling = false;
    await sampler;

    const deliveries = [...handled.values()].reduce((sum, count) => sum + count, 0);
    const duplicates = deliveries - handled.size;
    const lost = Array.from({ length: TOTAL }, (_, index) => `m-${index}`).filter(
      (body) => !handled.has(body),
    );
    const stored = await withJetStreamManager([server.url], async (jsm) => {
      const info = await jsm.streams.info(streamNameFor(topic));
      return info.state.messages;
    });
    const firstUnhealthy = health.indexOf(false);
    console.log(
      `NATS restart: sent ${TOTAL}, stored ${stored}, handled ${handled.size}, deliveries ${deliveries}, ` +
        `duplicates ${duplicates}, lost ${lost.length}, caller retries ${callerRetries}, reconnects ${reconnects}, ` +
        `server down ${restartedAt - killedAt} ms`,
    );

    expect(lost).toEqual([]);
    expect(stored).toBe(TOTAL);
    expect(reconnects).toBeGreaterThanOrEqual(1);
    expect(metrics.connection('nats').reconnects).toBe(reconnects);
    expect(metrics.connection('nats').connectionErrors).toBeGreaterThanOrEqual(1);
    expect(metrics.publish('nats', topic).published).toBe(TOTAL);
    expect(firstUnhealthy).toBeGreaterThanOrEqual(0);
    expect(health.slice(firstUnhealthy)).toContain(true);
  });

  it('re-creates memory-storage streams and consumers the restart lost, and keeps consuming', async () => {
    const memoryBus = await connectTestNatsBus([server.url], (config) => {
      config.nats!.jetstream.storage = 'memory';
      config.nats!.maxReconnects = -1;
      config.nats!.reconnectWait = 100;
    });
    try {
      const topic = uniqueName('restart-memory');
      const seen: string[] = [];
      await memoryBus.subscribe(topic, (message) => {
        seen.push(new TextDecoder().decode(message));
        return Promise.resolve();
      });
      await memoryBus.publish(topic, 'before');
      await waitFor(() => seen.includes('before'));

      await server.restart();
      const healthy = (): Promise<boolean> =>
        memoryBus.healthCheck().then(
          () => true,
          () => false,
        );
      await waitFor(healthy, { timeout: 15_000, message: 'never healthy again' });
      await memoryBus.publish(topic, 'after');
      await waitFor(() => seen.includes('after'), { timeout: 15_000, message: () => seen.join(',') });
    } finally {
      await memoryBus.close();
    }
  });
});
