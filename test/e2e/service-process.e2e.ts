import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describeWithBroker } from '../support/brokers';
import { freePort } from '../support/free-port';
import { uniqueName } from '../support/unique';
import { spawnService, type ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';

jest.setTimeout(30_000);

describe('the built service as a process', () => {
  let running: ServiceProcess | undefined;

  afterEach(() => {
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
    running = undefined;
  });

  it('serves users and notifications over HTTP, then exits 0 on SIGTERM', async () => {
    const port = await freePort();
    // An embedded database of its own, so a run never meets an earlier run's users.
    const configFile = join(tmpdir(), `e2e-memory-${process.pid}.yaml`);
    writeFileSync(configFile, 'database:\n  dataDir: memory://\n');
    running = spawnService({ PORT: String(port), EVENTBUS_TYPE: 'memory', CONFIG_FILE: configFile });
    const base = `http://127.0.0.1:${port}`;

    await waitFor(async () => (await fetch(`${base}/health/ready`).catch(() => undefined))?.status === 200, {
      timeout: 15_000,
      message: () => running!.output(),
    });
    const created = await fetch(`${base}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'e2e@example.com', name: 'End To End' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await waitFor(async () => {
      const response = await fetch(`${base}/notifications?userId=${id}`);
      return ((await response.json()) as { notifications: unknown[] }).notifications.length === 1;
    });

    running.child.kill('SIGTERM');
    const exit = await running.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(running.output()).toContain('service stopped');
  });

  it('SIGTERM under load: nothing started once it drains, nothing answered 500, exit 0', async () => {
    const port = await freePort();
    const configFile = join(tmpdir(), `e2e-drain-${process.pid}.yaml`);
    writeFileSync(configFile, 'database:\n  dataDir: memory://\n');
    running = spawnService({ PORT: String(port), EVENTBUS_TYPE: 'memory', CONFIG_FILE: configFile });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/health/ready`).catch(() => undefined))?.status === 200, {
      timeout: 15_000,
      message: () => running!.output(),
    });

    // Keep-alive clients (fetch reuses connections), as behind a load balancer.
    const outcomes: { status: number | string; sentAt: number }[] = [];
    let signalledAt = Infinity;
    let sent = 0;
    const child = running.child;
    // Until a second after the signal, and on while the process drains, however late it took it.
    const sending = (): boolean =>
      Date.now() < signalledAt + 1_000 || (signalledAt < Infinity && child.exitCode === null);
    const client = async (): Promise<void> => {
      while (sending()) {
        const sentAt = Date.now();
        const status = await fetch(`${base}/users`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `drain-${++sent}@example.com`, name: 'Drain' }),
        }).then(
          (response) => response.status,
          (error: { cause?: { code?: string } }) => error.cause?.code ?? 'network error',
        );
        outcomes.push({ status, sentAt });
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await waitFor(() => outcomes.length >= 200, { timeout: 15_000 });
    signalledAt = Date.now();
    running.child.kill('SIGTERM');
    await Promise.all(clients);
    const exit = await running.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    const statuses = new Set(outcomes.map((outcome) => outcome.status));
    // 201 (started before the signal), 503 (refused while draining), or a connection closed or refused
    // before the request was read.
    const notStarted = [503, 'ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET'];
    expect([...statuses].filter((status) => status !== 201 && !notStarted.includes(status))).toEqual([]);
    // A busy process may take the signal late, so the line it logs on taking it says when draining
    // began (the same synchronous step sets the flag). A request sent after that is not started.
    const drainingSince = shutdownLoggedAt(running.output());
    expect(drainingSince).toBeGreaterThanOrEqual(signalledAt);
    const sentWhileDraining = outcomes.filter((o) => o.sentAt > drainingSince);
    expect(sentWhileDraining.filter((o) => o.status === 201)).toEqual([]);
    expect(sentWhileDraining.length).toBeGreaterThan(0);
  });

  it('exits 1 naming the environment variable when it is invalid', async () => {
    running = spawnService({ PORT: 'not-a-port' });
    const exit = await running.exited;
    expect(exit.code).toBe(1);
    expect(running.output()).toContain('PORT');
  });

  it('exits 1 naming an unknown key in the config file', async () => {
    const file = join(tmpdir(), `bad-config-${process.pid}.yaml`);
    writeFileSync(file, 'eventbus:\n  type: memory\n  retry:\n    maxAttemps: 3\n');
    running = spawnService({ CONFIG_FILE: file, PORT: String(await freePort()) });
    const exit = await running.exited;
    expect(exit.code).toBe(1);
    expect(running.output()).toContain('eventbus.retry.maxAttemps');
  });
});

describeWithBroker('kafka', 'the built service on Kafka as a process', (addresses) => {
  it('exits 1 when its port is taken, without joining its Kafka consumer group', async () => {
    const brokers = addresses();
    const group = uniqueName('port-taken');
    const file = join(tmpdir(), `port-taken-${process.pid}.yaml`);
    writeFileSync(
      file,
      `database:\n  dataDir: memory://\neventbus:\n  type: kafka\n  kafka:\n    brokers: ${JSON.stringify(brokers)}\n    consumer:\n      groupId: ${group}\n`,
    );
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const running = spawnService({ CONFIG_FILE: file, PORT: String(port) });
      const exit = await running.exited;
      expect(exit.code).toBe(1);
      expect(running.output()).toContain('EADDRINUSE');
    } finally {
      taken.close();
    }
    // A member that joined would stay in the group until its session timed out, stalling the others.
    const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([group]);
      expect(groups[0]?.members ?? []).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });
});

/** The time (epoch ms) on the service's JSON log line saying it took a shutdown signal. */
function shutdownLoggedAt(output: string): number {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; time?: number };
    if (entry.msg === 'shutting down' && typeof entry.time === 'number') return entry.time;
  }
  throw new Error(`no 'shutting down' line in the service's output:\n${output}`);
}
