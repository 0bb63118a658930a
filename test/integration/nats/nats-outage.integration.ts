import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NatsEventBus } from '../../../src/infrastructure/eventbus';
import { describeWithBroker } from '../../support/brokers';
import { RecordingEventBusLogger } from '../../support/fakes/recording-event-bus-logger';
import { NatsServerProcess } from '../../support/nats/nats-server-process';
import { connectTestNatsBus } from '../../support/nats/nats-test-bus';
import { uniqueName } from '../../support/unique';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(120_000);

/** Longer than the client alone would have kept trying (2 attempts 100 ms apart). */
const OUTAGE_MS = 4_000;

function healthy(bus: NatsEventBus): Promise<boolean> {
  return bus.healthCheck().then(
    () => true,
    () => false,
  );
}

/** Publishes `body` and resolves once `seen` holds it. */
async function roundTrip(bus: NatsEventBus, topic: string, seen: string[], body: string): Promise<void> {
  await bus.publish(topic, body);
  await waitFor(() => seen.includes(body), { timeout: 15_000, message: () => `never handled ${body}` });
}

async function subscribeRecording(bus: NatsEventBus, topic: string): Promise<string[]> {
  const seen: string[] = [];
  await bus.subscribe(topic, (message) => {
    seen.push(new TextDecoder().decode(message));
    return Promise.resolve();
  });
  return seen;
}

/**
 * Outages the client alone does not survive or does not see: a server down for longer than
 * `maxReconnects` attempts, and a server that is frozen (SIGSTOP) with its socket still open. And
 * the one failure a restart is for: credentials the server refuses for good.
 */
describeWithBroker('nats', 'NatsEventBus through outages of any length', () => {
  let server: NatsServerProcess;
  const buses: NatsEventBus[] = [];

  beforeAll(async () => {
    server = await NatsServerProcess.start({ config: 'authorization { user: bus, password: first }\n' });
  });

  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await server.stop();
  });

  async function connect(logger: RecordingEventBusLogger, pingInterval = 2_000): Promise<NatsEventBus> {
    const bus = await connectTestNatsBus(
      [`nats://bus:first@127.0.0.1:${server.port}`],
      (config) => {
        config.nats!.maxReconnects = 2;
        config.nats!.reconnectWait = 100;
        config.nats!.pingInterval = pingInterval;
        config.nats!.connectionTimeout = 2_000;
        config.healthCheck.timeout = 1_000;
      },
      logger,
    );
    buses.push(bus);
    return bus;
  }

  it('keeps reconnecting past maxReconnects and is back within seconds of the server', async () => {
    const logger = new RecordingEventBusLogger();
    const bus = await connect(logger);
    const topic = uniqueName('outage');
    const seen = await subscribeRecording(bus, topic);
    await roundTrip(bus, topic, seen, 'before');

    await server.kill();
    await waitFor(() => logger.messages('error').some((line) => line.includes('still unreachable')), {
      timeout: 10_000,
      message: 'the backoff never began',
    });
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    expect(await healthy(bus)).toBe(false);
    expect(bus.unrecoverableReason()).toBeUndefined();

    await server.restart();
    const back = performance.now();
    await waitFor(() => healthy(bus), { timeout: 15_000, message: 'never healthy again' });
    const secondsToHealthy = (performance.now() - back) / 1000;
    await roundTrip(bus, topic, seen, 'after');

    // The backoff is capped at 5 s (plus jitter and the dial itself).
    expect(secondsToHealthy).toBeLessThan(8);
    expect(bus.unrecoverableReason()).toBeUndefined();
  });

  it('sees a frozen server as a lost connection within a few pings, and recovers when it thaws', async () => {
    const logger = new RecordingEventBusLogger();
    const bus = await connect(logger, 300);
    const topic = uniqueName('frozen');
    const seen = await subscribeRecording(bus, topic);
    await roundTrip(bus, topic, seen, 'before');

    server.freeze();
    const frozen = performance.now();
    try {
      await waitFor(() => logger.messages('warn').some((line) => line.startsWith('disconnected from NATS')), {
        timeout: 10_000,
        message: 'a frozen server was never seen as a disconnect',
      });
      const secondsToNotice = (performance.now() - frozen) / 1000;
      // Health now fails at once, naming the disconnect, instead of waiting out its timeout.
      await expect(bus.healthCheck()).rejects.toThrow(/disconnected from NATS/);
      expect(secondsToNotice).toBeLessThan(3);
    } finally {
      server.thaw();
    }

    await waitFor(() => healthy(bus), { timeout: 15_000, message: 'never healthy after the thaw' });
    await roundTrip(bus, topic, seen, 'after');
  });

  it('reports credentials refused for good as unrecoverable, which a restart may mend', async () => {
    const logger = new RecordingEventBusLogger();
    const bus = await connect(logger);
    expect(bus.unrecoverableReason()).toBeUndefined();

    writeFileSync(join(server.storeDir, 'server.conf'), 'authorization { user: bus, password: rotated }\n');
    await server.restart();

    await waitFor(() => bus.unrecoverableReason() !== undefined, {
      timeout: 20_000,
      message: 'a connection refused for good was never reported',
    });
    expect(bus.unrecoverableReason()).toMatch(/authoriz/i);
    await expect(bus.healthCheck()).rejects.toThrow(/closed/);
  });
});
